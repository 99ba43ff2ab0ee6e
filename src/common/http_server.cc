#include "common/http_server.h"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <future>
#include <mutex>

#include "common/log.h"
#include "common/text.h"
#include "common/utf8.h"

namespace stripeline {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

HttpRequest MakeHttpRequest(std::string method, std::string_view target, Fields headers,
                            std::string body, std::string remote_address) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = std::string(target);
  const size_t q = target.find('?');
  request.path = ValidUtf8(PercentDecode(target.substr(0, q), false));
  if (q != std::string_view::npos) {
    request.query = ParseFormEncoded(target.substr(q + 1));
    for (auto& [key, value] : request.query) {
      key = ValidUtf8(key);
      value = ValidUtf8(value);
    }
  }
  for (auto& [name, value] : headers) name = ToLower(name);
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.remote_address = std::move(remote_address);
  return request;
}

Result<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument("listen address '" + std::string(listen) +
                                   "' must be host:port, e.g. 127.0.0.1:8080");
  }
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  std::string_view port_text = listen.substr(colon + 1);
  unsigned port = 0;
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port > 65535) {
    return Status::InvalidArgument("listen address '" + std::string(listen) +
                                   "' has no valid port (0-65535)");
  }
  return std::make_pair(host, static_cast<uint16_t>(port));
}

struct HttpServer::Impl {
  HttpServerOptions options;
  Handler handler;
  asio::io_context io;
  // The acceptor's coroutine and Stop()'s closing of it, one at a time.
  asio::strand<asio::io_context::executor_type> accept_strand;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;  // each runs `io`
  std::atomic<bool> stopping{false};
  std::atomic<int> in_flight{0};
  std::mutex mu;
  std::condition_variable idle_cv;

  Impl(HttpServerOptions opts, Handler h)
      : options(std::move(opts)),
        handler(std::move(h)),
        io(std::max(1, options.worker_threads)),
        accept_strand(asio::make_strand(io)),
        acceptor(accept_strand) {}

  asio::awaitable<void> Accept() {
    while (!stopping) {
      // Each connection gets a strand of its own: its reads, handler and writes run one after
      // the other on whichever thread picks them up.
      auto [ec, socket] = co_await acceptor.async_accept(
          asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) break;
        continue;  // e.g. too many open files: keep serving the connections we have
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Serve(beast::tcp_stream(std::move(socket))), asio::detached);
    }
  }

  static HttpRequest ToRequest(const bhttp::request<bhttp::string_body>& raw,
                               const std::string& remote) {
    Fields headers;
    for (const auto& field : raw) {
      headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return MakeHttpRequest(std::string(raw.method_string()), raw.target(), std::move(headers),
                           raw.body(), remote);
  }

  static HttpResponse ErrorResponse(int status, std::string code, std::string message) {
    boost::json::object error{{"code", std::move(code)}, {"message", std::move(message)}};
    return HttpResponse::Json(status, boost::json::object{{"error", std::move(error)}});
  }

  HttpResponse RunHandler(const HttpRequest& request) {
    try {
      return handler(request);
    } catch (const std::exception& e) {
      // A throwing handler is a bug; the client still gets a well-formed answer.
      log::Error("http.handler_exception", {{"path", request.path}, {"what", e.what()}});
      return ErrorResponse(500, "internal", "Internal server error");
    }
  }

  // `head_only`: the answer to a HEAD request — the GET answer's headers, Content-Length
  // included, without its body (RFC 9110 §9.3.2).
  asio::awaitable<void> Write(beast::tcp_stream& stream, HttpResponse response, bool keep_alive,
                              unsigned version, bool head_only = false) {
    bhttp::response<bhttp::string_body> raw{static_cast<bhttp::status>(response.status), version};
    raw.set(bhttp::field::server, options.server_name);
    for (auto& [name, value] : response.headers) raw.insert(name, value);
    raw.keep_alive(keep_alive);
    if (head_only) {
      raw.content_length(response.body.size());
    } else {
      raw.body() = std::move(response.body);
      raw.prepare_payload();
    }
    stream.expires_after(options.idle_timeout);
    co_await bhttp::async_write(stream, raw, asio::as_tuple(asio::use_awaitable));
  }

  // After refusing a request whose rest is still arriving, stop sending and read (and drop) what
  // the client still sends, for a moment: closing with unread data makes the kernel reset the
  // connection, and the client may then lose the answer before reading it.
  static asio::awaitable<void> LingeringClose(beast::tcp_stream& stream) {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 16 * 1024> scratch;
    size_t drained = 0;
    stream.expires_after(std::chrono::seconds(2));
    while (drained < 4 * 1024 * 1024) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(scratch),
                                                     asio::as_tuple(asio::use_awaitable));
      if (ec) break;
      drained += n;
    }
  }

  asio::awaitable<void> Serve(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    std::string remote;
    {
      beast::error_code ec;
      auto endpoint = stream.socket().remote_endpoint(ec);
      if (!ec) remote = endpoint.address().to_string();
    }
    while (!stopping) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(options.body_limit);
      parser.header_limit(kHttpHeaderLimit);
      stream.expires_after(options.idle_timeout);
      auto [ec, bytes] =
          co_await bhttp::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      if (ec == bhttp::error::body_limit) {
        co_await Write(stream,
                       ErrorResponse(413, "payload_too_large",
                                     "The request body is larger than " +
                                         std::to_string(options.body_limit) + " bytes."),
                       false, 11);
        co_await LingeringClose(stream);
        break;
      }
      if (ec == bhttp::error::header_limit) {
        // The request line alone is over the limit when no line of it has ended yet.
        const std::string_view head(static_cast<const char*>(buffer.data().data()),
                                    buffer.data().size());
        const bool long_target = head.find("\r\n") == std::string_view::npos;
        // A named value, not a conditional temporary in co_await's arguments: GCC 12
        // destroys such a temporary twice.
        HttpResponse refusal =
            long_target ? ErrorResponse(414, "uri_too_long",
                                        "The request's URL is longer than " +
                                            std::to_string(kHttpHeaderLimit / 1024) + " KiB.")
                        : ErrorResponse(431, "headers_too_large",
                                        "The request's headers are larger than " +
                                            std::to_string(kHttpHeaderLimit / 1024) + " KiB.");
        co_await Write(stream, std::move(refusal), false, 11);
        co_await LingeringClose(stream);
        break;
      }
      if (ec) {
        if (ec != bhttp::error::end_of_stream && ec != asio::error::operation_aborted &&
            ec != beast::error::timeout && ec != asio::error::connection_reset &&
            ec != asio::error::eof && bytes > 0) {
          co_await Write(stream, ErrorResponse(400, "bad_request", "Malformed HTTP request."),
                         false, 11);
        }
        break;
      }
      auto raw = parser.release();
      bool keep_alive = raw.keep_alive();
      HttpRequest request = ToRequest(raw, remote);
      // HEAD is GET without the body, for every route that answers GET.
      const bool head_only = request.method == "HEAD";
      if (head_only) request.method = "GET";

      ++in_flight;
      // The handler runs right here, on the thread that read the request: handing it to
      // another thread and the answer back would cost two thread wake-ups per request.
      HttpResponse response = RunHandler(request);
      bool drop = response.Header(kCloseWithoutResponseHeader).has_value();
      if (drop) {
        beast::error_code ignored;
        stream.socket().set_option(asio::socket_base::linger(true, 0), ignored);
        stream.socket().close(ignored);
      } else {
        co_await Write(stream, std::move(response), keep_alive && !stopping, raw.version(),
                       head_only);
      }
      if (--in_flight == 0) {
        std::lock_guard lock(mu);
        idle_cv.notify_all();
      }
      if (drop || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  auto address = ParseListenAddress(impl_->options.listen);
  if (!address.ok()) return address.status();
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(address->first, ec);
  if (ec) {
    return Status::InvalidArgument("listen address '" + impl_->options.listen +
                                   "': not an IP address (" + ec.message() + ")");
  }
  tcp::endpoint endpoint(ip, address->second);
  auto& acceptor = impl_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) {
    return Status::Unavailable("cannot open socket: " + ec.message());
  }
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    return Status::Unavailable("cannot listen on " + impl_->options.listen + ": " + ec.message(),
                               "address_in_use");
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return Status::Unavailable("cannot listen on " + impl_->options.listen + ": " + ec.message());
  }
  port_ = acceptor.local_endpoint().port();
  asio::co_spawn(impl_->accept_strand, impl_->Accept(), asio::detached);
  for (int i = 0; i < std::max(1, impl_->options.worker_threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  }
  return Status::OK();
}

std::string HttpServer::base_url() const {
  auto address = ParseListenAddress(impl_->options.listen);
  std::string host = address.ok() ? address->first : "127.0.0.1";
  if (host == "0.0.0.0") host = "127.0.0.1";
  return "http://" + host + ":" + std::to_string(port_);
}

void HttpServer::Stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  if (impl_->threads.empty()) return;
  // Close the listener on its strand and wait for it: io.stop() below may otherwise win the
  // race and leave the port accepting connections nobody will ever serve.
  std::promise<void> closed;
  asio::post(impl_->accept_strand, [this, &closed] {
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
    closed.set_value();
  });
  closed.get_future().wait();
  {
    std::unique_lock lock(impl_->mu);
    impl_->idle_cv.wait_for(lock, impl_->options.shutdown_grace,
                            [this] { return impl_->in_flight.load() == 0; });
  }
  impl_->io.stop();
  for (std::thread& thread : impl_->threads) thread.join();
}

}  // namespace stripeline
