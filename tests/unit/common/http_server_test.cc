// HttpServer over loopback (port 0) with a raw socket client, and ParseListenAddress.
#include "common/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>

namespace stripeline {
namespace {

// A connected loopback socket, closed on destruction; -1 when the connection was refused.
class Socket {
 public:
  explicit Socket(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    // Bounds a read if the server misbehaves; a guard against hanging, not a wait.
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  bool connected() const { return fd_ >= 0; }

  // Sends `raw` and reads until the server closes the connection.
  std::string Exchange(const std::string& raw) {
    size_t sent = 0;
    while (sent < raw.size()) {
      ssize_t n = send(fd_, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    std::string response;
    char buffer[4096];
    for (ssize_t n; (n = recv(fd_, buffer, sizeof buffer, 0)) > 0;) response.append(buffer, n);
    return response;
  }

 private:
  int fd_;
};

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};

RawResponse Parse(const std::string& raw) {
  RawResponse response;
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return response;
  response.head = raw.substr(0, end);
  response.body = raw.substr(end + 4);
  if (raw.starts_with("HTTP/1.1 ")) response.status = std::stoi(raw.substr(9, 3));
  return response;
}

RawResponse Send(uint16_t port, const std::string& method, const std::string& target,
                 const std::string& body = "", const std::string& extra_headers = "") {
  Socket socket(port);
  EXPECT_TRUE(socket.connected());
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                        "Connection: close\r\n" + extra_headers +
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return Parse(socket.Exchange(request));
}

HttpServerOptions LoopbackOptions() {
  return {.listen = "127.0.0.1:0", .worker_threads = 2};
}

TEST(HttpServer, DeliversTheDecodedRequestAndTheHandlersResponse) {
  HttpServer server(LoopbackOptions(), [](const HttpRequest& request) {
    boost::json::array query;
    for (const auto& [key, value] : request.query) query.push_back({key, value});
    HttpResponse response = HttpResponse::Json(
        201, boost::json::object{{"method", request.method},
                                 {"path", request.path},
                                 {"query", query},
                                 {"body", request.body},
                                 {"header", request.Header("x-custom").value_or("<absent>")}});
    response.SetHeader("X-Handled", "yes");
    return response;
  });
  ASSERT_TRUE(server.Start().ok());
  ASSERT_NE(server.port(), 0);
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()));

  RawResponse response =
      Send(server.port(), "POST", "/a%20b?x=1+2&x=3", "payload", "X-Custom: Value\r\n");
  ASSERT_EQ(response.status, 201) << response.head;
  EXPECT_NE(response.head.find("X-Handled: yes"), std::string::npos) << response.head;
  EXPECT_NE(response.head.find("Server: Stripeline"), std::string::npos) << response.head;
  boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("method"), "POST");
  EXPECT_EQ(body.at("path"), "/a b");
  EXPECT_EQ(body.at("query"), (boost::json::array{{"x", "1 2"}, {"x", "3"}}));
  EXPECT_EQ(body.at("body"), "payload");
  EXPECT_EQ(body.at("header"), "Value");
}

TEST(HttpServer, AnswersABodyOverTheLimitWith413JsonWithoutCallingTheHandler) {
  std::atomic<int> calls{0};
  HttpServerOptions options = LoopbackOptions();
  options.body_limit = 16;
  HttpServer server(options, [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "ok");
  });
  ASSERT_TRUE(server.Start().ok());

  RawResponse response = Send(server.port(), "POST", "/upload", std::string(64, 'x'));
  ASSERT_EQ(response.status, 413) << response.head;
  boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("code"), "payload_too_large");
  EXPECT_TRUE(body.at("error").at("message").is_string());
  EXPECT_EQ(calls.load(), 0);

  EXPECT_EQ(Send(server.port(), "POST", "/upload", std::string(16, 'x')).status, 200);
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServer, AnswersAnOverlongUrlWith414AndOverlongHeadersWith431AsJson) {
  std::atomic<int> calls{0};
  HttpServer server(LoopbackOptions(), [&](const HttpRequest&) {
    ++calls;
    return HttpResponse::Text(200, "ok");
  });
  ASSERT_TRUE(server.Start().ok());

  RawResponse long_url = Send(server.port(), "GET", "/" + std::string(70 * 1024, 'a'));
  ASSERT_EQ(long_url.status, 414) << long_url.head;
  boost::json::value body = boost::json::parse(long_url.body);
  EXPECT_EQ(body.at("error").at("code"), "uri_too_long");

  RawResponse long_header = Send(server.port(), "GET", "/",
                                 "", "X-Big: " + std::string(70 * 1024, 'b') + "\r\n");
  ASSERT_EQ(long_header.status, 431) << long_header.head;
  EXPECT_EQ(boost::json::parse(long_header.body).at("error").at("code"), "headers_too_large");
  EXPECT_EQ(calls.load(), 0);
  EXPECT_EQ(Send(server.port(), "GET", "/" + std::string(1000, 'a')).status, 200);
}

TEST(HttpServer, DecodedPathAndQueryAreAlwaysValidUtf8) {
  HttpServer server(LoopbackOptions(), [](const HttpRequest& request) {
    return HttpResponse::Json(
        404, boost::json::object{{"path", request.path},
                                 {"value", request.Query("q").value_or("")}});
  });
  ASSERT_TRUE(server.Start().ok());
  RawResponse response = Send(server.port(), "GET", "/clients/%FF%FE?q=%C3%BC%C3");
  ASSERT_EQ(response.status, 404);
  boost::json::value body = boost::json::parse(response.body);  // throws on invalid UTF-8
  EXPECT_EQ(body.at("path"), "/clients/\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(body.at("value"), "\xC3\xBC\xEF\xBF\xBD");
}

TEST(HttpServer, AnswersHeadLikeGetWithoutTheBody) {
  HttpServer server(LoopbackOptions(), [](const HttpRequest& request) {
    if (request.method != "GET") return HttpResponse::Text(405, "method not allowed");
    return HttpResponse::Text(200, "twelve bytes");
  });
  ASSERT_TRUE(server.Start().ok());
  RawResponse head = Send(server.port(), "HEAD", "/healthz");
  ASSERT_EQ(head.status, 200) << head.head;
  EXPECT_NE(head.head.find("Content-Length: 12"), std::string::npos) << head.head;
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(Send(server.port(), "GET", "/healthz").body, "twelve bytes");
}

TEST(HttpServer, AnswersAThrowingHandlerWith500JsonHidingTheException) {
  HttpServer server(LoopbackOptions(), [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("secret internals sk_test_AAAAAAAAAAAAAAAAAAAAAAAA");
  });
  ASSERT_TRUE(server.Start().ok());

  RawResponse response = Send(server.port(), "GET", "/boom");
  ASSERT_EQ(response.status, 500) << response.head;
  EXPECT_NE(response.head.find("Content-Type: application/json"), std::string::npos);
  boost::json::value body = boost::json::parse(response.body);
  EXPECT_EQ(body.at("error").at("code"), "internal");
  EXPECT_EQ(body.at("error").at("message"), "Internal server error");
  EXPECT_EQ(response.body.find("secret internals"), std::string::npos);

  // The server survives the exception.
  EXPECT_EQ(Send(server.port(), "GET", "/again").status, 500);
}

TEST(HttpServer, StopIsIdempotent) {
  HttpServer server(LoopbackOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, "ok"); });
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(Send(server.port(), "GET", "/").status, 200);
  server.Stop();
  server.Stop();
}

// Fails at the time of writing: Stop() posts the acceptor's close to the I/O thread and then
// stops the io_context at once, so the close usually never runs and the port keeps accepting
// connections (that are never served) until the HttpServer is destroyed.
TEST(HttpServer, StopClosesTheListener) {
  HttpServer server(LoopbackOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, "ok"); });
  ASSERT_TRUE(server.Start().ok());
  uint16_t port = server.port();
  EXPECT_EQ(Send(port, "GET", "/").status, 200);
  server.Stop();
  EXPECT_FALSE(Socket(port).connected()) << "the port still accepts connections after Stop()";
}

TEST(HttpServer, StopWithoutStartDoesNothing) {
  HttpServer server(LoopbackOptions(), [](const HttpRequest&) { return HttpResponse::Text(200, "ok"); });
  server.Stop();
  server.Stop();
}

// Blocks until `open` is set, or fails the test after a generous bound (a guard against a hang,
// never reached when the code under test is right).
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  bool Wait() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(5), [this] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Connects until the listener refuses, i.e. until Stop() has begun; bounded below the listen
// backlog so a listener that never closes cannot make connect() block.
bool WaitForListenerToClose(uint16_t port) {
  for (int attempt = 0; attempt < 2000; ++attempt) {
    if (!Socket(port).connected()) return true;
  }
  return false;
}

TEST(HttpServer, StopWaitsForTheRequestInFlight) {
  std::latch entered(1);
  Gate release;
  std::atomic<bool> handler_done{false};
  HttpServer server(LoopbackOptions(), [&](const HttpRequest&) {
    entered.count_down();
    EXPECT_TRUE(release.Wait());
    handler_done = true;
    return HttpResponse::Text(200, "finished");
  });
  ASSERT_TRUE(server.Start().ok());
  uint16_t port = server.port();

  RawResponse response;
  std::thread client([&] { response = Send(port, "GET", "/slow"); });
  entered.wait();

  std::atomic<bool> handler_done_when_stopped{false};
  std::thread stopper([&] {
    server.Stop();
    handler_done_when_stopped = handler_done.load();
  });
  (void)WaitForListenerToClose(port);  // best effort: release once Stop() is under way
  release.Open();
  stopper.join();
  client.join();
  EXPECT_TRUE(handler_done_when_stopped.load()) << "Stop returned before the handler finished";
  EXPECT_EQ(response.status, 200) << response.head;
  EXPECT_EQ(response.body, "finished");
}

// Fails at the time of writing: Serve() does `co_await asio::post(workers, use_awaitable)`, but
// an awaitable resumes on its own executor (the io_context), so every handler runs on the single
// I/O thread, one at a time, instead of on the worker pool.
TEST(HttpServer, RunsHandlersConcurrentlyOffTheIoThread) {
  std::latch first_entered(1);
  Gate second_arrived;
  HttpServer server(LoopbackOptions(), [&](const HttpRequest& request) {
    if (request.path == "/first") {
      first_entered.count_down();
      bool overlapped = second_arrived.Wait();
      return HttpResponse::Text(200, overlapped ? "overlapped" : "serialised");
    }
    second_arrived.Open();
    return HttpResponse::Text(200, "second");
  });
  ASSERT_TRUE(server.Start().ok());
  uint16_t port = server.port();
  RawResponse first;
  std::thread slow([&] { first = Send(port, "GET", "/first"); });
  first_entered.wait();
  RawResponse second = Send(port, "GET", "/second");
  slow.join();
  EXPECT_EQ(second.body, "second");
  EXPECT_EQ(first.body, "overlapped") << "the second handler only ran after the first returned";
}

// Fails at the time of writing, for the same reason: a handler blocks the I/O thread, so Stop()
// cannot close the listener while a request is in flight.
TEST(HttpServer, StopClosesTheListenerWhileARequestIsInFlight) {
  std::latch entered(1);
  Gate release;
  HttpServer server(LoopbackOptions(), [&](const HttpRequest&) {
    entered.count_down();
    EXPECT_TRUE(release.Wait());
    return HttpResponse::Text(200, "finished");
  });
  ASSERT_TRUE(server.Start().ok());
  uint16_t port = server.port();
  RawResponse response;
  std::thread client([&] { response = Send(port, "GET", "/slow"); });
  entered.wait();
  std::thread stopper([&] { server.Stop(); });
  EXPECT_TRUE(WaitForListenerToClose(port));
  release.Open();
  stopper.join();
  client.join();
  EXPECT_EQ(response.status, 200);
}

TEST(HttpServer, StartFailsWhenThePortIsTaken) {
  auto handler = [](const HttpRequest&) { return HttpResponse::Text(200, "first"); };
  HttpServer first(LoopbackOptions(), handler);
  ASSERT_TRUE(first.Start().ok());
  HttpServer second({.listen = "127.0.0.1:" + std::to_string(first.port())}, handler);
  Status status = second.Start();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.error_code(), "address_in_use");
  EXPECT_EQ(Send(first.port(), "GET", "/").body, "first");
}

TEST(HttpServer, StartRefusesAListenAddressThatIsNotAnIp) {
  HttpServer server({.listen = "localhost-ish:0"},
                    [](const HttpRequest&) { return HttpResponse::Text(200, "ok"); });
  EXPECT_EQ(server.Start().code(), StatusCode::kInvalidArgument);
}

TEST(ParseListenAddress, AcceptsHostPortEmptyHostAndBracketedIpv6) {
  auto plain = ParseListenAddress("127.0.0.1:0");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->first, "127.0.0.1");
  EXPECT_EQ(plain->second, 0);

  auto any = ParseListenAddress(":8080");
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->first, "0.0.0.0");
  EXPECT_EQ(any->second, 8080);

  auto v6 = ParseListenAddress("[::1]:80");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_EQ(v6->second, 80);

  auto top = ParseListenAddress("0.0.0.0:65535");
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(top->second, 65535);
}

TEST(ParseListenAddress, RejectsMissingOrOutOfRangePorts) {
  for (std::string bad : {"nope", "1.2.3.4:99999", "1.2.3.4:", "1.2.3.4:80x", "1.2.3.4:-1"}) {
    auto parsed = ParseListenAddress(bad);
    EXPECT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(parsed.status().message().find(bad), std::string::npos) << bad;
  }
}

TEST(MakeHttpRequest, SplitsTheTargetIntoADecodedPathAndQueryAndLowercasesHeaderNames) {
  HttpRequest request = MakeHttpRequest("GET", "/api/v1/clients/a%20b?name=Caf%C3%A9+Co&x=1",
                                        {{"X-CSRF-Token", "t"}}, "body", "10.0.0.1");
  EXPECT_EQ(request.target, "/api/v1/clients/a%20b?name=Caf%C3%A9+Co&x=1");
  EXPECT_EQ(request.path, "/api/v1/clients/a b");
  EXPECT_EQ(request.Query("name"), "Café Co");
  EXPECT_EQ(request.headers, (Fields{{"x-csrf-token", "t"}}));
  EXPECT_EQ(request.body, "body");
  EXPECT_EQ(request.remote_address, "10.0.0.1");
}

TEST(MakeHttpRequest, ReplacesBytesThatAreNotUtf8InThePathAndParameters) {
  HttpRequest request = MakeHttpRequest("GET", "/clients/%FF?%C3%28=%E2%82", {}, "", "");
  EXPECT_EQ(request.path, "/clients/\xEF\xBF\xBD");
  ASSERT_EQ(request.query.size(), 1u);
  EXPECT_EQ(request.query[0].first, "\xEF\xBF\xBD(");
  EXPECT_EQ(request.query[0].second, "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace stripeline
