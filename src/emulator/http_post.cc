#include "emulator/http_post.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sys/socket.h>
#include <sys/time.h>

namespace stripeline::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

Result<int> HttpPost(const std::string& url, const Fields& headers, const std::string& body,
                     std::chrono::milliseconds timeout) {
  constexpr std::string_view kScheme = "http://";
  if (!std::string_view(url).starts_with(kScheme)) {
    return Status::InvalidArgument("only http:// webhook URLs are supported: " + url);
  }
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string host = authority, port = "80";
  if (size_t colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  try {
    asio::io_context io;
    tcp::resolver resolver(io);
    tcp::socket socket(io);
    auto endpoints = resolver.resolve(host, port);
    asio::connect(socket, endpoints);
    // Blocking reads and writes with a deadline: the kernel's socket timeouts.
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

    bhttp::request<bhttp::string_body> request{bhttp::verb::post, target, 11};
    request.set(bhttp::field::host, authority);
    request.set(bhttp::field::user_agent, "Stripe/1.0 (+https://stripe.com/docs/webhooks)");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.keep_alive(false);
    request.prepare_payload();
    bhttp::write(socket, request);

    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    return static_cast<int>(response.result_int());
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("webhook delivery to ") + url + " failed: " + e.what());
  }
}

}  // namespace stripeline::emulator
