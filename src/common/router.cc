#include "common/router.h"

namespace stripeline {

RoutePattern::RoutePattern(std::string method, std::string_view pattern)
    : method_(std::move(method)), segments_(Split(pattern)) {}

std::vector<std::string> RoutePattern::Split(std::string_view path) {
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

bool RoutePattern::Match(const std::vector<std::string>& segments, PathParams& params) const {
  if (segments_.size() != segments.size()) return false;
  PathParams found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& expected = segments_[i];
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      found[expected.substr(1, expected.size() - 2)] = segments[i];
    } else if (expected != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

std::string RoutePattern::Describe() const {
  std::string path;
  for (const std::string& segment : segments_) path += "/" + segment;
  return method_ + " " + (path.empty() ? "/" : path);
}

}  // namespace stripeline
