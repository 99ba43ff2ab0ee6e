#pragma once
// CurlTransport: the production Transport, over libcurl's easy interface.
//
// Connections are reused: finished easy handles go back to a small pool and keep their idle
// connections (and TLS state) alive for the next request to the same host, and all handles
// share one DNS cache and one TLS session cache through a CURLSH. Requests never raise signals
// (CURLOPT_NOSIGNAL), use TCP keepalive, accept gzip, and only speak http/https.
//
// Thread-safety: Send() may be called concurrently from any number of threads; each call uses
// its own easy handle. Destroy the transport only after every Send() has returned.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "stripe/transport.h"

namespace stripeline::stripe {

struct CurlTransportOptions {
  // Limit for establishing the TCP+TLS connection; the request's own timeout still bounds the
  // whole call (the smaller of the two wins for the connect phase).
  std::chrono::milliseconds connect_timeout{10000};
  // Idle easy handles kept for reuse; extra handles are closed when returned.
  std::size_t max_idle_handles = 16;
};

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // See Transport::Send. Timeouts come from request.timeout; libcurl's error text is in the
  // message of a failed Result (it never contains request headers, so no secrets).
  Result<TransportResponse> Send(const TransportRequest& request) override;

 private:
  struct EasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
  };
  struct ShareDeleter {
    void operator()(CURLSH* share) const { curl_share_cleanup(share); }
  };
  using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
  using ShareHandle = std::unique_ptr<CURLSH, ShareDeleter>;

  EasyHandle Acquire();
  void Release(EasyHandle handle);

  const CurlTransportOptions options_;
  // One mutex per curl_lock_data kind, as libcurl requires (see the lock callbacks).
  std::vector<std::mutex> share_locks_;
  // Declared before the pool: handles in the pool refer to it and are destroyed first.
  ShareHandle share_;
  std::mutex pool_mu_;
  std::vector<EasyHandle> pool_;  // guarded by pool_mu_
};

}  // namespace stripeline::stripe
