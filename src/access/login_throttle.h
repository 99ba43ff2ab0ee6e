#pragma once
// LoginThrottle: makes guessing passwords slow. It counts failed sign-ins per account (the
// normalised email, known or not) and per client address. Past a free allowance, each further
// failure closes sign-ins for that account or address for a doubling time (1 s, 2 s, 4 s, …,
// at most max_wait). While closed, attempts are refused before any password is checked — a
// flood then costs neither hashing time nor memory — and refusals do not lengthen the wait.
// A successful sign-in clears its account's count (not its address's: one good password must
// not reopen an address that guesses at other accounts). Counts are forgotten after
// `forget_after` without a failure.
//
// Memory is bounded: at most max_tracked accounts and as many addresses are remembered; past
// that the ones whose last failure is oldest are forgotten first.
//
// Thread-safety: thread-safe. The Clock must outlive the throttle.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace stripeline::access {

struct LoginThrottleOptions {
  int account_allowance = 5;   // failures per account before sign-ins close
  int address_allowance = 20;  // per client address (offices share one)
  std::chrono::seconds first_wait{1};
  std::chrono::seconds max_wait{900};
  std::chrono::seconds forget_after{3600};
  std::size_t max_tracked = 10000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(Clock& clock, LoginThrottleOptions options = {});

  // OK when an attempt for `account` from `address` may be checked now; otherwise
  // ResourceExhausted "login_throttled" saying how long to wait, with retry_after set.
  Status Admit(const std::string& account, const std::string& address);

  // What a failure closed, for the audit: set only the first time an account or an address
  // reaches its allowance in a run of failures (later closures only lengthen the wait).
  struct Closed {
    bool account = false;
    bool address = false;
    int failures = 0;  // the account's count
    std::chrono::seconds wait{0};
  };
  std::optional<Closed> RecordFailure(const std::string& account, const std::string& address);
  void RecordSuccess(const std::string& account);

 private:
  struct Failures {
    int count = 0;
    std::chrono::steady_clock::time_point last{};
    std::chrono::steady_clock::time_point closed_until{};
  };
  using Table = std::map<std::string, Failures>;

  // The entry of `key`, forgotten first if stale. Requires mu_.
  Failures& EntryLocked(Table& table, const std::string& key,
                        std::chrono::steady_clock::time_point now);
  // Counts a failure; returns the wait it closes, if any. Requires mu_.
  std::optional<std::chrono::seconds> FailLocked(Failures& entry, int allowance,
                                                 std::chrono::steady_clock::time_point now);
  // Forgets the older half of a full table, never `keep`. Requires mu_.
  void TrimLocked(Table& table, const std::string& keep);

  Clock& clock_;
  const LoginThrottleOptions options_;
  std::mutex mu_;
  Table accounts_;   // guarded by mu_
  Table addresses_;  // guarded by mu_
};

}  // namespace stripeline::access
