#pragma once
// HttpPost: a minimal synchronous HTTP/1.1 client (Boost.Beast) for the emulator's webhook
// deliveries. The emulator links only sl_common, so it cannot use the libcurl transport of
// src/stripe. Plain http:// only (deliveries go to local test receivers).
//
// Thread-safety: a pure function; each call uses its own socket.

#include <chrono>
#include <string>

#include "common/http_message.h"
#include "common/result.h"

namespace stripeline::emulator {

// POSTs `body` to `url` ("http://host[:port]/path") with `headers`; returns the response status.
// Fails (Unavailable) on a bad URL, a refused or dropped connection, or when the connection,
// sending or reading takes longer than `timeout`.
Result<int> HttpPost(const std::string& url, const Fields& headers, const std::string& body,
                     std::chrono::milliseconds timeout);

}  // namespace stripeline::emulator
