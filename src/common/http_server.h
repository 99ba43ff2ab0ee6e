#pragma once
// HttpServer: a small HTTP/1.1 server on Boost.Beast/Asio that turns each request into a call
// of one synchronous Handler. Used by the REST API and by the Stripe emulator.
//
// Threading: `worker_threads` threads serve every connection, each connection a coroutine on a
// strand of its own; the handler runs inline on the thread that read the request (it may block,
// e.g. on a call to Stripe: that thread is then busy, so at most worker_threads requests are
// handled at once and further ones wait). The handler must be thread-safe and must not call
// Stop() of its own server. Start/Stop may be called from any other thread.
//
// Limits: a request body over `body_limit` is answered 413; a connection idle longer than
// `idle_timeout` (or slower than that to send a request) is closed. Stop() is graceful: it stops
// accepting, lets requests in progress finish (up to `shutdown_grace`), then returns.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/http_message.h"
#include "common/result.h"

namespace stripeline {

// A handler that wants its connection dropped without any answer (the Stripe emulator's
// injected connection resets) returns a response carrying this header (any value): the server
// then writes nothing and resets the connection (RST, as a crashed peer would).
inline constexpr std::string_view kCloseWithoutResponseHeader = "X-Stripeline-Close-Without-Response";

// The request line and headers together: a longer URL is answered 414, longer headers 431.
inline constexpr size_t kHttpHeaderLimit = 64 * 1024;

struct HttpServerOptions {
  // "host:port"; port 0 picks a free port (see HttpServer::port()).
  std::string listen = "127.0.0.1:8080";
  int worker_threads = 8;
  size_t body_limit = 1 << 20;
  std::chrono::seconds idle_timeout{30};
  std::chrono::seconds shutdown_grace{10};
  std::string server_name = "Stripeline";
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  HttpServer(HttpServerOptions options, Handler handler);
  ~HttpServer();  // Stops if running.
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts serving in background threads. Fails (e.g. address in use) without
  // starting anything.
  Status Start();
  // The bound port; valid after a successful Start().
  uint16_t port() const { return port_; }
  // "http://host:port", valid after Start().
  std::string base_url() const;
  // Graceful stop; idempotent.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

// The HttpRequest the handler gets for a request read off a connection: `target` ("/a%20b?x=1")
// kept as given and split into the percent-decoded path and the form-decoded query parameters,
// in which bytes that are not UTF-8 become U+FFFD (handlers echo paths and parameters into JSON
// answers, which must stay valid JSON whatever a client sent); header names lowercased.
HttpRequest MakeHttpRequest(std::string method, std::string_view target, Fields headers,
                            std::string body, std::string remote_address);

// Splits "host:port" (or ":port", or "[::1]:port"); port must be 0..65535.
Result<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view listen);

}  // namespace stripeline
