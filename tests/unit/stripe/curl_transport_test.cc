#include "stripe/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stripe/client.h"

namespace stripeline::stripe {
namespace {

using std::chrono::milliseconds;

// Only loopback is touched: nothing listens on port 1, so the connect is refused at once.
TEST(CurlTransport, ClosedPortIsUnreachable) {
  CurlTransport transport;
  TransportRequest request;
  request.method = "GET";
  request.url = "http://127.0.0.1:1/v1/balance";
  request.headers = {{"Authorization", "Bearer sk_test_secret"}};
  request.timeout = milliseconds(5000);
  Result<TransportResponse> result = transport.Send(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(result.status().error_code(), "stripe_unreachable");
  EXPECT_NE(result.status().message().find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(result.status().message().find("sk_test_secret"), std::string::npos);
  // The handle went back to the pool and still works.
  EXPECT_FALSE(transport.Send(request).ok());
}

TEST(CurlTransport, ClientReportsClosedPortAsConnectionError) {
  ClientOptions options;
  options.api_base = "http://127.0.0.1:1";
  options.retry.max_retries = 1;
  FakeClock clock;
  Client client(options, std::make_shared<CurlTransport>(), clock, [] { return 0.0; });
  RequestOptions opts;
  opts.api_key = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
  auto result = client.Request("POST", "/v1/customers", {{"email", "a@b.c"}}, opts);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kConnection);
  EXPECT_EQ(result.status().error_code(), "stripe_unreachable");
  EXPECT_EQ(clock.Elapsed(), milliseconds(250));  // one retry, slept on the fake clock
}

// A socket that listens but never answers: the request must end with stripe_timeout.
TEST(CurlTransport, SilentServerTimesOut) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);

  CurlTransport transport;
  TransportRequest request;
  request.method = "GET";
  request.url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/v1/balance";
  request.timeout = milliseconds(200);
  Result<TransportResponse> result = transport.Send(request);
  ::close(listener);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(result.status().error_code(), "stripe_timeout");
}

}  // namespace
}  // namespace stripeline::stripe
