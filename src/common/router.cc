#include "http/router.h"

#include "http/status_mapping.h"

namespace stripeline::http {

std::vector<std::string> Router::Split(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

void Router::Add(std::string method, std::string pattern, RouteHandler handler) {
  routes_.push_back(Route{std::move(method), Split(pattern), std::move(handler)});
}

bool Router::Match(const Route& route, const std::vector<std::string>& segments,
                   PathParams& params) {
  if (route.segments.size() != segments.size()) return false;
  PathParams found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& expected = route.segments[i];
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      found[expected.substr(1, expected.size() - 2)] = segments[i];
    } else if (expected != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

std::vector<std::string> Router::Describe() const {
  std::vector<std::string> out;
  for (const auto& route : routes_) {
    std::string path;
    for (const auto& segment : route.segments) path += "/" + segment;
    out.push_back(route.method + " " + (path.empty() ? "/" : path));
  }
  return out;
}

HttpResponse Router::Dispatch(const HttpRequest& request) const {
  auto segments = Split(request.path);
  std::string allowed;
  for (const auto& route : routes_) {
    PathParams params;
    if (!Match(route, segments, params)) continue;
    if (route.method == request.method) return route.handler(request, params);
    allowed += (allowed.empty() ? "" : ", ") + route.method;
  }
  if (!allowed.empty()) {
    HttpResponse response = ErrorResponse(Status::InvalidArgument(
        request.method + " is not supported on " + request.path + " (allowed: " + allowed + ").",
        "method_not_allowed"));
    response.status = 405;
    response.SetHeader("Allow", allowed);
    return response;
  }
  return ErrorResponse(Status::NotFound("No such endpoint: " + request.method + " " +
                                        request.path + ". See docs/openapi.yaml."));
}

}  // namespace stripeline::http
