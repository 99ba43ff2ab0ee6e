// LoginThrottle over a FakeClock: the allowance, doubling waits, per-address closing, forgetting,
// and bounded memory.
#include "access/login_throttle.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace stripeline::access {
namespace {

using std::chrono::seconds;

TEST(LoginThrottle, ClosesAnAccountAfterItsAllowanceForDoublingWaits) {
  FakeClock clock;
  LoginThrottle throttle(clock, {.account_allowance = 3});
  for (int i = 1; i <= 2; ++i) {
    ASSERT_TRUE(throttle.Admit("a@x", "10.0.0.1").ok());
    EXPECT_FALSE(throttle.RecordFailure("a@x", "10.0.0.1").has_value()) << i;
  }
  auto closed = throttle.RecordFailure("a@x", "10.0.0.1");
  ASSERT_TRUE(closed.has_value());
  EXPECT_TRUE(closed->account);
  EXPECT_FALSE(closed->address);
  EXPECT_EQ(closed->failures, 3);
  EXPECT_EQ(closed->wait, seconds(1));

  Status refused = throttle.Admit("a@x", "10.0.0.2");  // another address: the account is closed
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.error_code(), "login_throttled");
  ASSERT_TRUE(refused.retry_after().has_value());
  EXPECT_EQ(*refused.retry_after(), seconds(1));
  EXPECT_TRUE(throttle.Admit("b@x", "10.0.0.1").ok());  // other accounts are not

  clock.Advance(seconds(1));
  ASSERT_TRUE(throttle.Admit("a@x", "10.0.0.1").ok());
  // Only the first closing of a run of failures is reported; the wait doubles.
  EXPECT_FALSE(throttle.RecordFailure("a@x", "10.0.0.1").has_value());
  EXPECT_EQ(*throttle.Admit("a@x", "10.0.0.1").retry_after(), seconds(2));
  clock.Advance(seconds(2));
  EXPECT_FALSE(throttle.RecordFailure("a@x", "10.0.0.1").has_value());
  EXPECT_EQ(*throttle.Admit("a@x", "10.0.0.1").retry_after(), seconds(4));
}

TEST(LoginThrottle, RefusalsDoNotLengthenTheWaitAndTheWaitIsCapped) {
  FakeClock clock;
  LoginThrottle throttle(clock, {.account_allowance = 1, .max_wait = seconds(8)});
  ASSERT_TRUE(throttle.RecordFailure("a@x", "h").has_value());
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(throttle.Admit("a@x", "h").ok());
  EXPECT_EQ(*throttle.Admit("a@x", "h").retry_after(), seconds(1));
  for (int i = 0; i < 10; ++i) {
    clock.Advance(seconds(8));
    (void)throttle.RecordFailure("a@x", "h");
  }
  EXPECT_EQ(*throttle.Admit("a@x", "h").retry_after(), seconds(8));
}

TEST(LoginThrottle, AnAddressGuessingAtManyAccountsIsClosedForAll) {
  FakeClock clock;
  LoginThrottle throttle(clock, {.account_allowance = 5, .address_allowance = 4});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.RecordFailure("user" + std::to_string(i) + "@x", "6.6.6.6"));
  }
  auto closed = throttle.RecordFailure("user3@x", "6.6.6.6");
  ASSERT_TRUE(closed.has_value());
  EXPECT_TRUE(closed->address);
  EXPECT_FALSE(closed->account);
  EXPECT_FALSE(throttle.Admit("someone-else@x", "6.6.6.6").ok());
  EXPECT_TRUE(throttle.Admit("someone-else@x", "7.7.7.7").ok());
}

TEST(LoginThrottle, SuccessClearsTheAccountAndOldFailuresAreForgotten) {
  FakeClock clock;
  LoginThrottle throttle(clock, {.account_allowance = 3, .forget_after = seconds(3600)});
  (void)throttle.RecordFailure("a@x", "h");
  (void)throttle.RecordFailure("a@x", "h");
  throttle.RecordSuccess("a@x");
  (void)throttle.RecordFailure("a@x", "h");
  (void)throttle.RecordFailure("a@x", "h");
  EXPECT_TRUE(throttle.Admit("a@x", "h").ok());  // 2 failures since the success

  clock.Advance(seconds(3600));
  (void)throttle.RecordFailure("a@x", "h");  // the two before are forgotten: 1 failure
  (void)throttle.RecordFailure("a@x", "h");
  EXPECT_TRUE(throttle.Admit("a@x", "h").ok());
  EXPECT_TRUE(throttle.RecordFailure("a@x", "h").has_value());  // the third closes
}

TEST(LoginThrottle, RemembersAtMostMaxTrackedNamesKeepingTheNewest) {
  FakeClock clock;
  LoginThrottle throttle(clock, {.account_allowance = 2, .address_allowance = 1000000,
                                 .max_tracked = 100});
  (void)throttle.RecordFailure("victim@x", "h");
  for (int i = 0; i < 1000; ++i) {
    clock.Advance(std::chrono::milliseconds(1));
    (void)throttle.RecordFailure("flood" + std::to_string(i) + "@x", "h");
  }
  // The victim's single old failure was forgotten among the flood's; the newest are kept.
  (void)throttle.RecordFailure("victim@x", "h");
  EXPECT_TRUE(throttle.Admit("victim@x", "h").ok());
  EXPECT_TRUE(throttle.RecordFailure("flood999@x", "h").has_value());
}

}  // namespace
}  // namespace stripeline::access
