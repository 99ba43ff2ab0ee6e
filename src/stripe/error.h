#pragma once
// StripeError: a failed Stripe call, typed like stripe-go's *stripe.Error. It carries what
// Stripe said (type, code, message, param, doc_url), the HTTP status and the Request-Id, so a
// caller can branch on the kind and a person can quote the request id to Stripe support.
// StripeResult<T>: either a T or a StripeError.
//
// Thread-safety: plain values; safe to share once built.

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/result.h"
#include "common/status.h"

namespace stripeline::stripe {

enum class ErrorKind {
  kConnection,      // no HTTP response: unreachable or timed out (http_status 0)
  kAuthentication,  // 401: missing, invalid, expired or publishable key
  kPermission,      // 403: restricted key lacks a permission, account not connected
  kInvalidRequest,  // 400 / 404: bad parameters, missing object
  kRateLimit,       // 429
  kCard,            // 402
  kIdempotency,     // type "idempotency_error": same key reused with different parameters
  kApi,             // 409, 5xx, anything else, or a response we could not understand
};

// "connection", "authentication", "permission", "invalid_request", "rate_limit", "card",
// "idempotency", "api".
std::string_view ErrorKindName(ErrorKind kind);

struct StripeError {
  ErrorKind kind = ErrorKind::kApi;
  int http_status = 0;     // 0 for kConnection
  std::string type;        // Stripe's error.type, e.g. "invalid_request_error"; may be empty
  std::string code;        // Stripe's error.code, e.g. "resource_missing"; may be empty.
                           // kConnection: "stripe_unreachable" or "stripe_timeout".
  std::string message;     // Stripe's error.message (already masks keys); never empty
  std::string param;       // Stripe's error.param
  std::string doc_url;     // Stripe's error.doc_url
  std::string request_id;  // Request-Id response header; empty when there was no response

  // The Status the rest of Stripeline uses:
  //   kAuthentication → Unauthenticated, kPermission → PermissionDenied,
  //   kRateLimit → ResourceExhausted, kConnection → Unavailable ("stripe_unreachable") or
  //   DeadlineExceeded ("stripe_timeout"), kInvalidRequest with 404 → NotFound,
  //   kInvalidRequest / kCard / kIdempotency / a 4xx kApi → InvalidArgument,
  //   other kApi (409, 5xx, unreadable response) → Unavailable.
  // error_code is Stripe's `code` when present, else "stripe_" + ErrorKindName(kind); the
  // message is Stripe's message.
  Status ToStatus() const;
};

// Classifies an HTTP error response and parses Stripe's `{"error":{...}}` body. Tolerates a
// body that is not JSON or not Stripe's shape (then message says so and names the status), and
// the OAuth shape `{"error":"invalid_grant","error_description":"..."}` (code = the string).
StripeError ParseStripeError(int http_status, std::string_view body, std::string request_id);

// A kConnection error from a failed Transport Result (Unavailable or DeadlineExceeded); any
// other failed Status becomes kApi with its message. Precondition: !status.ok().
StripeError ConnectionError(const Status& status);

template <typename T>
class [[nodiscard]] StripeResult {
 public:
  // Implicit on purpose, so `return value;` and `return error;` both read well.
  StripeResult(T value) : rep_(std::in_place_index<0>, std::move(value)) {}            // NOLINT
  StripeResult(StripeError error) : rep_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return rep_.index() == 0; }

  // Precondition: ok().
  T& value() & { return std::get<0>(rep_); }
  const T& value() const& { return std::get<0>(rep_); }
  T&& value() && { return std::get<0>(std::move(rep_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !ok().
  const StripeError& error() const& { return std::get<1>(rep_); }
  StripeError&& error() && { return std::get<1>(std::move(rep_)); }

  // OK, or error().ToStatus().
  Status status() const { return ok() ? Status::OK() : error().ToStatus(); }
  // The same outcome as a Result<T>, for code that speaks Status.
  Result<T> ToResult() && {
    if (ok()) return std::move(*this).value();
    return error().ToStatus();
  }

 private:
  std::variant<T, StripeError> rep_;
};

}  // namespace stripeline::stripe
