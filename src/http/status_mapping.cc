#include "http/status_mapping.h"

#include <boost/json.hpp>

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

HttpResponse ErrorResponse(const Status& status) {
  // Internal errors may carry details meant for the log, not for the caller.
  std::string message =
      status.code() == StatusCode::kInternal && status.error_code() == "internal"
          ? "Internal error; see the server log."
          : status.message();
  boost::json::object error{{"code", status.error_code()}, {"message", message}};
  HttpResponse response =
      HttpResponse::Json(HttpStatusFor(status), boost::json::object{{"error", error}});
  // An error describes this moment (a missing session, a route not yet there): never cache it.
  response.SetHeader("Cache-Control", "no-store");
  return response;
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
