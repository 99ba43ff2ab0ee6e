// PacedTransport and AccountSession: every attempt to an account, the client's retries
// included, takes a slot from the account's limiter, and Stripe's 429s slow the limiter down.
#include "stripe/paced_transport.h"

#include <gtest/gtest.h>

#include <memory>

#include "fake_transport.h"
#include "stripe/account_session.h"
#include "stripe/permissions.h"

namespace stripeline::stripe {
namespace {

using std::chrono::milliseconds;
using testing::FakeTransport;
using testing::HeaderValue;
using testing::Respond;

constexpr char kRateLimitBody[] =
    R"({"error":{"type":"invalid_request_error","code":"rate_limit","message":"Request rate limit exceeded"}})";
constexpr char kServerError[] = R"({"error":{"type":"api_error","message":"boom"}})";

class PacedTransportTest : public ::testing::Test {
 protected:
  PacedTransportTest()
      : transport_(std::make_shared<FakeTransport>()),
        limiter_(std::make_shared<RateLimiter>(RateLimit{10, 1}, clock_)),
        client_(ClientOptions{.api_base = "http://stripe.test"}, transport_, clock_,
                [] { return 0.0; }) {}

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_;
  std::shared_ptr<RateLimiter> limiter_;
  Client client_;
};

TEST_F(PacedTransportTest, EverySendTakesASlot) {
  transport_->Route("GET", "/v1/balance", Respond(200, "{}"));
  PacedTransport paced(transport_, limiter_);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(paced.Send({.method = "GET", .url = "http://stripe.test/v1/balance"}).ok());
  EXPECT_EQ(limiter_->acquired(), 3);
  EXPECT_EQ(clock_.Elapsed(), milliseconds(200));  // 10/s: the first free, then 100 ms each
}

TEST_F(PacedTransportTest, RetriesOfTheClientTakeSlots) {
  transport_->Push(Respond(500, kServerError));
  transport_->Push(Respond(503, kServerError));
  transport_->Push(Respond(200, "{}"));
  AccountSession session(client_, limiter_, {.api_key = "sk_test_x"});
  ASSERT_TRUE(session.Request("GET", "/v1/balance").ok());
  EXPECT_EQ(transport_->request_count(), 3u);
  EXPECT_EQ(limiter_->acquired(), 3);
  // The unpaced client it was built from still takes none.
  transport_->Push(Respond(200, "{}"));
  ASSERT_TRUE(client_.Request("GET", "/v1/balance", {}, {.api_key = "sk_test_x"}).ok());
  EXPECT_EQ(limiter_->acquired(), 3);
}

TEST_F(PacedTransportTest, RateLimitedAnswersSlowTheLimiterDownAndHonourRetryAfter) {
  transport_->Push(Respond(429, kRateLimitBody, {{"retry-after", "2"}}));
  transport_->Push(Respond(200, "{}"));
  PacedTransport paced(transport_, limiter_);
  ASSERT_EQ(paced.Send({.method = "GET", .url = "http://stripe.test/v1/charges"})->status, 429);
  EXPECT_EQ(limiter_->pace(), 5);
  auto before = clock_.Elapsed();
  ASSERT_EQ(paced.Send({.method = "GET", .url = "http://stripe.test/v1/charges"})->status, 200);
  EXPECT_EQ(clock_.Elapsed() - before, milliseconds(2000));
}

TEST_F(PacedTransportTest, LockTimeoutAndServerErrorsDoNotSlowDown) {
  transport_->Push(Respond(429, R"({"error":{"type":"invalid_request_error","code":"lock_timeout"}})"));
  transport_->Push(Respond(500, kServerError));
  PacedTransport paced(transport_, limiter_);
  (void)paced.Send({.method = "GET", .url = "http://stripe.test/v1/charges"});
  (void)paced.Send({.method = "GET", .url = "http://stripe.test/v1/charges"});
  EXPECT_EQ(limiter_->pace(), 10);
}

TEST_F(PacedTransportTest, ASessionKeepsRetryingA429WhileTheLimiterFindsThePace) {
  // Far more 429s than RetryPolicy::max_retries: a paced request waits for a pace Stripe
  // accepts instead of failing.
  for (int i = 0; i < 12; ++i) transport_->Push(Respond(429, kRateLimitBody));
  transport_->Push(Respond(200, R"({"object":"list","data":[],"has_more":false})"));
  AccountSession session(client_, limiter_, {.api_key = "sk_test_x"});
  auto page = session.ListPage("/v1/charges", {{"limit", "100"}});
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(transport_->request_count(), 13u);
  EXPECT_EQ(limiter_->acquired(), 13);
}

TEST_F(PacedTransportTest, ASessionFailsA429ThatPersistsAtTheFloorWithThatReason) {
  transport_->Route("GET", "/v1/charges", Respond(429, kRateLimitBody));
  AccountSession session(client_, limiter_, {.api_key = "sk_test_x"});
  auto page = session.ListPage("/v1/charges", {});
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().kind, ErrorKind::kRateLimit);
  EXPECT_NE(page.error().message.find("minimum pace"), std::string::npos) << page.error().message;
  // It gave up only after the patience, slowed down to about its floor (1/s).
  EXPECT_GE(limiter_->ThrottledFor(), client_.options().retry.rate_limited_patience);
  EXPECT_LT(limiter_->pace(), 2);
}

TEST_F(PacedTransportTest, ASessionObeysStripeShouldRetryFalseOnA429) {
  transport_->Push(Respond(429, kRateLimitBody, {{"stripe-should-retry", "false"}}));
  AccountSession session(client_, limiter_, {.api_key = "sk_test_x"});
  EXPECT_FALSE(session.Request("GET", "/v1/charges").ok());
  EXPECT_EQ(transport_->request_count(), 1u);
}

TEST_F(PacedTransportTest, ThePermissionProbeIsPaced) {
  for (const ProbeTarget& target : ReadProbeTargets()) {
    transport_->Route("GET", target.path, Respond(200, R"({"object":"list","data":[],"has_more":false})"));
  }
  AccountSession session(client_, limiter_, {.api_key = "rk_test_x"});
  auto report = ProbeReadPermissions(session.client(), session.options());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(limiter_->acquired(), static_cast<int64_t>(ReadProbeTargets().size()));
}

TEST(AccountSession, OpenBindsAKeyWithoutStripeAccountToItsAccount) {
  FakeClock clock;
  RateLimiterRegistry limiters({}, clock);
  Client client(ClientOptions{}, std::make_shared<FakeTransport>(), clock);
  AccountSession own = AccountSession::Open(client, limiters, "acct_1", false, {.api_key = "sk_test_a"});
  EXPECT_EQ(&own.limiter(), limiters.ForAccount("acct_1", false).get());
  EXPECT_EQ(limiters.ForKey("sk_test_a", false), limiters.ForAccount("acct_1", false));
  // A platform key acting for a connected account reaches many accounts: never bound.
  AccountSession connected = AccountSession::Open(
      client, limiters, "acct_2", false, {.api_key = "sk_test_p", .stripe_account = "acct_2"});
  EXPECT_EQ(&connected.limiter(), limiters.ForAccount("acct_2", false).get());
  EXPECT_NE(limiters.ForKey("sk_test_p", false), limiters.ForAccount("acct_2", false));
}

}  // namespace
}  // namespace stripeline::stripe
