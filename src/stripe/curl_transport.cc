#include "stripe/curl_transport.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>

#include "common/text.h"

namespace stripeline::stripe {

namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void GlobalInitOnce() {
  // curl_global_init is not thread-safe in libcurl 7.x and must run before any other call.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool CurlHasZlib() {
  static const bool has = (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_LIBZ) != 0;
  return has;
}

void LockShare(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  auto& locks = *static_cast<std::vector<std::mutex>*>(user);
  locks[static_cast<std::size_t>(data)].lock();
}

void UnlockShare(CURL*, curl_lock_data data, void* user) {
  auto& locks = *static_cast<std::vector<std::mutex>*>(user);
  locks[static_cast<std::size_t>(data)].unlock();
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<HeaderList*>(user);
  std::string_view line(data, size * count);
  // A new status line starts a new header block (1xx interim responses, proxies): keep only the
  // final response's headers.
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();
    return size * count;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string name = ToLower(Trim(line.substr(0, colon)));
  headers.emplace_back(std::move(name), std::string(Trim(line.substr(colon + 1))));
  return size * count;
}

// scheme://host[:port] of a URL, for error messages (never the path or query).
std::string Origin(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url.substr(0, 64));
  auto host_end = url.find_first_of("/?#", scheme_end + 3);
  return std::string(url.substr(0, host_end));
}

}  // namespace

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(options), share_locks_(static_cast<std::size_t>(CURL_LOCK_DATA_LAST) + 1) {
  GlobalInitOnce();
  share_.reset(curl_share_init());
  if (share_) {
    curl_share_setopt(share_.get(), CURLSHOPT_USERDATA, &share_locks_);
    curl_share_setopt(share_.get(), CURLSHOPT_LOCKFUNC, LockShare);
    curl_share_setopt(share_.get(), CURLSHOPT_UNLOCKFUNC, UnlockShare);
    curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    // Not CURL_LOCK_DATA_CONNECT: libcurl documents a shared connection cache as unsupported
    // between concurrent threads. Each pooled easy handle keeps its own live connections
    // instead, which gives the same reuse for our one-host traffic.
  }
}

CurlTransport::~CurlTransport() {
  std::lock_guard lock(pool_mu_);
  pool_.clear();
}

CurlTransport::EasyHandle CurlTransport::Acquire() {
  {
    std::lock_guard lock(pool_mu_);
    if (!pool_.empty()) {
      EasyHandle handle = std::move(pool_.back());
      pool_.pop_back();
      return handle;
    }
  }
  return EasyHandle(curl_easy_init());
}

void CurlTransport::Release(EasyHandle handle) {
  std::lock_guard lock(pool_mu_);
  if (pool_.size() < options_.max_idle_handles) pool_.push_back(std::move(handle));
}

Result<TransportResponse> CurlTransport::Send(const TransportRequest& request) {
  EasyHandle handle = Acquire();
  if (!handle)
    return Status::Unavailable("could not create a libcurl handle", "stripe_unreachable");
  CURL* curl = handle.get();
  // Reset clears the previous request's options but keeps live connections and caches.
  curl_easy_reset(curl);

  TransportResponse response;
  char error_text[CURL_ERROR_SIZE] = {0};
  Slist headers;
  for (const auto& [name, value] : request.headers) {
    std::string line = name + ": " + value;
    curl_slist* appended = curl_slist_append(headers.get(), line.c_str());
    if (appended == nullptr) return Status::Internal("out of memory building request headers");
    headers.release();
    headers.reset(appended);
  }
  // Without this, curl may wait for a "100 Continue" that Stripe never sends on large POSTs.
  if (curl_slist* appended = curl_slist_append(headers.get(), "Expect:")) {
    headers.release();
    headers.reset(appended);
  }

  const long timeout_ms = static_cast<long>(std::max<int64_t>(1, request.timeout.count()));
  const long connect_ms = static_cast<long>(
      std::max<int64_t>(1, std::min<int64_t>(options_.connect_timeout.count(), timeout_ms)));

  curl_easy_setopt(curl, CURLOPT_SHARE, share_.get());
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPIDLE, 60L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPINTVL, 30L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  // Only advertise gzip when this libcurl can decode it, or bodies would arrive compressed.
  if (CurlHasZlib()) curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
  }

  CURLcode code = curl_easy_perform(curl);
  long http_status = 0;
  if (code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &http_status);
  // The handle must not keep pointers to this call's locals once it is back in the pool.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  Release(std::move(handle));

  if (code != CURLE_OK) {
    std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
    std::string message = "Could not reach " + Origin(request.url) + ": " + detail;
    switch (code) {
      case CURLE_OPERATION_TIMEDOUT:
        return Status::DeadlineExceeded(std::move(message), "stripe_timeout");
      case CURLE_URL_MALFORMAT:
      case CURLE_UNSUPPORTED_PROTOCOL:
        return Status::InvalidArgument(std::move(message), "stripe_bad_url");
      default: return Status::Unavailable(std::move(message), "stripe_unreachable");
    }
  }
  response.status = static_cast<int>(http_status);
  return response;
}

}  // namespace stripeline::stripe
