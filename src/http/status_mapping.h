#pragma once
// The one mapping from Status to HTTP, and the API's error body
// {"error":{"code":..,"message":..}}. Pure functions.

#include <boost/json/object.hpp>

#include <string_view>

#include "common/http_message.h"
#include "common/status.h"

namespace stripeline::http {

int HttpStatusFor(const Status& status);
// Precondition: !status.ok().
HttpResponse ErrorResponse(const Status& status);
// The same with `details` beside code and message in the error object (e.g. the id of the
// verification that made a start conflict).
HttpResponse ErrorResponse(const Status& status, boost::json::object details);
// The error body: {"error": {"code": code, "message": message, ...details}}. The CLI prints it
// with --json.
boost::json::object ErrorJson(std::string_view code, std::string_view message,
                              boost::json::object details = {});
// The API's answer to a request no route takes (the Router's NoRoute): 404 for an unknown
// path, 405 with Allow when the path takes only the `allowed` methods.
HttpResponse NoRouteResponse(const HttpRequest& request, const std::string& allowed);

}  // namespace stripeline::http
