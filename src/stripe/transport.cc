#include "stripe/transport.h"

#include "common/text.h"

namespace stripeline::stripe {

std::optional<std::string> TransportResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return value;
  }
  return std::nullopt;
}

}  // namespace stripeline::stripe
