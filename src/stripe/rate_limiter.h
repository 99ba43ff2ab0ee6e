#pragma once
// RateLimiter: paces requests to one Stripe account so a sync runs at Stripe's limit without
// tripping it (stripe-api.md §4: 100 requests/s live, 25 test). It is a token bucket written as
// GCRA (virtual scheduling): each Acquire() reserves the next free slot under a lock, then
// sleeps on the injected Clock until that slot, so waiters are served first come, first served
// and never all wake at once. `burst` requests may go back to back after an idle period.
//
// The pace adapts to what Stripe grants (another client of the merchant may share the
// account's limit): a 429 rate-limit answer (OnRateLimited) halves the pace — at most once per
// second, since the answers to requests already in flight at the old pace arrive together —
// down to a floor, and honours Retry-After by handing out no slot before it; waiters that
// reserved a slot at the old pace reserve again. Every other answer (OnAccepted) lets the pace
// grow back additively, a fixed share of the configured rate per second, up to that rate. While
// below the configured rate the burst is 1. ThrottledFor() says how long Stripe has refused
// every request (by then the pace is at or near its floor): the Client's RetryPolicy gives up
// on a 429 only after minutes of that.
//
// RateLimiterRegistry: one limiter per Stripe account key (account id + mode), shared by every
// integration and worker thread reaching that account — two integrations on the same account
// share its budget, as Stripe counts it.
//
// Every attempt to an account, the Stripe client's own retries and the permission probe
// included, takes a slot here: callers do not pace, an AccountSession (stripe/account_session.h)
// does, through PacedTransport (stripe/paced_transport.h).
//
// Thread-safety: both classes are thread-safe. The Clock must outlive them.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "common/clock.h"

namespace stripeline::stripe {

struct RateLimit {
  double requests_per_second = 25;  // > 0
  int burst = 1;                    // requests allowed back to back after idling; >= 1
};

// How a limiter follows what Stripe grants (AIMD, as TCP's congestion control).
struct RateAdaptation {
  // Multiplicative decrease: a 429 multiplies the pace by this (0 < decrease < 1).
  double decrease = 0.5;
  // Additive increase: each second without a 429 the pace grows by this share of the
  // configured rate (0.05: from the floor back to full speed in about 20 s).
  double increase_per_second = 0.05;
  // The pace never goes below this many requests per second (nor above the configured rate).
  double min_requests_per_second = 1;
  // 429s within this long of the last decrease answer requests sent before it: not counted.
  std::chrono::milliseconds decrease_interval{1000};
};

class RateLimiter {
 public:
  RateLimiter(RateLimit limit, Clock& clock, RateAdaptation adaptation = {});
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Blocks (Clock::SleepFor) until the caller may send one request, and takes that slot.
  void Acquire();
  // Takes a slot only if one is free now; never blocks.
  bool TryAcquire();
  // How long an Acquire() made now would wait (zero when a slot is free). For status and tests.
  std::chrono::milliseconds CurrentWait() const;

  // Stripe answered 429 rate_limit: slow down (see the header comment); with `retry_after`, no
  // slot is handed out before now + retry_after.
  void OnRateLimited(std::optional<std::chrono::milliseconds> retry_after = std::nullopt);
  // Stripe answered something else (any status but a rate-limit 429): recover the pace.
  void OnAccepted();
  // The current pace in requests per second: limit().requests_per_second unless slowed down.
  double pace() const;
  // How long Stripe has answered 429 to every request (since the first 429 after the last
  // accepted one); zero once a request is accepted.
  std::chrono::milliseconds ThrottledFor() const;

  // Replaces the rate (slots already reserved keep their times); the pace starts over from it.
  void SetLimit(RateLimit limit);
  RateLimit limit() const;
  // Slots handed out since construction.
  int64_t acquired() const;

 private:
  using Nanos = std::chrono::nanoseconds;
  using TimePoint = std::chrono::steady_clock::time_point;
  // Reserves a slot; returns how long to wait for it. Requires mu_.
  Nanos ReserveLocked(TimePoint now);
  // Applies the additive increase earned since the last adjustment. Requires mu_.
  void RecoverLocked(TimePoint now);
  double FloorLocked() const;  // requires mu_
  Nanos Interval() const;      // requires mu_
  Nanos Tolerance() const;     // requires mu_

  Clock& clock_;
  const RateAdaptation adaptation_;
  mutable std::mutex mu_;
  RateLimit limit_;                         // guarded by mu_
  double pace_ = 0;                         // requests/s now; guarded by mu_
  TimePoint adjusted_{};                    // last change of pace_; guarded by mu_
  std::optional<TimePoint> decreased_;      // last decrease; guarded by mu_
  std::optional<TimePoint> throttled_since_;  // first 429 since an accept; guarded by mu_
  TimePoint tat_{};                         // theoretical arrival time; guarded by mu_
  bool started_ = false;                    // guarded by mu_
  // Bumped when the pace drops: slots reserved before were computed at the old pace.
  uint64_t generation_ = 0;                 // guarded by mu_
  int64_t acquired_ = 0;                    // guarded by mu_
};

struct RateLimiterOptions {
  // Defaults are Stripe's published global limits (stripe-api.md §4).
  RateLimit live{100, 10};
  RateLimit test{25, 5};
  RateAdaptation adaptation;
};

class RateLimiterRegistry {
 public:
  explicit RateLimiterRegistry(RateLimiterOptions options = {}, Clock& clock = Clock::Real());

  // The limiter of Stripe account `account_id` in live or test mode, created on first use with
  // the options' limit for that mode. The same pointer is returned for the same key as long as
  // the registry lives.
  std::shared_ptr<RateLimiter> ForAccount(const std::string& account_id, bool livemode);

  // The limiter for requests made with `api_key` without Stripe-Account, by a caller that does
  // not know the key's account yet (a connection check): the limiter of the account last bound
  // to the key (BindKey), else one of the key's own.
  std::shared_ptr<RateLimiter> ForKey(const std::string& api_key, bool livemode);
  // Records that `api_key`, used without Stripe-Account, reaches `account_id`.
  void BindKey(const std::string& api_key, const std::string& account_id);

  // Overrides the limit of one account and mode (e.g. an account with a raised limit); applies
  // to the existing limiter too.
  void SetLimit(const std::string& account_id, bool livemode, RateLimit limit);

  const RateLimiterOptions& options() const { return options_; }

 private:
  std::shared_ptr<RateLimiter> ForAccountLocked(const std::string& account_id, bool livemode);

  const RateLimiterOptions options_;
  Clock& clock_;
  std::mutex mu_;
  std::map<std::pair<std::string, bool>, std::shared_ptr<RateLimiter>> limiters_;  // guarded
  std::map<std::pair<std::string, bool>, RateLimit> overrides_;                    // guarded
  // Key fingerprint → account id; the key itself is not kept. Guarded by mu_.
  std::map<std::string, std::string> key_accounts_;
};

}  // namespace stripeline::stripe
