#pragma once
// The one mapping from Status to HTTP, and the API's error body
// {"error":{"code":..,"message":..}}. Pure functions.

#include "common/http_message.h"
#include "common/status.h"

namespace stripeline::http {

int HttpStatusFor(const Status& status);
// Precondition: !status.ok().
HttpResponse ErrorResponse(const Status& status);

}  // namespace stripeline::http
