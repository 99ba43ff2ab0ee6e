#pragma once
// Router: matches a method and a path such as /api/v1/integrations/{id}/test to a handler,
// collecting the {placeholders}. Both servers route with it: the REST API (src/http) and the
// Stripe emulator, each answering requests that no route takes in its own error shape (the
// `NoRoute` handler: an unknown path, or a known path with another method and the methods it
// allows). Routes are added at start-up, then only read: thread-safe for Dispatch.
//
// `Context...` are extra arguments Dispatch hands to every handler, for what a server knows
// about a request before routing it (the emulator's request id); a plain `Router` has none.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/http_message.h"

namespace stripeline {

using PathParams = std::map<std::string, std::string>;

// One route's method and path pattern; "{name}" segments are placeholders. Empty segments are
// ignored in patterns and paths alike ("/a//b/" is "/a/b"). Immutable.
class RoutePattern {
 public:
  RoutePattern(std::string method, std::string_view pattern);

  // The non-empty segments of a request path.
  static std::vector<std::string> Split(std::string_view path);
  // True when `segments` (Split of a path) fit the pattern, whatever the method; then
  // `params` holds the placeholders' values.
  bool Match(const std::vector<std::string>& segments, PathParams& params) const;
  const std::string& method() const { return method_; }
  // "METHOD /pattern".
  std::string Describe() const;

 private:
  std::string method_;
  std::vector<std::string> segments_;
};

template <typename... Context>
class BasicRouter {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&, const PathParams&, Context...)>;
  // `allowed` is "GET, POST" when routes have the request's path but not its method, else "".
  using NoRoute =
      std::function<HttpResponse(const HttpRequest&, const std::string& allowed, Context...)>;

  explicit BasicRouter(NoRoute no_route) : no_route_(std::move(no_route)) {}

  // Routes match in the order they were added: add literal segments before a placeholder in
  // the same position.
  void Add(std::string method, std::string_view pattern, Handler handler) {
    routes_.push_back(Route{RoutePattern(std::move(method), pattern), std::move(handler)});
  }

  // The first route matching the request's method and path (its query is not looked at),
  // else the NoRoute answer.
  HttpResponse Dispatch(const HttpRequest& request, Context... context) const {
    const std::vector<std::string> segments = RoutePattern::Split(request.path);
    std::string allowed;
    for (const Route& route : routes_) {
      PathParams params;
      if (!route.pattern.Match(segments, params)) continue;
      if (route.pattern.method() == request.method) {
        return route.handler(request, params, context...);
      }
      allowed += (allowed.empty() ? "" : ", ") + route.pattern.method();
    }
    return no_route_(request, allowed, context...);
  }

  // "METHOD /pattern" of every route, in registration order (the API reference is checked
  // against it).
  std::vector<std::string> Describe() const {
    std::vector<std::string> out;
    for (const Route& route : routes_) out.push_back(route.pattern.Describe());
    return out;
  }

 private:
  struct Route {
    RoutePattern pattern;
    Handler handler;
  };

  NoRoute no_route_;
  std::vector<Route> routes_;
};

using Router = BasicRouter<>;
using RouteHandler = Router::Handler;

}  // namespace stripeline
