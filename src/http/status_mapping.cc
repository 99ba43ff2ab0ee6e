#include "http/status_mapping.h"

#include <boost/json.hpp>

#include <algorithm>

#include "common/log.h"

namespace stripeline::http {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 422;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDeadlineExceeded: return 504;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const Status& status) { return ErrorResponse(status, {}); }

HttpResponse ErrorResponse(const Status& status, boost::json::object details) {
  // Internal errors may carry details meant for the log (SQL, file paths), not for the
  // caller: those of the generic codes are logged and replaced. Codes of their own
  // (credentials_unreadable, ...) carry a message written for the user.
  const bool hidden = status.code() == StatusCode::kInternal &&
                      (status.error_code() == "internal" || status.error_code() == "database_error");
  if (hidden) log::Error("http.internal_error", {{"error", status.ToString()}});
  std::string message = hidden ? "Internal error; see the server log." : status.message();
  HttpResponse response =
      HttpResponse::Json(HttpStatusFor(status), ErrorJson(status.error_code(), message, std::move(details)));
  // An error describes this moment (a missing session, a route not yet there): never cache it.
  response.SetHeader("Cache-Control", "no-store");
  if (status.retry_after()) {
    const int64_t seconds = std::max<int64_t>(1, status.retry_after()->count());
    response.SetHeader("Retry-After", std::to_string(seconds));
  }
  return response;
}

boost::json::object ErrorJson(std::string_view code, std::string_view message,
                              boost::json::object details) {
  boost::json::object error = std::move(details);
  error["code"] = code;
  error["message"] = message;
  return {{"error", std::move(error)}};
}

HttpResponse NoRouteResponse(const HttpRequest& request, const std::string& allowed) {
  if (!allowed.empty()) {
    HttpResponse response = ErrorResponse(Status::InvalidArgument(
        request.method + " is not supported on " + request.path + " (allowed: " + allowed + ").",
        "method_not_allowed"));
    response.status = 405;
    response.SetHeader("Allow", allowed);
    return response;
  }
  return ErrorResponse(Status::NotFound("No such endpoint: " + request.method + " " +
                                        request.path + ". See docs/openapi.yaml."));
}

}  // namespace stripeline::http
