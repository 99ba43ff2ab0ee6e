// The real ConnectionChecker against the Stripe emulator, in process: Emulator::Handle served by
// HttpServer on 127.0.0.1:0 and reached through CurlTransport, as in production. Retries sleep
// on a FakeClock.
#include "integrations/connection_check.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/http_server.h"
#include "emulator/emulator.h"
#include "integrations/integration_service.h"
#include "stripe/curl_transport.h"
#include "unit/emulator/served_emulator.h"

namespace stripeline::integrations {
namespace {

constexpr char kSecret[] = "sk_test_emu_demo_secret_0000000000000000";
constexpr char kLiveSecret[] = "sk_live_emu_demo_secret_0000000000000000";
constexpr char kRestricted[] = "rk_test_emu_demo_readonly_00000000000000";
constexpr char kExpired[] = "sk_test_emu_demo_expired_000000000000000";
constexpr char kPublishable[] = "pk_test_emu_demo_publishable_00000000000";

class ConnectionCheckerEmulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto served = test_util::ServeEmulator();
    ASSERT_TRUE(served.server);
    emulator_ = std::move(served.emulator);
    server_ = std::move(served.server);
    client_ = std::make_unique<stripe::Client>(stripe::ClientOptions{.api_base = server_->base_url()},
                                               transport_, clock_);
    checker_ = std::make_unique<ConnectionChecker>(*client_, limiters_);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  // Requests the emulator has answered on its API (admin endpoints excluded).
  int64_t RequestCount() {
    auto response = transport_->Send(
        {.method = "GET", .url = server_->base_url() + "/_emulator/requests/count"});
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    if (!response.ok()) return -1;
    return boost::json::parse(response->body).at("count").to_number<int64_t>();
  }

  FakeClock clock_;
  std::shared_ptr<stripe::CurlTransport> transport_ = std::make_shared<stripe::CurlTransport>();
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<stripe::Client> client_;
  // Pacing is not what these tests are about: a burst no check exhausts, so nothing sleeps.
  stripe::RateLimiterRegistry limiters_{{.live = {1000, 1000}, .test = {1000, 1000}}, clock_};
  std::unique_ptr<ConnectionChecker> checker_;
};

TEST_F(ConnectionCheckerEmulatorTest, SecretTestKeyIsAvailableWithTheDemoAccount) {
  ConnectionCheck check = checker_->Check(kSecret, std::nullopt);
  EXPECT_TRUE(check.available()) << check.message;
  EXPECT_EQ(check.message, "Connection available");
  EXPECT_EQ(check.account_id, "acct_emu_demo");
  EXPECT_EQ(check.account_name, "Emulator Demo Ltd");
  EXPECT_FALSE(check.livemode);
  EXPECT_EQ(check.key_kind, stripe::KeyKind::kSecret);
  EXPECT_TRUE(check.missing_permissions.empty());
}

TEST_F(ConnectionCheckerEmulatorTest, SecretLiveKeyIsAvailableInLiveMode) {
  ConnectionCheck check = checker_->Check(kLiveSecret, std::nullopt);
  EXPECT_TRUE(check.available()) << check.message;
  EXPECT_TRUE(check.livemode);
}

TEST_F(ConnectionCheckerEmulatorTest, ConnectedAccountIsReachedWithStripeAccount) {
  ConnectionCheck check = checker_->Check(kSecret, "acct_emu_connected_1");
  EXPECT_TRUE(check.available()) << check.message;
  EXPECT_EQ(check.account_id, "acct_emu_connected_1");
  EXPECT_EQ(check.account_name, "Northwind Coffee");
}

TEST_F(ConnectionCheckerEmulatorTest, RestrictedKeyMissesExactlySubscriptionAndPayoutRead) {
  ConnectionCheck check = checker_->Check(kRestricted, std::nullopt);
  EXPECT_EQ(check.failure, ConnectionFailure::kMissingPermissions) << check.message;
  EXPECT_EQ(check.missing_permissions,
            (std::vector<std::string>{"rak_subscription_read", "rak_payout_read"}));
  EXPECT_EQ(check.key_kind, stripe::KeyKind::kRestricted);
  EXPECT_NE(check.message.find("rak_subscription_read"), std::string::npos) << check.message;
  EXPECT_EQ(store::HealthName(HealthFor(check)), "missing_permissions");
}

TEST_F(ConnectionCheckerEmulatorTest, ExpiredKeyIsExpiredCredentials) {
  ConnectionCheck check = checker_->Check(kExpired, std::nullopt);
  EXPECT_EQ(check.failure, ConnectionFailure::kExpiredCredentials) << check.message;
  EXPECT_FALSE(check.stripe_message.empty());
  EXPECT_EQ(check.stripe_message.find(kExpired), std::string::npos) << check.stripe_message;
  EXPECT_TRUE(check.request_id.starts_with("req_")) << check.request_id;
  EXPECT_EQ(store::HealthName(HealthFor(check)), "needs_reconnect");
}

TEST_F(ConnectionCheckerEmulatorTest, RevokedKeyIsInvalidCredentials) {
  auto revoked = transport_->Send({.method = "POST",
                                   .url = server_->base_url() + "/_emulator/keys/revoke",
                                   .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
                                   .body = std::string("key=") + kSecret});
  ASSERT_TRUE(revoked.ok());
  ASSERT_EQ(revoked->status, 200) << revoked->body;
  ConnectionCheck check = checker_->Check(kSecret, std::nullopt);
  EXPECT_EQ(check.failure, ConnectionFailure::kInvalidCredentials) << check.message;
}

TEST_F(ConnectionCheckerEmulatorTest, PublishableKeyIsRefusedWithoutAnyRequest) {
  int64_t before = RequestCount();
  ConnectionCheck check = checker_->Check(kPublishable, std::nullopt);
  EXPECT_EQ(check.failure, ConnectionFailure::kInvalidCredentials);
  EXPECT_TRUE(check.message.starts_with("Connection unavailable: ")) << check.message;
  EXPECT_EQ(RequestCount(), before);
  EXPECT_GE(before, 0);
}

TEST_F(ConnectionCheckerEmulatorTest, ClosedPortIsStripeUnreachable) {
  std::string base = server_->base_url();
  server_->Stop();
  server_.reset();  // the listener is closed with the server
  stripe::Client client(stripe::ClientOptions{.api_base = base}, transport_, clock_);
  ConnectionChecker checker(client, limiters_);
  ConnectionCheck check = checker.Check(kSecret, std::nullopt);
  EXPECT_EQ(check.failure, ConnectionFailure::kStripeUnreachable) << check.message;
  EXPECT_GT(clock_.Elapsed().count(), 0) << "retries should have slept on the fake clock";
}

}  // namespace
}  // namespace stripeline::integrations
