#pragma once
// The one way reconcile/ names its enums: a table of (value, name) pairs per enum in its .cc,
// read by NameIn and ParseIn, so Name()/Parse() pairs cannot drift apart. Header-only; pure.

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace stripeline::reconcile {

template <typename E, size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

template <typename E, size_t N>
std::string_view NameIn(const NameTable<E, N>& table, E value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "unknown";
}

// `name`'s value; InvalidArgument naming `what` and the accepted names otherwise.
template <typename E, size_t N>
Result<E> ParseIn(const NameTable<E, N>& table, std::string_view name, std::string_view what) {
  std::string accepted;
  for (const auto& [entry, entry_name] : table) {
    if (entry_name == name) return entry;
    accepted += (accepted.empty() ? "" : ", ") + std::string(entry_name);
  }
  return Status::InvalidArgument(std::string(what) + " \"" + std::string(name) +
                                 "\" is not one of " + accepted);
}

}  // namespace stripeline::reconcile
