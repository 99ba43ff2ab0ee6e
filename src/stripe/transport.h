#pragma once
// Transport: the one seam between the Stripe client and the network (stripe-go's Backend).
// A Transport sends one HTTP request and returns the response, whatever its status; it never
// retries, never interprets Stripe's body and never logs (requests carry secrets).
//
// Thread-safety: implementations must allow concurrent Send() calls from many threads.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace stripeline::stripe {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct TransportRequest {
  std::string method;  // "GET", "POST", "DELETE"
  std::string url;     // absolute, query string included
  HeaderList headers;  // sent as given, in order
  std::string body;    // sent when non-empty (and always for POST)
  // Whole-request deadline (connect + send + receive).
  std::chrono::milliseconds timeout{30000};
};

struct TransportResponse {
  int status = 0;
  HeaderList headers;  // names lowercased, values trimmed, in arrival order
  std::string body;    // decoded (gzip already undone)

  // The first header named `name` (compared case-insensitively), or nullopt.
  std::optional<std::string> Header(std::string_view name) const;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Sends `request` once. Any HTTP response (2xx, 4xx, 5xx) is a successful Result. A failed
  // Result means no HTTP response arrived:
  //   Status::Unavailable, error_code "stripe_unreachable": could not connect, DNS failure, TLS
  //     failure, connection reset; the message carries the underlying error text.
  //   Status::DeadlineExceeded, error_code "stripe_timeout": `request.timeout` expired.
  //   Status::InvalidArgument: the request itself is malformed (e.g. an unusable URL).
  virtual Result<TransportResponse> Send(const TransportRequest& request) = 0;
};

}  // namespace stripeline::stripe
