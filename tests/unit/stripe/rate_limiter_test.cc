#include "stripe/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace stripeline::stripe {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiter, FirstRequestDoesNotWait) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 10, .burst = 1}, clock);
  limiter.Acquire();
  EXPECT_EQ(clock.Elapsed(), milliseconds(0));
}

TEST(RateLimiter, PacesAtTheConfiguredRate) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 100, .burst = 1}, clock);
  for (int i = 0; i < 101; ++i) limiter.Acquire();
  // 100 intervals of 10 ms after the first, free, request.
  EXPECT_EQ(clock.Elapsed(), milliseconds(1000));
  EXPECT_EQ(limiter.acquired(), 101);
}

TEST(RateLimiter, BurstGoesBackToBackThenPaces) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 25, .burst = 5}, clock);
  for (int i = 0; i < 5; ++i) limiter.Acquire();
  EXPECT_EQ(clock.Elapsed(), milliseconds(0));
  limiter.Acquire();
  EXPECT_EQ(clock.Elapsed(), milliseconds(40));
}

TEST(RateLimiter, IdleTimeIsNotBankedBeyondTheBurst) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 10, .burst = 2}, clock);
  limiter.Acquire();
  clock.Advance(milliseconds(60'000));
  auto before = clock.Elapsed();
  for (int i = 0; i < 4; ++i) limiter.Acquire();
  // Two back to back, then 100 ms each.
  EXPECT_EQ(clock.Elapsed() - before, milliseconds(200));
}

TEST(RateLimiter, TryAcquireNeverBlocks) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 1, .burst = 1}, clock);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
  EXPECT_EQ(limiter.CurrentWait(), milliseconds(1000));
  clock.Advance(milliseconds(1000));
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_EQ(clock.Elapsed(), milliseconds(1000));
}

TEST(RateLimiter, ManyThreadsNeverExceedTheRate) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 50, .burst = 1}, clock);
  constexpr int kThreads = 8, kPerThread = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) limiter.Acquire();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(limiter.acquired(), kThreads * kPerThread);
  // Every sleep advances the shared fake clock, so threads may overshoot, never undershoot:
  // 200 requests at 50/s need at least 199 intervals of 20 ms.
  EXPECT_GE(clock.Elapsed(), milliseconds(199 * 20));
}

TEST(RateLimiter, RateLimitedHalvesThePaceAndDropsTheBurst) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 20, .burst = 5}, clock);
  limiter.Acquire();
  limiter.OnRateLimited();
  EXPECT_EQ(limiter.pace(), 10);
  // The next slot is one interval of the new pace away, and no burst is allowed.
  auto before = clock.Elapsed();
  limiter.Acquire();
  limiter.Acquire();
  EXPECT_EQ(clock.Elapsed() - before, milliseconds(200));
}

TEST(RateLimiter, AnswersInFlightDuringOneSecondCountAsOneDecrease) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 40, .burst = 1}, clock);
  for (int i = 0; i < 5; ++i) limiter.OnRateLimited();
  EXPECT_EQ(limiter.pace(), 20);
  clock.Advance(milliseconds(1000));
  limiter.OnRateLimited();
  // 20 × 0.5 after the additive increase of the second that passed (5 % of 40 per second).
  EXPECT_DOUBLE_EQ(limiter.pace(), (20 + 2) * 0.5);
}

TEST(RateLimiter, NeverSlowsBelowTheFloor) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 8, .burst = 1}, clock,
                      {.min_requests_per_second = 2});
  for (int i = 0; i < 10; ++i) {
    limiter.OnRateLimited();
    clock.Advance(milliseconds(1000));
  }
  EXPECT_GE(limiter.pace(), 2);
  EXPECT_LT(limiter.pace(), 2.5);
}

TEST(RateLimiter, RecoversAdditivelyToTheConfiguredRate) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 100, .burst = 1}, clock,
                      {.increase_per_second = 0.1});
  limiter.OnRateLimited();
  EXPECT_EQ(limiter.pace(), 50);
  clock.Advance(milliseconds(2000));
  limiter.OnAccepted();
  EXPECT_DOUBLE_EQ(limiter.pace(), 70);  // +10 requests/s per second
  clock.Advance(milliseconds(60'000));
  limiter.OnAccepted();
  EXPECT_EQ(limiter.pace(), 100);  // never above the configured rate
}

TEST(RateLimiter, HonoursRetryAfter) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 100, .burst = 10}, clock);
  limiter.Acquire();
  limiter.OnRateLimited(milliseconds(3000));
  auto before = clock.Elapsed();
  limiter.Acquire();
  EXPECT_EQ(clock.Elapsed() - before, milliseconds(3000));
}

TEST(RateLimiter, WaitersReserveAgainAtTheSlowerPace) {
  // A waiter that reserved a slot at 10/s hears, while asleep, that Stripe refused: the
  // first sleep on this clock is where the 429 arrives.
  FakeClock clock;
  class RefusingClock final : public Clock {
   public:
    RefusingClock(FakeClock& inner, RateLimiter*& limiter) : inner_(inner), limiter_(limiter) {}
    int64_t NowUnix() const override { return inner_.NowUnix(); }
    std::chrono::steady_clock::time_point Monotonic() const override { return inner_.Monotonic(); }
    void SleepFor(milliseconds d) override {
      inner_.SleepFor(d);
      if (!refused_) {
        refused_ = true;
        limiter_->OnRateLimited();
      }
    }
   private:
    FakeClock& inner_;
    RateLimiter*& limiter_;
    bool refused_ = false;
  };
  RateLimiter* target = nullptr;
  RefusingClock refusing(clock, target);
  RateLimiter slowed({.requests_per_second = 10, .burst = 1}, refusing);
  target = &slowed;
  slowed.Acquire();
  auto before = clock.Elapsed();
  slowed.Acquire();  // reserves +100 ms, is refused while asleep, reserves again at 5/s
  EXPECT_EQ(clock.Elapsed() - before, milliseconds(100 + 200));
  EXPECT_EQ(slowed.acquired(), 2);
  EXPECT_EQ(slowed.pace(), 5);
}

TEST(RateLimiter, ThrottledForIsHowLongEveryRequestWasRefused) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_second = 4, .burst = 1}, clock);
  EXPECT_EQ(limiter.ThrottledFor(), milliseconds(0));
  limiter.OnRateLimited();
  for (int second = 0; second < 90; ++second) {
    clock.Advance(milliseconds(1000));
    limiter.OnRateLimited();
  }
  EXPECT_EQ(limiter.ThrottledFor(), milliseconds(90'000));
  EXPECT_EQ(limiter.pace(), 1);  // the floor: every second of refusals halved it
  limiter.OnAccepted();
  EXPECT_EQ(limiter.ThrottledFor(), milliseconds(0));
}

TEST(RateLimiterRegistry, AKeyBoundToItsAccountSharesTheAccountsLimiter) {
  FakeClock clock;
  RateLimiterRegistry registry({}, clock);
  auto own = registry.ForKey("sk_test_abc", false);
  EXPECT_NE(own, registry.ForAccount("acct_1", false));
  EXPECT_EQ(own, registry.ForKey("sk_test_abc", false));
  registry.BindKey("sk_test_abc", "acct_1");
  EXPECT_EQ(registry.ForKey("sk_test_abc", false), registry.ForAccount("acct_1", false));
  EXPECT_EQ(registry.ForKey("sk_test_abc", true), registry.ForAccount("acct_1", true));
}

TEST(RateLimiterRegistry, SharesOneLimiterPerAccountAndMode) {
  FakeClock clock;
  RateLimiterRegistry registry({}, clock);
  auto a = registry.ForAccount("acct_1", true);
  EXPECT_EQ(a, registry.ForAccount("acct_1", true));
  EXPECT_NE(a, registry.ForAccount("acct_1", false));
  EXPECT_NE(a, registry.ForAccount("acct_2", true));
  EXPECT_EQ(a->limit().requests_per_second, 100);
  EXPECT_EQ(registry.ForAccount("acct_1", false)->limit().requests_per_second, 25);
}

TEST(RateLimiterRegistry, OverridesApplyToExistingAndNewLimiters) {
  FakeClock clock;
  RateLimiterRegistry registry({.live = {200, 1}, .test = {5, 1}}, clock);
  auto existing = registry.ForAccount("acct_1", false);
  registry.SetLimit("acct_1", false, {40, 2});
  EXPECT_EQ(existing->limit().requests_per_second, 40);
  registry.SetLimit("acct_9", true, {7, 1});
  EXPECT_EQ(registry.ForAccount("acct_9", true)->limit().requests_per_second, 7);
  EXPECT_EQ(registry.ForAccount("acct_8", true)->limit().requests_per_second, 200);
}

}  // namespace
}  // namespace stripeline::stripe
