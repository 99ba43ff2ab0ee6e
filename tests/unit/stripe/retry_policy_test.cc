#include "stripe/retry_policy.h"

#include <gtest/gtest.h>

#include "fake_transport.h"

namespace stripeline::stripe {
namespace {

using std::chrono::milliseconds;
using testing::Respond;

Result<TransportResponse> Answer(int status, HeaderList headers = {}, std::string body = "{}") {
  return Respond(status, std::move(body), std::move(headers));
}

TEST(RetryPolicy, DefaultsMatchTheSdks) {
  RetryPolicy policy;
  EXPECT_EQ(policy.max_retries, 2);
  EXPECT_EQ(policy.initial_delay, milliseconds(500));
  EXPECT_EQ(policy.max_delay, milliseconds(5000));
  EXPECT_TRUE(policy.retry_rate_limited);
}

TEST(RetryPolicy, RetriesConnectionErrorsAndTimeouts) {
  RetryPolicy policy;
  EXPECT_TRUE(ShouldRetry(policy, 1, Status::Unavailable("refused", "stripe_unreachable")));
  EXPECT_TRUE(ShouldRetry(policy, 1, Status::DeadlineExceeded("slow", "stripe_timeout")));
  EXPECT_FALSE(ShouldRetry(policy, 1, Status::InvalidArgument("bad url")));
}

TEST(RetryPolicy, RetriesConflictsRateLimitsAndServerErrors) {
  RetryPolicy policy;
  for (int status : {409, 429, 500, 502, 503, 504}) {
    SCOPED_TRACE(status);
    EXPECT_TRUE(ShouldRetry(policy, 1, Answer(status)));
  }
}

TEST(RetryPolicy, NeverRetriesOtherClientErrorsOrSuccess) {
  RetryPolicy policy;
  for (int status : {200, 201, 400, 401, 402, 403, 404, 405}) {
    SCOPED_TRACE(status);
    EXPECT_FALSE(ShouldRetry(policy, 1, Answer(status)));
  }
}

TEST(RetryPolicy, ObeysStripeShouldRetryHeader) {
  RetryPolicy policy;
  EXPECT_FALSE(ShouldRetry(policy, 1, Answer(500, {{"stripe-should-retry", "false"}})));
  EXPECT_FALSE(ShouldRetry(policy, 1, Answer(409, {{"stripe-should-retry", "false"}})));
  EXPECT_TRUE(ShouldRetry(policy, 1, Answer(400, {{"stripe-should-retry", "true"}})));
  EXPECT_TRUE(ShouldRetry(policy, 1, Answer(404, {{"Stripe-Should-Retry", "TRUE"}})));
  // An unrecognised value falls back to the status rules.
  EXPECT_TRUE(ShouldRetry(policy, 1, Answer(500, {{"stripe-should-retry", "maybe"}})));
}

TEST(RetryPolicy, HeaderDoesNotExceedMaxRetries) {
  RetryPolicy policy;
  EXPECT_FALSE(ShouldRetry(policy, 3, Answer(400, {{"stripe-should-retry", "true"}})));
}

TEST(RetryPolicy, StopsAfterMaxRetries) {
  RetryPolicy policy;
  policy.max_retries = 2;
  EXPECT_TRUE(ShouldRetry(policy, 1, Answer(500)));
  EXPECT_TRUE(ShouldRetry(policy, 2, Answer(500)));
  EXPECT_FALSE(ShouldRetry(policy, 3, Answer(500)));
  policy.max_retries = 0;
  EXPECT_FALSE(ShouldRetry(policy, 1, Answer(500)));
  EXPECT_FALSE(ShouldRetry(policy, 1, Status::Unavailable("x", "stripe_unreachable")));
}

TEST(RetryPolicy, RateLimitRetryCanBeDisabledButLockTimeoutStillRetries) {
  RetryPolicy policy;
  policy.retry_rate_limited = false;
  EXPECT_FALSE(ShouldRetry(
      policy, 1,
      Answer(
          429, {},
          R"({"error":{"type":"invalid_request_error","code":"rate_limit","message":"Request rate limit exceeded"}})")));
  EXPECT_FALSE(ShouldRetry(policy, 1, Answer(429, {{"stripe-should-retry", "true"}})));
  EXPECT_TRUE(ShouldRetry(
      policy, 1,
      Answer(
          429, {},
          R"({"error":{"type":"invalid_request_error","code":"lock_timeout","message":"locked"}})")));
}

constexpr char kRateLimitBody[] =
    R"({"error":{"type":"invalid_request_error","code":"rate_limit","message":"Request rate limit exceeded"}})";

TEST(RetryPolicy, PacedRateLimitIsRetriedUntilThrottledForThePatience) {
  RetryPolicy policy;  // max_retries 2, patience 3 minutes
  auto limited = Answer(429, {}, kRateLimitBody);
  EXPECT_TRUE(ShouldRetry(policy, 50, limited, milliseconds(0)));
  EXPECT_TRUE(ShouldRetry(policy, 50, limited, milliseconds(179'999)));
  EXPECT_FALSE(ShouldRetry(policy, 50, limited, milliseconds(180'000)));
  // Unpaced, the attempt count decides as before.
  EXPECT_FALSE(ShouldRetry(policy, 3, limited));
  // Other answers keep their rules when paced, with max_paced_retries.
  EXPECT_TRUE(ShouldRetry(policy, 8, Answer(500), milliseconds(0)));
  EXPECT_FALSE(ShouldRetry(policy, 9, Answer(500), milliseconds(0)));
  EXPECT_FALSE(ShouldRetry(policy, 1, Answer(400), milliseconds(0)));
}

TEST(RetryPolicy, PacedRateLimitObeysStripeShouldRetryFalse) {
  RetryPolicy policy;
  EXPECT_FALSE(ShouldRetry(policy, 1, Answer(429, {{"stripe-should-retry", "false"}}, kRateLimitBody),
                           milliseconds(0)));
  EXPECT_TRUE(ShouldRetry(policy, 9, Answer(429, {{"stripe-should-retry", "true"}}, kRateLimitBody),
                          milliseconds(0)));
}

TEST(RetryPolicy, LockTimeoutIsNotARateLimit) {
  EXPECT_TRUE(IsRateLimited(Answer(429, {}, kRateLimitBody).value()));
  EXPECT_FALSE(IsRateLimited(
      Answer(429, {}, R"({"error":{"type":"invalid_request_error","code":"lock_timeout"}})")
          .value()));
  EXPECT_FALSE(IsRateLimited(Answer(500).value()));
  EXPECT_EQ(RetryAfter(Answer(429, {{"retry-after", "1.5"}}).value()), milliseconds(1500));
  EXPECT_EQ(RetryAfter(Answer(429).value()), std::nullopt);
}

// Found by fuzz/stripe_responses_fuzzer.cc: 1e306 s in milliseconds overflowed int64 (UB).
TEST(RetryPolicy, AnAbsurdRetryAfterReadsAsADay) {
  for (const char* huge : {"1e306", "99999999999999999999", "9223372036854775.807"}) {
    auto answer = Answer(429, {{"retry-after", huge}});
    EXPECT_EQ(RetryAfter(answer.value()), std::chrono::hours(24)) << huge;
    EXPECT_EQ(RetryDelay(RetryPolicy{}, 1, 1.0, answer), milliseconds(5000)) << huge;
  }
}

TEST(RetryPolicy, DelayDoublesAndIsCapped) {
  RetryPolicy policy;  // 500 ms initial, 5000 ms cap
  EXPECT_EQ(RetryDelay(policy, 1, 1.0), milliseconds(500));
  EXPECT_EQ(RetryDelay(policy, 2, 1.0), milliseconds(1000));
  EXPECT_EQ(RetryDelay(policy, 3, 1.0), milliseconds(2000));
  EXPECT_EQ(RetryDelay(policy, 4, 1.0), milliseconds(4000));
  EXPECT_EQ(RetryDelay(policy, 5, 1.0), milliseconds(5000));
  EXPECT_EQ(RetryDelay(policy, 60, 1.0), milliseconds(5000));
  EXPECT_EQ(RetryDelay(policy, 1000, 1.0), milliseconds(5000));
  EXPECT_EQ(RetryDelay(policy, 0, 1.0), milliseconds(500));
}

TEST(RetryPolicy, JitterStaysWithinHalfAndFull) {
  RetryPolicy policy;
  EXPECT_EQ(RetryDelay(policy, 2, 0.0), milliseconds(500));
  EXPECT_EQ(RetryDelay(policy, 2, 0.5), milliseconds(750));
  EXPECT_EQ(RetryDelay(policy, 2, 0.999999), milliseconds(999));
  for (double jitter = 0.0; jitter < 1.0; jitter += 0.01) {
    for (int attempt = 1; attempt <= 6; ++attempt) {
      milliseconds full = RetryDelay(policy, attempt, 1.0);
      milliseconds delay = RetryDelay(policy, attempt, jitter);
      EXPECT_GE(delay, full / 2);
      EXPECT_LE(delay, full);
    }
  }
  // Out-of-range jitter is clamped.
  EXPECT_EQ(RetryDelay(policy, 1, -3.0), milliseconds(250));
  EXPECT_EQ(RetryDelay(policy, 1, 7.0), milliseconds(500));
}

TEST(RetryPolicy, RespectsRetryAfterCappedAtMaxDelay) {
  RetryPolicy policy;
  EXPECT_EQ(RetryDelay(policy, 1, 0.0, Answer(429, {{"retry-after", "3"}})), milliseconds(3000));
  EXPECT_EQ(RetryDelay(policy, 1, 0.0, Answer(429, {{"retry-after", "1.5"}})), milliseconds(1500));
  EXPECT_EQ(RetryDelay(policy, 1, 0.0, Answer(503, {{"retry-after", "120"}})), milliseconds(5000));
  // Never shorter than our own backoff.
  EXPECT_EQ(RetryDelay(policy, 3, 1.0, Answer(429, {{"retry-after", "0"}})), milliseconds(2000));
  // HTTP-date or garbage: ignored.
  EXPECT_EQ(
      RetryDelay(policy, 1, 1.0, Answer(429, {{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}})),
      milliseconds(500));
  EXPECT_EQ(RetryDelay(policy, 1, 1.0, Answer(429, {{"retry-after", "-4"}})), milliseconds(500));
  // No response at all: plain backoff.
  EXPECT_EQ(RetryDelay(policy, 2, 1.0, Status::Unavailable("x", "stripe_unreachable")),
            milliseconds(1000));
}

}  // namespace
}  // namespace stripeline::stripe
