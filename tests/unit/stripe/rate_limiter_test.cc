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
