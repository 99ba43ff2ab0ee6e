// Fuzz target: the bytes a client sends to HttpServer. Boost.Beast's request parser reads them
// with the server's limits (requests pipelined on one connection, as the server reads them),
// each request becomes the HttpRequest handlers get (MakeHttpRequest), is routed through a
// Router holding every route of docs/openapi.yaml, and its headers, query and cookies are looked
// up as the API does. Handlers echo the path and its parameters into JSON, which must stay
// valid whatever the bytes were.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "common/http_message.h"
#include "common/http_server.h"
#include "common/router.h"
#include "common/utf8.h"
#include "fuzz/fuzz_check.h"
#include "http/api.h"

namespace {

namespace bhttp = boost::beast::http;
using namespace stripeline;

// A path item of docs/openapi.yaml is a line "  /path:", its operations "    get:" below it.
Router ApiRouter() {
  Router router([](const HttpRequest& request, const std::string& allowed) {
    return HttpResponse::Json(allowed.empty() ? 404 : 405,
                              boost::json::object{{"path", request.path}, {"allowed", allowed}});
  });
  std::ifstream in(std::string(STRIPELINE_SOURCE_DIR) + "/docs/openapi.yaml");
  std::string line, path;
  int routes = 0;
  for (bool in_paths = false; std::getline(in, line);) {
    if (line == "paths:") in_paths = true;
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ' && line != "paths:") break;
    if (line.size() > 3 && line.starts_with("  /") && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      continue;
    }
    for (const char* method : {"get", "post", "put", "patch", "delete"}) {
      if (line == "    " + std::string(method) + ":") {
        std::string upper(method);
        for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
        router.Add(upper, path, [](const HttpRequest& request, const PathParams& params) {
          boost::json::object echoed{{"path", request.path}};
          for (const auto& [name, value] : params) echoed[name] = value;
          return HttpResponse::Json(200, echoed);
        });
        ++routes;
      }
    }
  }
  FUZZ_CHECK(routes > 30);  // the file was found and read
  return router;
}

void Handle(const Router& router, const bhttp::request<bhttp::string_body>& raw) {
  Fields headers;
  for (const auto& field : raw) {
    headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  HttpRequest request = MakeHttpRequest(std::string(raw.method_string()), raw.target(),
                                        std::move(headers), raw.body(), "127.0.0.1");
  FUZZ_CHECK(IsValidUtf8(request.path));
  for (const auto& [key, value] : request.query) FUZZ_CHECK(IsValidUtf8(key) && IsValidUtf8(value));
  if (request.method == "HEAD") request.method = "GET";
  HttpResponse response = router.Dispatch(request);
  boost::system::error_code ec;
  boost::json::parse(response.body, ec);
  FUZZ_CHECK(!ec);
  (void)request.Header("authorization");
  (void)request.Query("limit");
  (void)http::CookieValue(request, http::kSessionCookie);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Router router = ApiRouter();
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  // Up to a few pipelined requests, each by a new parser on what the last one left.
  for (int i = 0; i < 4 && !rest.empty(); ++i) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(HttpServerOptions{}.body_limit);
    parser.header_limit(kHttpHeaderLimit);
    parser.eager(true);
    boost::beast::error_code ec;
    while (!parser.is_done()) {
      const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
      rest.remove_prefix(used);
      if (ec == bhttp::error::need_more || (!ec && used == 0)) {
        ec = {};
        if (used > 0 && !rest.empty()) continue;
        parser.put_eof(ec);  // the connection ends here
        if (!ec && !parser.is_done()) return 0;
      }
      if (ec) return 0;  // the server answers 400, 413, 414 or 431 and closes
    }
    Handle(router, parser.get());
  }
  return 0;
}
