#include "stripe/transport.h"

#include <algorithm>
#include <cctype>

namespace stripeline::stripe {

std::optional<std::string> TransportResponse::Header(std::string_view name) const {
  auto equal_ci = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
             return std::tolower(x) == std::tolower(y);
           });
  };
  for (const auto& [key, value] : headers) {
    if (equal_ci(key, name)) return value;
  }
  return std::nullopt;
}

}  // namespace stripeline::stripe
