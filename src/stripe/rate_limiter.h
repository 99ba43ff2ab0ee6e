#pragma once
// RateLimiter: paces requests to one Stripe account so a sync runs at Stripe's limit without
// tripping it (stripe-api.md §4: 100 requests/s live, 25 test). It is a token bucket written as
// GCRA (virtual scheduling): each Acquire() reserves the next free slot under a lock, then
// sleeps on the injected Clock until that slot, so waiters are served first come, first served
// and never all wake at once. `burst` requests may go back to back after an idle period.
//
// RateLimiterRegistry: one limiter per Stripe account key (account id + mode), shared by every
// integration and worker thread reaching that account — two integrations on the same account
// share its budget, as Stripe counts it.
//
// Retries made inside stripe::Client (5xx, 429 backoff) are not paced here; they are rare and
// already delayed by RetryPolicy.
//
// Thread-safety: both classes are thread-safe. The Clock must outlive them.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "common/clock.h"

namespace stripeline::stripe {

struct RateLimit {
  double requests_per_second = 25;  // > 0
  int burst = 1;                    // requests allowed back to back after idling; >= 1
};

class RateLimiter {
 public:
  RateLimiter(RateLimit limit, Clock& clock);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Blocks (Clock::SleepFor) until the caller may send one request, and takes that slot.
  void Acquire();
  // Takes a slot only if one is free now; never blocks.
  bool TryAcquire();
  // How long an Acquire() made now would wait (zero when a slot is free). For status and tests.
  std::chrono::milliseconds CurrentWait() const;

  // Replaces the rate (slots already reserved keep their times).
  void SetLimit(RateLimit limit);
  RateLimit limit() const;
  // Slots handed out since construction.
  int64_t acquired() const;

 private:
  using Nanos = std::chrono::nanoseconds;
  // Reserves a slot; returns how long to wait for it. Requires mu_.
  Nanos ReserveLocked(std::chrono::steady_clock::time_point now);
  Nanos Interval() const;   // requires mu_
  Nanos Tolerance() const;  // requires mu_

  Clock& clock_;
  mutable std::mutex mu_;
  RateLimit limit_;                                  // guarded by mu_
  std::chrono::steady_clock::time_point tat_{};      // theoretical arrival time; guarded by mu_
  bool started_ = false;                             // guarded by mu_
  int64_t acquired_ = 0;                             // guarded by mu_
};

struct RateLimiterOptions {
  // Defaults are Stripe's published global limits (stripe-api.md §4).
  RateLimit live{100, 10};
  RateLimit test{25, 5};
};

class RateLimiterRegistry {
 public:
  explicit RateLimiterRegistry(RateLimiterOptions options = {}, Clock& clock = Clock::Real());

  // The limiter of Stripe account `account_id` in live or test mode, created on first use with
  // the options' limit for that mode. The same pointer is returned for the same key as long as
  // the registry lives.
  std::shared_ptr<RateLimiter> ForAccount(const std::string& account_id, bool livemode);

  // Overrides the limit of one account and mode (e.g. an account with a raised limit); applies
  // to the existing limiter too.
  void SetLimit(const std::string& account_id, bool livemode, RateLimit limit);

  const RateLimiterOptions& options() const { return options_; }

 private:
  const RateLimiterOptions options_;
  Clock& clock_;
  std::mutex mu_;
  std::map<std::pair<std::string, bool>, std::shared_ptr<RateLimiter>> limiters_;  // guarded
  std::map<std::pair<std::string, bool>, RateLimit> overrides_;                    // guarded
};

}  // namespace stripeline::stripe
