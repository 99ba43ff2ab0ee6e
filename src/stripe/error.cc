#include "stripe/error.h"

#include <boost/json.hpp>

namespace stripeline::stripe {

namespace {

std::string StringField(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->get_string());
}

ErrorKind KindFromStatus(int http_status) {
  switch (http_status) {
    case 400:
    case 404: return ErrorKind::kInvalidRequest;
    case 401: return ErrorKind::kAuthentication;
    case 402: return ErrorKind::kCard;
    case 403: return ErrorKind::kPermission;
    case 429: return ErrorKind::kRateLimit;
    default: return ErrorKind::kApi;
  }
}

}  // namespace

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnection: return "connection";
    case ErrorKind::kAuthentication: return "authentication";
    case ErrorKind::kPermission: return "permission";
    case ErrorKind::kInvalidRequest: return "invalid_request";
    case ErrorKind::kRateLimit: return "rate_limit";
    case ErrorKind::kCard: return "card";
    case ErrorKind::kIdempotency: return "idempotency";
    case ErrorKind::kApi: return "api";
  }
  return "api";
}

StripeError ParseStripeError(int http_status, std::string_view body, std::string request_id) {
  StripeError error;
  error.http_status = http_status;
  error.request_id = std::move(request_id);
  error.kind = KindFromStatus(http_status);

  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    const boost::json::value* envelope = parsed.get_object().if_contains("error");
    if (envelope != nullptr && envelope->is_object()) {
      const auto& fields = envelope->get_object();
      error.type = StringField(fields, "type");
      error.code = StringField(fields, "code");
      error.message = StringField(fields, "message");
      error.param = StringField(fields, "param");
      error.doc_url = StringField(fields, "doc_url");
    } else if (envelope != nullptr && envelope->is_string()) {
      // Connect OAuth errors: {"error":"invalid_grant","error_description":"..."}.
      error.code = std::string(envelope->get_string());
      error.message = StringField(parsed.get_object(), "error_description");
    }
  }
  if (error.type == "idempotency_error") error.kind = ErrorKind::kIdempotency;
  if (error.message.empty()) {
    error.message = "Stripe answered HTTP " + std::to_string(http_status) +
                    " without an error message we could read";
    if (!error.request_id.empty()) error.message += " (request " + error.request_id + ")";
  }
  return error;
}

StripeError ConnectionError(const Status& status) {
  StripeError error;
  const bool transport_failure =
      status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kDeadlineExceeded;
  error.kind = transport_failure ? ErrorKind::kConnection : ErrorKind::kApi;
  if (transport_failure) {
    error.code =
        status.code() == StatusCode::kDeadlineExceeded ? "stripe_timeout" : "stripe_unreachable";
  } else {
    error.code = status.error_code();
  }
  error.message = status.message().empty() ? "Stripe could not be reached" : status.message();
  return error;
}

Status StripeError::ToStatus() const {
  std::string error_code = code.empty() ? "stripe_" + std::string(ErrorKindName(kind)) : code;
  switch (kind) {
    case ErrorKind::kAuthentication: return Status::Unauthenticated(message, std::move(error_code));
    case ErrorKind::kPermission: return Status::PermissionDenied(message, std::move(error_code));
    case ErrorKind::kRateLimit: return Status::ResourceExhausted(message, std::move(error_code));
    case ErrorKind::kConnection:
      if (code == "stripe_timeout") return Status::DeadlineExceeded(message, "stripe_timeout");
      return Status::Unavailable(message, code.empty() ? "stripe_unreachable" : error_code);
    case ErrorKind::kInvalidRequest:
      if (http_status == 404) return Status::NotFound(message, std::move(error_code));
      return Status::InvalidArgument(message, std::move(error_code));
    case ErrorKind::kCard:
    case ErrorKind::kIdempotency: return Status::InvalidArgument(message, std::move(error_code));
    case ErrorKind::kApi:
      if (http_status >= 400 && http_status < 500 && http_status != 409) {
        return Status::InvalidArgument(message, std::move(error_code));
      }
      return Status::Unavailable(message, std::move(error_code));
  }
  return Status::Internal(message, std::move(error_code));
}

}  // namespace stripeline::stripe
