#pragma once
// HttpRequest / HttpResponse: the plain values an HttpServer hands to its handler and gets back.
// Shared by the REST API (src/http) and the Stripe emulator, which must not depend on each other.
// Value types; not synchronised.

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stripeline {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Decodes `application/x-www-form-urlencoded` text (a query string or a form body):
// percent-escapes and '+' as space, pairs kept in order, repeated keys kept.
Fields ParseFormEncoded(std::string_view text);
// The inverse: percent-encodes every byte outside [A-Za-z0-9-._~].
std::string EncodeForm(const Fields& fields);
std::string PercentDecode(std::string_view text, bool plus_as_space);
std::string PercentEncode(std::string_view text);
// Escapes &, <, >, " and ' for HTML text and attribute values (server-rendered pages).
std::string HtmlEscape(std::string_view text);
// `url` with `fields` appended to its query (after '?' or '&'), form-encoded.
std::string AppendQuery(std::string_view url, const Fields& fields);

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: path and query
  std::string path;    // percent-decoded path, no query
  Fields query;        // decoded query parameters, in order
  Fields headers;      // names lowercased
  std::string body;
  std::string remote_address;

  // First header with that (case-insensitive) name.
  std::optional<std::string> Header(std::string_view name) const;
  // First query parameter with that name.
  std::optional<std::string> Query(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Fields headers;  // Content-Length is added by the server
  std::string body;

  void SetHeader(std::string name, std::string value);
  std::optional<std::string> Header(std::string_view name) const;

  static HttpResponse Json(int status, const boost::json::value& body);
  static HttpResponse Text(int status, std::string body,
                           std::string content_type = "text/plain; charset=utf-8");
};

}  // namespace stripeline
