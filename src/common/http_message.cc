#include "common/http_message.h"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "common/text.h"

namespace stripeline {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> FindField(const Fields& fields, std::string_view name,
                                     bool ignore_case) {
  for (const auto& [key, value] : fields) {
    if (ignore_case ? EqualsIgnoreCase(key, name) : key == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string PercentDecode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() &&
               HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);  // a stray '%' is kept as is rather than rejected
    }
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  return boost::urls::encode(text, boost::urls::unreserved_chars);
}

// Parsing stays by hand: Boost.URL's parse_query rejects what this must accept, the literal
// '[' and ']' of Stripe's keys (created[gte]=...) and a stray '%' (kept, as PercentDecode does).
Fields ParseFormEncoded(std::string_view text) {
  Fields fields;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    fields.emplace_back(PercentDecode(key, true), PercentDecode(value, true));
  }
  return fields;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string AppendQuery(std::string_view url, const Fields& fields) {
  std::string out(url);
  if (fields.empty()) return out;
  out.push_back(out.find('?') == std::string::npos ? '?' : '&');
  return out + EncodeForm(fields);
}

std::string EncodeForm(const Fields& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(key);
    out.push_back('=');
    out += PercentEncode(value);
  }
  return out;
}

std::optional<std::string> HttpRequest::Header(std::string_view name) const {
  return FindField(headers, name, true);
}

std::optional<std::string> HttpRequest::Query(std::string_view name) const {
  return FindField(query, name, false);
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  return FindField(headers, name, true);
}

HttpResponse HttpResponse::Json(int status, const boost::json::value& body) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = boost::json::serialize(body);
  return response;
}

HttpResponse HttpResponse::Text(int status, std::string body, std::string content_type) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

}  // namespace stripeline
