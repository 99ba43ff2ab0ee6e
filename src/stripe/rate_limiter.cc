#include "stripe/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace stripeline::stripe {

namespace {

RateLimit Sanitize(RateLimit limit) {
  if (!(limit.requests_per_second > 0)) limit.requests_per_second = 1;
  limit.burst = std::max(1, limit.burst);
  return limit;
}

}  // namespace

RateLimiter::RateLimiter(RateLimit limit, Clock& clock) : clock_(clock), limit_(Sanitize(limit)) {}

RateLimiter::Nanos RateLimiter::Interval() const {
  return Nanos(static_cast<int64_t>(std::llround(1e9 / limit_.requests_per_second)));
}

RateLimiter::Nanos RateLimiter::Tolerance() const { return Interval() * (limit_.burst - 1); }

RateLimiter::Nanos RateLimiter::ReserveLocked(std::chrono::steady_clock::time_point now) {
  if (!started_ || tat_ < now) {
    tat_ = now;
    started_ = true;
  }
  // The slot is allowed at tat - tolerance; taking it pushes tat one interval further.
  auto allowed_at = tat_ - Tolerance();
  tat_ += Interval();
  ++acquired_;
  return allowed_at > now ? std::chrono::duration_cast<Nanos>(allowed_at - now) : Nanos(0);
}

void RateLimiter::Acquire() {
  Nanos wait;
  {
    std::lock_guard lock(mu_);
    wait = ReserveLocked(clock_.Monotonic());
  }
  if (wait > Nanos(0)) {
    // Round up: waking a little late keeps the rate at or under the limit.
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait);
    clock_.SleepFor(ms);
  }
}

bool RateLimiter::TryAcquire() {
  std::lock_guard lock(mu_);
  auto now = clock_.Monotonic();
  if (started_ && tat_ - Tolerance() > now) return false;
  ReserveLocked(now);
  return true;
}

std::chrono::milliseconds RateLimiter::CurrentWait() const {
  std::lock_guard lock(mu_);
  auto now = clock_.Monotonic();
  if (!started_ || tat_ - Tolerance() <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(tat_ - Tolerance() - now);
}

void RateLimiter::SetLimit(RateLimit limit) {
  std::lock_guard lock(mu_);
  limit_ = Sanitize(limit);
}

RateLimit RateLimiter::limit() const {
  std::lock_guard lock(mu_);
  return limit_;
}

int64_t RateLimiter::acquired() const {
  std::lock_guard lock(mu_);
  return acquired_;
}

RateLimiterRegistry::RateLimiterRegistry(RateLimiterOptions options, Clock& clock)
    : options_(options), clock_(clock) {}

std::shared_ptr<RateLimiter> RateLimiterRegistry::ForAccount(const std::string& account_id,
                                                             bool livemode) {
  std::lock_guard lock(mu_);
  auto key = std::pair{account_id, livemode};
  auto it = limiters_.find(key);
  if (it != limiters_.end()) return it->second;
  auto override_it = overrides_.find(key);
  RateLimit limit = override_it != overrides_.end() ? override_it->second
                                                    : (livemode ? options_.live : options_.test);
  auto limiter = std::make_shared<RateLimiter>(limit, clock_);
  limiters_.emplace(key, limiter);
  return limiter;
}

void RateLimiterRegistry::SetLimit(const std::string& account_id, bool livemode,
                                   RateLimit limit) {
  std::lock_guard lock(mu_);
  auto key = std::pair{account_id, livemode};
  overrides_[key] = limit;
  auto it = limiters_.find(key);
  if (it != limiters_.end()) it->second->SetLimit(limit);
}

}  // namespace stripeline::stripe
