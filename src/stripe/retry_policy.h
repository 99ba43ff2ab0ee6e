#pragma once
// RetryPolicy: when the Stripe client repeats a request and how long it waits first, following
// the official SDKs (stripe-go's shouldRetry / sleepTime). These are pure functions of their
// arguments (jitter is passed in), so they are trivially testable; the Client is the only
// caller and does the sleeping on its Clock.
//
// Thread-safety: plain values and pure functions.

#include <chrono>
#include <optional>

#include "common/result.h"
#include "stripe/transport.h"

namespace stripeline::stripe {

struct RetryPolicy {
  // Retries after the first attempt (so at most max_retries + 1 requests). 0 disables retries.
  int max_retries = 2;
  // The same for a paced request (an AccountSession's, whose every attempt waits for the
  // account's limiter, so retrying cannot flood Stripe): a sync's pages get 9 attempts, all
  // with backoff, and no caller repeats a page after the client gave up. 0 disables retries.
  int max_paced_retries = 8;
  // Backoff before the first retry; doubles for each further retry.
  std::chrono::milliseconds initial_delay{500};
  // Ceiling for any single wait, including a server-requested Retry-After.
  std::chrono::milliseconds max_delay{5000};
  // Retry HTTP 429 rate-limit answers. 429 lock_timeout (object lock contention) is retried
  // regardless, as the SDKs do.
  bool retry_rate_limited = true;
  // For a request paced by the account's adaptive limiter (RateLimiter), a 429 rate-limit
  // answer is retried beyond max_retries — the limiter slows down and the request waits its
  // turn — until Stripe has refused every request to the account for this long (the limiter
  // is then at or near its minimum pace).
  std::chrono::milliseconds rate_limited_patience{std::chrono::minutes(3)};
};

// Whether `response` is Stripe's 429 rate-limit answer (not lock_timeout, which is contention on
// one object and says nothing about the account's pace).
bool IsRateLimited(const TransportResponse& response);

// The `Retry-After` header in seconds (integer or decimal), or nullopt when absent or an HTTP
// date.
std::optional<std::chrono::milliseconds> RetryAfter(const TransportResponse& response);

// Whether to send the request again after `attempt` attempts (1 after the first request) ended
// with `last`. In order:
//   1. false once attempt > policy.max_retries;
//   2. a failed Result (no HTTP response): true for Unavailable and DeadlineExceeded
//      (connection errors, timeouts), false for anything else;
//   3. 429 with error code "lock_timeout": true; other 429 when !retry_rate_limited: false;
//   4. a `Stripe-Should-Retry: true|false` header decides when present;
//   5. 409, 429, 5xx: true; every other status (2xx, 400, 401, 402, 403, 404, ...): false.
// When `throttled_for` is given the request is paced (RateLimiter::ThrottledFor of its account:
// how long every request was refused): rule 1 uses max_paced_retries, and a rate-limit 429 (IsRateLimited, retry_rate_limited, no `Stripe-Should-Retry:
// false`) is retried whatever `attempt` is, while throttled_for < rate_limited_patience.
bool ShouldRetry(const RetryPolicy& policy, int attempt, const Result<TransportResponse>& last,
                 std::optional<std::chrono::milliseconds> throttled_for = std::nullopt);

// The wait before retry number `attempt` (1 for the first retry; values < 1 count as 1):
//   base  = min(max_delay, initial_delay × 2^(attempt-1))
//   delay = floor(base × (0.5 + 0.5 × jitter01))       with jitter01 clamped to [0, 1]
// so the delay is uniformly spread over [50%, 100%] of the capped exponential backoff.
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt, double jitter01);

// As above, but honouring the server: when `last` is a response with a `Retry-After` header in
// seconds (integer or decimal; HTTP dates are ignored), the delay is
//   min(max_delay, max(Retry-After, RetryDelay(policy, attempt, jitter01))).
std::chrono::milliseconds RetryDelay(const RetryPolicy& policy, int attempt, double jitter01,
                                     const Result<TransportResponse>& last);

}  // namespace stripeline::stripe
