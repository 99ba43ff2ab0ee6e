#pragma once
// Router: matches a method and a path such as /api/v1/integrations/{id}/test to a handler,
// collecting the {placeholders}. An unknown path answers 404, a known path with another method
// 405 with Allow. Routes are added at start-up, then only read: thread-safe for Dispatch.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/http_message.h"

namespace stripeline::http {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, RouteHandler handler);
  HttpResponse Dispatch(const HttpRequest& request) const;
  // "METHOD /pattern" of every route, in registration order (the API reference is checked
  // against it).
  std::vector<std::string> Describe() const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" marks a placeholder
    RouteHandler handler;
  };
  static std::vector<std::string> Split(std::string_view path);
  static bool Match(const Route& route, const std::vector<std::string>& segments,
                    PathParams& params);

  std::vector<Route> routes_;
};

}  // namespace stripeline::http
