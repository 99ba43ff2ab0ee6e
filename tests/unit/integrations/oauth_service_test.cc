// OAuthService over a real SQLite store, the real ConnectionChecker and the Stripe emulator in
// process (HttpServer on 127.0.0.1:0, CurlTransport), with a FakeClock: what the integration
// tests cannot wait for (a state's expiry) and what needs no browser.
#include "integrations/oauth_service.h"

#include <gtest/gtest.h>

#include <memory>

#include "common/http_server.h"
#include "emulator/emulator.h"
#include "stripe/curl_transport.h"
#include "unit/access/access_test_util.h"
#include "unit/emulator/served_emulator.h"

namespace stripeline::integrations {
namespace {

constexpr char kPlatformKey[] = "sk_test_emu_demo_secret_0000000000000000";
constexpr char kRedirect[] = "https://stripeline.example.com/oauth/stripe/callback";

std::string QueryParam(const std::string& url, const std::string& name) {
  size_t question = url.find('?');
  if (question == std::string::npos) return "";
  for (const auto& [key, value] : ParseFormEncoded(url.substr(question + 1))) {
    if (key == name) return value;
  }
  return "";
}

class OAuthServiceTest : public test_util::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto served = test_util::ServeEmulator({.clock = &clock_});
    ASSERT_TRUE(served.server);
    emulator_ = std::move(served.emulator);
    server_ = std::move(served.server);
    client_ = std::make_unique<stripe::Client>(
        stripe::ClientOptions{.api_base = server_->base_url(), .connect_base = server_->base_url()},
        std::make_shared<stripe::CurlTransport>(), clock_);
    checker_ = std::make_unique<ConnectionChecker>(*client_, limiters_);
    integrations_ = std::make_unique<IntegrationService>(*store_, box_, *checker_, clock_);
    oauth_ = std::make_unique<OAuthService>(*store_, box_, *client_, limiters_, *users_,
                                            *integrations_, clock_);
    admin_ = ActorOf(AddUser("admin@example.com", store::Role::kAdmin));
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  void Configure() {
    auto saved = oauth_->PutSettings(admin_, {.client_id = emulator::kDemoConnectClientId,
                                              .secret_key = kPlatformKey,
                                              .redirect_url = kRedirect,
                                              .scope = "read_only"});
    ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  }

  // Approves acct_emu_connected_1 on the emulator's authorize form: the redirect's query.
  std::string Approve(const std::string& authorize_url) {
    HttpRequest request;
    request.method = "POST";
    request.path = "/oauth/authorize";
    request.body = EncodeForm({{"client_id", emulator::kDemoConnectClientId},
                               {"redirect_uri", kRedirect},
                               {"state", QueryParam(authorize_url, "state")},
                               {"scope", "read_only"},
                               {"response_type", "code"},
                               {"account", "acct_emu_connected_1"},
                               {"decision", "approve"}});
    HttpResponse response = emulator_->Handle(request);
    EXPECT_EQ(response.status, 302) << response.body;
    return response.Header("Location").value_or("");
  }

  SecretBox box_{std::string(kMasterKeyBytes, '\x42')};
  std::unique_ptr<emulator::Emulator> emulator_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<stripe::Client> client_;
  // Pacing is not what these tests are about: a burst no check exhausts, so nothing sleeps.
  stripe::RateLimiterRegistry limiters_{{.live = {1000, 1000}, .test = {1000, 1000}}, clock_};
  std::unique_ptr<ConnectionChecker> checker_;
  std::unique_ptr<IntegrationService> integrations_;
  std::unique_ptr<OAuthService> oauth_;
  access::Actor admin_;
};

TEST_F(OAuthServiceTest, StartNeedsASignedInAdminAndTheSettings) {
  auto operator_start = oauth_->Start(access::Actor::LocalOperator(), {.name = "X"}, "");
  EXPECT_EQ(operator_start.status().error_code(), "oauth_needs_user");
  auto unconfigured = oauth_->Start(admin_, {.name = "X"}, "");
  EXPECT_EQ(unconfigured.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(unconfigured.status().error_code(), "stripe_connect_not_configured");
  EXPECT_FALSE(oauth_->GetSettings(admin_)->configured);
  access::Actor member = ActorOf(AddUser("member@example.com", store::Role::kMember));
  EXPECT_EQ(oauth_->Start(member, {.name = "X"}, "").status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(OAuthServiceTest, AStartedStateExpiresUnusedAndAddsNothing) {
  Configure();
  auto started = oauth_->Start(admin_, {.name = "Late"}, "");
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->expires_at, clock_.NowUnix() + kStateLifetime);
  std::string location = Approve(started->authorize_url);
  clock_.Advance(std::chrono::seconds(kStateLifetime));
  auto late = oauth_->Complete({.state = QueryParam(location, "state"),
                                .code = QueryParam(location, "code"),
                                .binding = started->binding});
  EXPECT_EQ(late.status().error_code(), "oauth_state_expired");
  EXPECT_TRUE(store_->ListIntegrations(std::nullopt)->empty());
}

TEST_F(OAuthServiceTest, ExpiredStatesAreTrimmedWhenANewOneStartsADayLater) {
  Configure();
  auto rows = [&] {
    auto counted = db_->Query("SELECT COUNT(*) FROM oauth_states", {});
    EXPECT_TRUE(counted.ok());
    return counted.ok() ? (*counted)[0].GetInt(0) : -1;
  };
  auto abandoned = oauth_->Start(admin_, {.name = "Abandoned"}, "");
  ASSERT_TRUE(abandoned.ok()) << abandoned.status().ToString();
  const std::string state = QueryParam(abandoned->authorize_url, "state");
  const std::string state_hash = Sha256Hex(state);

  // Expired, but kept for a day: a late callback is told so rather than "unknown".
  clock_.Advance(std::chrono::seconds(kStateLifetime + kStateRetention - 1));
  ASSERT_TRUE(oauth_->Start(admin_, {.name = "Next day"}, "").ok());
  EXPECT_TRUE(store_->GetOAuthState(state_hash).ok());
  EXPECT_EQ(rows(), 2);
  EXPECT_EQ(oauth_->Complete({.state = state, .code = "ac_late", .binding = abandoned->binding})
                .status()
                .error_code(),
            "oauth_state_expired");

  // A day after it expired, the next start deletes it (and keeps the fresh one).
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(oauth_->Start(admin_, {.name = "Later"}, "").ok());
  EXPECT_EQ(store_->GetOAuthState(state_hash).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(rows(), 2);
}

TEST_F(OAuthServiceTest, AReconnectWhoseIntegrationWasDeletedMeanwhileAddsNothing) {
  Configure();
  auto added = oauth_->Start(admin_, {.name = "Northwind"}, "");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  std::string location = Approve(added->authorize_url);
  auto saved = oauth_->Complete({.state = QueryParam(location, "state"),
                                 .code = QueryParam(location, "code"),
                                 .binding = added->binding});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  const std::string id = saved->integration.id;

  auto reconnect = oauth_->Start(admin_, {.integration_id = id}, added->binding);
  ASSERT_TRUE(reconnect.ok()) << reconnect.status().ToString();
  auto state = store_->GetOAuthState(Sha256Hex(QueryParam(reconnect->authorize_url, "state")));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->integration_id, id);
  EXPECT_EQ(state->name, "Northwind");
  EXPECT_EQ(state->expected_account, "acct_emu_connected_1");

  location = Approve(reconnect->authorize_url);
  ASSERT_TRUE(integrations_->Delete(admin_, id, true, "").ok());
  auto late = oauth_->Complete({.state = QueryParam(location, "state"),
                                .code = QueryParam(location, "code"),
                                .binding = added->binding});
  EXPECT_EQ(late.status().error_code(), "oauth_integration_gone");
  EXPECT_NE(late.status().message().find("access to account acct_emu_connected_1 was revoked"),
            std::string::npos)
      << late.status().message();
  EXPECT_TRUE(store_->ListIntegrations(std::nullopt)->empty()) << "not added as a new one";
}

TEST_F(OAuthServiceTest, TheBrowsersBindingIsReusedAndCompletesAsTheStarter) {
  Configure();
  auto first = oauth_->Start(admin_, {.name = "First"}, "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = oauth_->Start(admin_, {.name = "Second"}, first->binding);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->binding, first->binding) << "one browser, one binding, several flows";
  EXPECT_NE(oauth_->Start(admin_, {.name = "Third"}, "forged<>")->binding, "forged<>");

  std::string location = Approve(second->authorize_url);
  auto saved = oauth_->Complete({.state = QueryParam(location, "state"),
                                 .code = QueryParam(location, "code"),
                                 .binding = first->binding});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(saved->integration.name, "Second");
  EXPECT_EQ(saved->integration.auth_scheme, "oauth");
  EXPECT_EQ(saved->integration.stripe_account_id, "acct_emu_connected_1");
  auto credentials = OpenCredentials(box_, saved->integration);
  ASSERT_TRUE(credentials.ok());
  EXPECT_TRUE(credentials->secret_key.starts_with("sk_test_emu_oauth_"));
  EXPECT_TRUE(credentials->refresh_token.starts_with("rt_emu_"));
  EXPECT_EQ(credentials->connect_client_id, emulator::kDemoConnectClientId);
  EXPECT_EQ(credentials->scope, "read_only");
  auto audit = store_->ListAudit(saved->integration.id, 10);
  ASSERT_TRUE(audit.ok() && !audit->empty());
  EXPECT_EQ(audit->front().actor, "admin@example.com");
}

TEST_F(OAuthServiceTest, CallsToStripeTakeSlotsFromThePlatformAccountsLimiter) {
  Configure();
  const std::string platform = oauth_->GetSettings(admin_)->platform_account_id;
  ASSERT_FALSE(platform.empty());
  const std::shared_ptr<stripe::RateLimiter> limiter = limiters_.ForAccount(platform, false);
  // The key's check bound the key to its account: a request made with it alone shares the limiter.
  EXPECT_EQ(limiters_.ForKey(kPlatformKey, false), limiter);

  auto started = oauth_->Start(admin_, {.name = "Paced"}, "");
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  std::string location = Approve(started->authorize_url);
  const int64_t before = limiter->acquired();
  auto saved = oauth_->Complete({.state = QueryParam(location, "state"),
                                 .code = QueryParam(location, "code"),
                                 .binding = started->binding});
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(limiter->acquired(), before + 1) << "the code exchange";
  ASSERT_TRUE(oauth_->Deauthorize(saved->integration).ok());
  EXPECT_EQ(limiter->acquired(), before + 2) << "the deauthorization";
}

}  // namespace
}  // namespace stripeline::integrations
