#include "store/database.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace stripeline::store {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// C++20 deduces this for aggregates; Clang 14 (the fuzz build's compiler) does not yet.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string FormatDouble(double d) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

int64_t ParseInt(const std::string& s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc() && ptr == s.data() + s.size()) return v;
  // PostgreSQL's text format may render a whole number stored as NUMERIC with a fraction.
  double d = 0;
  auto [dptr, dec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (dec == std::errc() && std::isfinite(d)) return static_cast<int64_t>(d);
  return 0;
}

}  // namespace

Value OptionalValue(const std::optional<std::string>& v) {
  return v ? Value(*v) : Value(std::monostate{});
}
Value OptionalValue(const std::optional<int64_t>& v) {
  return v ? Value(*v) : Value(std::monostate{});
}

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values)
    : columns_(std::move(columns)), values_(std::move(values)) {}

size_t Row::ColumnIndex(std::string_view column) const {
  if (columns_) {
    for (size_t i = 0; i < columns_->size(); ++i) {
      if ((*columns_)[i] == column) return i;
    }
  }
  throw std::out_of_range("no column named '" + std::string(column) + "' in the result");
}

bool Row::IsNull(size_t i) const { return std::holds_alternative<std::monostate>(at(i)); }

std::string Row::GetString(size_t i) const {
  return std::visit(Overloaded{[](std::monostate) { return std::string(); },
                               [](int64_t v) { return std::to_string(v); },
                               [](double v) { return FormatDouble(v); },
                               [](const std::string& v) { return v; }},
                    at(i));
}

int64_t Row::GetInt(size_t i) const {
  return std::visit(Overloaded{[](std::monostate) { return int64_t{0}; },
                               [](int64_t v) { return v; },
                               [](double v) { return static_cast<int64_t>(v); },
                               [](const std::string& v) { return ParseInt(v); }},
                    at(i));
}

double Row::GetDouble(size_t i) const {
  return std::visit(Overloaded{[](std::monostate) { return 0.0; },
                               [](int64_t v) { return static_cast<double>(v); },
                               [](double v) { return v; },
                               [](const std::string& v) {
                                 double d = 0;
                                 std::from_chars(v.data(), v.data() + v.size(), d);
                                 return d;
                               }},
                    at(i));
}

std::optional<std::string> Row::GetOptionalString(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetString(i);
}

std::optional<int64_t> Row::GetOptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return GetInt(i);
}

}  // namespace stripeline::store
