#pragma once
// Status: the outcome of an operation that can fail, LevelDB-style. Cheap when OK (no
// allocation); an error carries a category (StatusCode), a human message meant for the person
// who made the request, and a stable machine code (e.g. "invalid_secret_key") that the REST API
// returns as error.code. Immutable, so safe to share between threads.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace stripeline {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // the caller's input is wrong (HTTP 400/422)
  kUnauthenticated,     // who are you? (401)
  kPermissionDenied,    // known caller, not allowed (403)
  kNotFound,            // (404)
  kAlreadyExists,       // (409)
  kFailedPrecondition,  // the state does not allow it (409)
  kResourceExhausted,   // rate limited or too large (429/413)
  kUnavailable,         // a dependency is down; retrying may help (503)
  kDeadlineExceeded,    // timed out (504)
  kInternal,            // a bug or an unexpected failure (500)
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string message, std::string code = "invalid_argument") {
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(code));
  }
  static Status Unauthenticated(std::string message, std::string code = "unauthenticated") {
    return Status(StatusCode::kUnauthenticated, std::move(message), std::move(code));
  }
  static Status PermissionDenied(std::string message, std::string code = "forbidden") {
    return Status(StatusCode::kPermissionDenied, std::move(message), std::move(code));
  }
  static Status NotFound(std::string message, std::string code = "not_found") {
    return Status(StatusCode::kNotFound, std::move(message), std::move(code));
  }
  static Status AlreadyExists(std::string message, std::string code = "already_exists") {
    return Status(StatusCode::kAlreadyExists, std::move(message), std::move(code));
  }
  static Status FailedPrecondition(std::string message,
                                   std::string code = "failed_precondition") {
    return Status(StatusCode::kFailedPrecondition, std::move(message), std::move(code));
  }
  static Status ResourceExhausted(std::string message, std::string code = "resource_exhausted") {
    return Status(StatusCode::kResourceExhausted, std::move(message), std::move(code));
  }
  static Status Unavailable(std::string message, std::string code = "unavailable") {
    return Status(StatusCode::kUnavailable, std::move(message), std::move(code));
  }
  static Status DeadlineExceeded(std::string message, std::string code = "deadline_exceeded") {
    return Status(StatusCode::kDeadlineExceeded, std::move(message), std::move(code));
  }
  static Status Internal(std::string message, std::string code = "internal") {
    return Status(StatusCode::kInternal, std::move(message), std::move(code));
  }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Stable machine-readable code, e.g. "invalid_secret_key"; "ok" when OK.
  const std::string& error_code() const;
  // Message for a person; empty when OK.
  const std::string& message() const;
  // "<error_code>: <message>", or "OK".
  std::string ToString() const;

  // A copy with the message prefixed by `context` and ": ".
  Status WithContext(std::string_view context) const;
  // A copy that tells the caller when asking again may succeed (a throttled sign-in, a busy
  // server): the REST API sends it as `Retry-After`. Ignored on OK.
  Status WithRetryAfter(std::chrono::seconds after) const;
  // Set by WithRetryAfter; nullopt otherwise.
  std::optional<std::chrono::seconds> retry_after() const {
    return rep_ ? rep_->retry_after : std::nullopt;
  }

  bool operator==(const Status& other) const {
    return code() == other.code() && error_code() == other.error_code() &&
           message() == other.message();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string error_code;
    std::optional<std::chrono::seconds> retry_after;
  };
  Status(StatusCode code, std::string message, std::string error_code,
         std::optional<std::chrono::seconds> retry_after = std::nullopt)
      : rep_(std::make_shared<const Rep>(
            Rep{code, std::move(message), std::move(error_code), retry_after})) {}

  std::shared_ptr<const Rep> rep_;
};

std::string_view StatusCodeName(StatusCode code);

}  // namespace stripeline

// Early return of a failed Status (or Result's status) from a function returning Status.
#define SL_RETURN_IF_ERROR(expr)                 \
  do {                                           \
    ::stripeline::Status _sl_status = (expr);    \
    if (!_sl_status.ok()) return _sl_status;     \
  } while (0)
