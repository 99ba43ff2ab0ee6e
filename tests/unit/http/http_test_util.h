#pragma once
// Helpers for the http/ unit tests: build an HttpRequest as HttpServer would, and read a JSON
// answer. Pure functions.

#include <boost/json.hpp>

#include <cctype>
#include <string>
#include <utility>

#include "common/http_message.h"

namespace stripeline::test_util {

// `target` is path and query ("/api/v1/integrations?keep_data=false"); header names any case.
inline HttpRequest MakeRequest(std::string method, const std::string& target, Fields headers = {},
                               std::string body = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.target = target;
  size_t q = target.find('?');
  request.path = PercentDecode(target.substr(0, q), false);
  if (q != std::string::npos) request.query = ParseFormEncoded(target.substr(q + 1));
  for (auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(lower), std::move(value));
  }
  request.body = std::move(body);
  return request;
}

// The parsed body; null when it is not JSON.
inline boost::json::value JsonOf(const HttpResponse& response) {
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(response.body, ec);
  return ec ? boost::json::value(nullptr) : value;
}

// error.code of an {"error":{"code","message"}} body, or "<none>".
inline std::string ErrorCodeOf(const HttpResponse& response) {
  boost::json::value json = JsonOf(response);
  const boost::json::value* code =
      json.is_object() && json.as_object().contains("error") && json.at("error").is_object()
          ? json.at("error").as_object().if_contains("code")
          : nullptr;
  return code && code->is_string() ? std::string(code->as_string()) : "<none>";
}

}  // namespace stripeline::test_util
