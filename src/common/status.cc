#include "common/status.h"

namespace stripeline {

namespace {
const std::string kEmpty;
const std::string kOkCode = "ok";
}  // namespace

const std::string& Status::error_code() const { return rep_ ? rep_->error_code : kOkCode; }

const std::string& Status::message() const { return rep_ ? rep_->message : kEmpty; }

std::string Status::ToString() const {
  if (ok()) return "OK";
  return rep_->error_code + ": " + rep_->message;
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(rep_->code, std::string(context) + ": " + rep_->message, rep_->error_code,
                rep_->retry_after);
}

Status Status::WithRetryAfter(std::chrono::seconds after) const {
  if (ok()) return *this;
  return Status(rep_->code, rep_->message, rep_->error_code, after);
}

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kUnauthenticated: return "unauthenticated";
    case StatusCode::kPermissionDenied: return "permission_denied";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kResourceExhausted: return "resource_exhausted";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kDeadlineExceeded: return "deadline_exceeded";
    case StatusCode::kInternal: return "internal";
  }
  return "unknown";
}

}  // namespace stripeline
