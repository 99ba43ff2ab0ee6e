#pragma once
// Result<T>: either a value or a failed Status (like absl::StatusOr). Expected failures travel
// as values; exceptions are reserved for bugs. Not thread-safe for concurrent mutation, like
// any value type.

#include <cassert>
#include <optional>
#include <utility>

#include "common/status.h"

namespace stripeline {

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose, so `return value;` and `return Status::NotFound(..);` both read well.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "a Result built from a Status must carry an error");
    if (status_.ok()) status_ = Status::Internal("Result constructed from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // Precondition: ok().
  T& value() & {
    assert(ok() && "value() called on a failed Result");
    return *value_;
  }
  const T& value() const& {
    assert(ok() && "value() called on a failed Result");
    return *value_;
  }
  T&& value() && {
    assert(ok() && "value() called on a failed Result");
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;  // OK iff value_ is set
};

}  // namespace stripeline

#define SL_CONCAT_INNER(a, b) a##b
#define SL_CONCAT(a, b) SL_CONCAT_INNER(a, b)
// `SL_ASSIGN_OR_RETURN(auto x, Compute());` assigns the value or returns the error Status.
#define SL_ASSIGN_OR_RETURN(lhs, expr) SL_ASSIGN_OR_RETURN_IMPL(SL_CONCAT(_sl_result_, __LINE__), lhs, expr)
#define SL_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
