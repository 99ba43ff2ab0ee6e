#include "emulator/request_params.h"

#include <boost/json.hpp>

namespace stripeline::emulator {

namespace json = boost::json;

Fields RequestParams(const HttpRequest& request) {
  Fields params = request.query;
  std::string_view body = request.body;
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && body[start] == '{') {
    boost::system::error_code ec;
    json::value value = json::parse(body, ec);
    if (ec || !value.is_object()) return params;
    auto text = [](const json::value& v) -> std::string {
      if (v.is_string()) return std::string(v.as_string());
      return json::serialize(v);
    };
    for (const auto& member : value.as_object()) {
      if (member.value().is_array()) {
        for (const json::value& v : member.value().as_array()) {
          params.emplace_back(std::string(member.key()), text(v));
        }
      } else if (!member.value().is_null()) {
        params.emplace_back(std::string(member.key()), text(member.value()));
      }
    }
  } else {
    Fields form = ParseFormEncoded(body);
    params.insert(params.end(), form.begin(), form.end());
  }
  return params;
}

std::optional<std::string> Param(const Fields& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

std::string RandomFrom(std::mt19937_64& rng, size_t n, bool upper_only) {
  static constexpr std::string_view kChars =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kChars[rng() % (upper_only ? 36 : kChars.size())]);
  return out;
}


}  // namespace stripeline::emulator
