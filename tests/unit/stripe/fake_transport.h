#pragma once
// FakeTransport: a scripted Transport for unit tests. Answers come from a FIFO queue first,
// then from routes keyed by method and URL path (for concurrent callers such as the probe);
// every request is recorded. Thread-safe.

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "stripe/transport.h"

namespace stripeline::stripe::testing {

inline TransportResponse Respond(int status, std::string body, HeaderList headers = {},
                                 std::string request_id = "req_test") {
  TransportResponse response;
  response.status = status;
  response.body = std::move(body);
  if (!request_id.empty()) response.headers.emplace_back("request-id", std::move(request_id));
  for (auto& header : headers) response.headers.push_back(std::move(header));
  return response;
}

// The URL's path without scheme, host or query: "https://x/v1/charges?limit=1" → "/v1/charges".
inline std::string UrlPath(const std::string& url) {
  size_t start = url.find("://");
  start = start == std::string::npos ? 0 : url.find('/', start + 3);
  if (start == std::string::npos) return "/";
  size_t end = url.find('?', start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// The query string of a URL ("" when none).
inline std::string UrlQuery(const std::string& url) {
  size_t q = url.find('?');
  return q == std::string::npos ? "" : url.substr(q + 1);
}

inline std::string HeaderValue(const TransportRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

class FakeTransport final : public Transport {
 public:
  void Push(Result<TransportResponse> answer) {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(answer));
  }
  void Route(std::string method, std::string path, Result<TransportResponse> answer) {
    std::lock_guard lock(mu_);
    routes_.insert_or_assign({std::move(method), std::move(path)}, std::move(answer));
  }

  Result<TransportResponse> Send(const TransportRequest& request) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      Result<TransportResponse> answer = std::move(queue_.front());
      queue_.pop_front();
      return answer;
    }
    auto route = routes_.find({request.method, UrlPath(request.url)});
    if (route != routes_.end()) return route->second;
    return Respond(418, "{\"error\":{\"message\":\"FakeTransport: nothing scripted for " +
                            request.method + " " + request.url + "\"}}");
  }

  std::vector<TransportRequest> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  size_t request_count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }

 private:
  mutable std::mutex mu_;
  std::deque<Result<TransportResponse>> queue_;
  std::map<std::pair<std::string, std::string>, Result<TransportResponse>> routes_;
  std::vector<TransportRequest> requests_;
};

}  // namespace stripeline::stripe::testing
