#include "stripe/retry_policy.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>

#include "common/text.h"
#include "stripe/error.h"

namespace stripeline::stripe {

namespace {

// Longer waits than this are read as this: a day is already more than any caller waits, and an
// absurd value (1e306) must not overflow the milliseconds (fuzz/stripe_responses_fuzzer.cc).
constexpr double kMaxRetryAfterSeconds = 24 * 60 * 60;

// Retry-After in milliseconds, when it is a number of seconds.
std::optional<double> RetryAfterMs(const TransportResponse& response) {
  std::optional<std::string> header = response.Header("retry-after");
  if (!header || header->empty()) return std::nullopt;
  double seconds = 0;
  const char* begin = header->data();
  const char* end = begin + header->size();
  auto [ptr, ec] = std::from_chars(begin, end, seconds);
  if (ec != std::errc() || ptr != end || !(seconds >= 0) || !std::isfinite(seconds)) {
    return std::nullopt;
  }
  return std::min(seconds, kMaxRetryAfterSeconds) * 1000.0;
}

}  // namespace

bool IsRateLimited(const TransportResponse& response) {
  return response.status == 429 && ParseStripeError(429, response.body, "").code != "lock_timeout";
}

std::optional<std::chrono::milliseconds> RetryAfter(const TransportResponse& response) {
  std::optional<double> ms = RetryAfterMs(response);
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(*ms)));
}

bool ShouldRetry(const RetryPolicy& policy, int attempt, const Result<TransportResponse>& last,
                 std::optional<std::chrono::milliseconds> throttled_for) {
  if (throttled_for && last.ok() && policy.retry_rate_limited && IsRateLimited(last.value())) {
    std::optional<std::string> should = last.value().Header("stripe-should-retry");
    if (should && EqualsIgnoreCase(*should, "false")) return false;
    return *throttled_for < policy.rate_limited_patience;
  }
  if (attempt > (throttled_for ? policy.max_paced_retries : policy.max_retries)) return false;
  if (!last.ok()) {
    StatusCode code = last.status().code();
    return code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
  }
  const TransportResponse& response = last.value();
  if (response.status == 429) {
    if (ParseStripeError(429, response.body, "").code == "lock_timeout") return true;
    if (!policy.retry_rate_limited) return false;
  }
  if (std::optional<std::string> should = response.Header("stripe-should-retry")) {
    if (EqualsIgnoreCase(*should, "true")) return true;
    if (EqualsIgnoreCase(*should, "false")) return false;
  }
  return response.status == 409 || response.status == 429 || response.status >= 500;
}

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt, double jitter01) {
  const double max_ms = static_cast<double>(std::max<int64_t>(0, policy.max_delay.count()));
  const int exponent = std::clamp(attempt, 1, 64) - 1;
  const double base_ms =
      std::min(max_ms, static_cast<double>(std::max<int64_t>(0, policy.initial_delay.count())) *
                           std::ldexp(1.0, exponent));
  const double jitter = std::isnan(jitter01) ? 1.0 : std::clamp(jitter01, 0.0, 1.0);
  return std::chrono::milliseconds(
      static_cast<int64_t>(std::floor(base_ms * (0.5 + 0.5 * jitter))));
}

std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt, double jitter01,
                                     const Result<TransportResponse>& last) {
  std::chrono::milliseconds delay = RetryDelay(policy, attempt, jitter01);
  if (!last.ok()) return delay;
  std::optional<double> retry_after_ms = RetryAfterMs(last.value());
  if (!retry_after_ms) return delay;
  const double capped = std::min(*retry_after_ms, static_cast<double>(policy.max_delay.count()));
  return std::max(delay, std::chrono::milliseconds(static_cast<int64_t>(std::ceil(capped))));
}

}  // namespace stripeline::stripe
