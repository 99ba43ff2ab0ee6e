#include "stripe/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace stripeline::stripe {

namespace {

RateLimit Sanitize(RateLimit limit) {
  if (!(limit.requests_per_second > 0)) limit.requests_per_second = 1;
  limit.burst = std::max(1, limit.burst);
  return limit;
}

// Keys are secrets: the registry keeps only a fingerprint of the ones it binds.
std::string KeyFingerprint(const std::string& api_key) {
  return "key#" + std::to_string(std::hash<std::string>{}(api_key));
}

}  // namespace

RateLimiter::RateLimiter(RateLimit limit, Clock& clock, RateAdaptation adaptation)
    : clock_(clock), adaptation_(adaptation), limit_(Sanitize(limit)) {
  pace_ = limit_.requests_per_second;
}

double RateLimiter::FloorLocked() const {
  return std::min(limit_.requests_per_second,
                  std::max(adaptation_.min_requests_per_second, 1e-3));
}

RateLimiter::Nanos RateLimiter::Interval() const {
  return Nanos(static_cast<int64_t>(std::llround(1e9 / pace_)));
}

RateLimiter::Nanos RateLimiter::Tolerance() const {
  // A slowed-down limiter sends no bursts: Stripe just said the account is at its limit.
  const int burst = pace_ < limit_.requests_per_second ? 1 : limit_.burst;
  return Interval() * (burst - 1);
}

void RateLimiter::RecoverLocked(TimePoint now) {
  if (pace_ >= limit_.requests_per_second || now <= adjusted_) return;
  const double seconds = std::chrono::duration<double>(now - adjusted_).count();
  pace_ = std::min(limit_.requests_per_second,
                   pace_ + seconds * adaptation_.increase_per_second * limit_.requests_per_second);
  adjusted_ = now;
}

RateLimiter::Nanos RateLimiter::ReserveLocked(TimePoint now) {
  RecoverLocked(now);
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
  while (true) {
    Nanos wait;
    uint64_t generation;
    {
      std::lock_guard lock(mu_);
      wait = ReserveLocked(clock_.Monotonic());
      generation = generation_;
      if (wait == Nanos(0)) return;
    }
    // Round up: waking a little late keeps the rate at or under the limit.
    clock_.SleepFor(std::chrono::ceil<std::chrono::milliseconds>(wait));
    std::lock_guard lock(mu_);
    if (generation == generation_) return;
    // The pace dropped while this caller slept: its slot was computed at the old pace.
    --acquired_;
  }
}

bool RateLimiter::TryAcquire() {
  std::lock_guard lock(mu_);
  auto now = clock_.Monotonic();
  RecoverLocked(now);
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

void RateLimiter::OnRateLimited(std::optional<std::chrono::milliseconds> retry_after) {
  std::lock_guard lock(mu_);
  const TimePoint now = clock_.Monotonic();
  const double floor = FloorLocked();
  if (!throttled_since_) throttled_since_ = now;
  bool changed = false;
  if (!decreased_ || now - *decreased_ >= adaptation_.decrease_interval) {
    RecoverLocked(now);
    pace_ = std::max(floor, pace_ * std::clamp(adaptation_.decrease, 0.01, 0.99));
    adjusted_ = now;
    decreased_ = now;
    // Slots reserved at the old pace are dropped: their holders reserve again.
    tat_ = now + Interval();
    started_ = true;
    changed = true;
  }
  if (retry_after && now + *retry_after > tat_) {
    tat_ = now + *retry_after;
    started_ = true;
    changed = true;
  }
  if (changed) ++generation_;
}

void RateLimiter::OnAccepted() {
  std::lock_guard lock(mu_);
  throttled_since_.reset();
  RecoverLocked(clock_.Monotonic());
}

double RateLimiter::pace() const {
  std::lock_guard lock(mu_);
  return pace_;
}

std::chrono::milliseconds RateLimiter::ThrottledFor() const {
  std::lock_guard lock(mu_);
  if (!throttled_since_) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Monotonic() -
                                                               *throttled_since_);
}

void RateLimiter::SetLimit(RateLimit limit) {
  std::lock_guard lock(mu_);
  limit_ = Sanitize(limit);
  pace_ = limit_.requests_per_second;
  adjusted_ = clock_.Monotonic();
  throttled_since_.reset();
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

std::shared_ptr<RateLimiter> RateLimiterRegistry::ForAccountLocked(const std::string& account_id,
                                                                   bool livemode) {
  auto key = std::pair{account_id, livemode};
  auto it = limiters_.find(key);
  if (it != limiters_.end()) return it->second;
  auto override_it = overrides_.find(key);
  RateLimit limit = override_it != overrides_.end() ? override_it->second
                                                    : (livemode ? options_.live : options_.test);
  auto limiter = std::make_shared<RateLimiter>(limit, clock_, options_.adaptation);
  limiters_.emplace(key, limiter);
  return limiter;
}

std::shared_ptr<RateLimiter> RateLimiterRegistry::ForAccount(const std::string& account_id,
                                                             bool livemode) {
  std::lock_guard lock(mu_);
  return ForAccountLocked(account_id, livemode);
}

std::shared_ptr<RateLimiter> RateLimiterRegistry::ForKey(const std::string& api_key,
                                                         bool livemode) {
  std::lock_guard lock(mu_);
  const std::string fingerprint = KeyFingerprint(api_key);
  auto bound = key_accounts_.find(fingerprint);
  return ForAccountLocked(bound != key_accounts_.end() ? bound->second : fingerprint, livemode);
}

void RateLimiterRegistry::BindKey(const std::string& api_key, const std::string& account_id) {
  std::lock_guard lock(mu_);
  key_accounts_[KeyFingerprint(api_key)] = account_id;
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
