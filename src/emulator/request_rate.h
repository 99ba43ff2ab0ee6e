#pragma once
// RequestRate: how many API requests reached each account, per mode and per second of the
// emulator's wall clock — what a test reads to check that a client never exceeded its pace
// (GET /_emulator/request_rate). Every request attributed to an account counts, whatever it
// was answered (injected faults and 429s included); a request whose key or Stripe-Account is
// refused reaches no account and is not counted. Only the last kKeptSeconds seconds per
// account and mode are kept.
//
// Thread-safety: thread-safe.

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace stripeline::emulator {

class RequestRate {
 public:
  static constexpr int64_t kKeptSeconds = 3600;

  // One request to `account` in `livemode` during unix second `second`.
  void Count(const std::string& account, bool livemode, int64_t second);

  // {"accounts":[{"account","livemode","max_per_second","requests","windows":[{"second",
  // "requests"}, ...oldest first]}, ...]}, for every account and mode that had requests, or
  // only `account` / `livemode` when given.
  boost::json::object Report(const std::optional<std::string>& account,
                             std::optional<bool> livemode) const;

  void Clear();

 private:
  mutable std::mutex mu_;
  // (account, livemode) → second → requests; guarded by mu_.
  std::map<std::pair<std::string, bool>, std::map<int64_t, int64_t>> windows_;
};

}  // namespace stripeline::emulator
