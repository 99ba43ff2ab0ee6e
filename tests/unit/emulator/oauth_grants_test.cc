#include "emulator/oauth_grants.h"

#include <gtest/gtest.h>

#include "emulator/emulator_config.h"

namespace stripeline::emulator {
namespace {

const Grant kGrant{"acct_platform", "acct_connected", "read_only"};
const IssuedTokens kTokens{"sk_test_emu_oauth_a", "rt_emu_a", "pk_test_emu_oauth_a", false};

std::string ErrorCode(const std::variant<Grant, OAuthError>& result) {
  return std::holds_alternative<OAuthError>(result) ? std::get<OAuthError>(result).code : "ok";
}

TEST(OAuthGrants, ACodeIsRedeemedOnceAndAReplayRevokesWhatItIssued) {
  OAuthGrants grants;
  grants.IssueCode("ac_1", kGrant, 1000);
  std::vector<std::string> revoke;
  auto first = grants.Redeem("ac_1", "acct_platform", 1010, revoke);
  ASSERT_TRUE(std::holds_alternative<Grant>(first));
  EXPECT_EQ(std::get<Grant>(first).account, "acct_connected");
  EXPECT_TRUE(revoke.empty());
  grants.RecordTokens("ac_1", kGrant, kTokens);

  auto again = grants.Redeem("ac_1", "acct_platform", 1020, revoke);
  ASSERT_EQ(ErrorCode(again), "invalid_grant");
  EXPECT_EQ(std::get<OAuthError>(again).description,
            "This authorization code has already been used. All tokens issued with this code "
            "have been revoked.");
  EXPECT_EQ(revoke, (std::vector<std::string>{"sk_test_emu_oauth_a", "pk_test_emu_oauth_a",
                                              "rt_emu_a"}));
  EXPECT_TRUE(std::holds_alternative<OAuthError>(grants.Refresh("rt_emu_a", "acct_platform")))
      << "the replay also revoked the refresh token";
}

TEST(OAuthGrants, CodesExpireAndBelongToTheirPlatform) {
  OAuthGrants grants;
  grants.IssueCode("ac_1", kGrant, 1000);
  std::vector<std::string> revoke;
  auto other = grants.Redeem("ac_1", "acct_other", 1001, revoke);
  EXPECT_EQ(ErrorCode(other), "invalid_grant");
  auto expired = grants.Redeem("ac_1", "acct_platform", 1000 + OAuthGrants::kCodeLifetime, revoke);
  ASSERT_EQ(ErrorCode(expired), "invalid_grant");
  EXPECT_EQ(std::get<OAuthError>(expired).description, "Authorization code expired: ac_1");
  EXPECT_EQ(ErrorCode(grants.Redeem("ac_unknown", "acct_platform", 1001, revoke)),
            "invalid_grant");
}

TEST(OAuthGrants, RefreshTokensLiveUntilTheAccountIsDeauthorized) {
  OAuthGrants grants;
  grants.IssueCode("ac_1", kGrant, 1000);
  std::vector<std::string> revoke;
  ASSERT_TRUE(std::holds_alternative<Grant>(grants.Redeem("ac_1", "acct_platform", 1001, revoke)));
  grants.RecordTokens("ac_1", kGrant, kTokens);
  auto refreshed = grants.Refresh("rt_emu_a", "acct_platform");
  ASSERT_EQ(refreshed.index(), 0u);
  EXPECT_EQ(std::get<0>(refreshed).first.account, "acct_connected");
  EXPECT_EQ(std::get<1>(grants.Refresh("rt_emu_a", "acct_other")).code, "invalid_grant");

  std::vector<std::string> keys = grants.RevokeAccount("acct_platform", "acct_connected");
  EXPECT_EQ(keys, (std::vector<std::string>{"sk_test_emu_oauth_a", "pk_test_emu_oauth_a"}));
  auto after = grants.Refresh("rt_emu_a", "acct_platform");
  ASSERT_EQ(after.index(), 1u);
  EXPECT_EQ(std::get<1>(after).description, "Invalid refresh token: rt_emu_a");
  EXPECT_TRUE(grants.RevokeAccount("acct_platform", "acct_connected").empty());
}

TEST(OAuthGrants, ErrorsUseStripesOAuthBody) {
  HttpResponse response = OAuthErrorResponse({400, "invalid_grant", "Nope"});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, R"({"error":"invalid_grant","error_description":"Nope"})");
}

TEST(EmulatorConfig, PlatformsHaveAConnectClientIdAndConnectedAccountsMayBeElsewhere) {
  EmulatorConfig config = BuiltInConfig();
  ASSERT_NE(config.FindPlatform(kDemoConnectClientId), nullptr);
  EXPECT_EQ(config.FindPlatform(kDemoConnectClientId)->id, "acct_emu_demo");
  EXPECT_EQ(config.FindPlatform("ca_nope"), nullptr);
  ASSERT_TRUE(AddKeysFile(R"({"accounts": [
      {"id": "acct_p", "name": "P", "connect_client_id": "ca_p_123456"},
      {"id": "acct_c", "name": "C", "connected_to": "acct_p", "other_platform": true}]})",
                          config)
                  .ok());
  EXPECT_EQ(config.FindPlatform("ca_p_123456")->id, "acct_p");
  EXPECT_TRUE(config.FindAccount("acct_c")->other_platform);
  EmulatorConfig unchanged = BuiltInConfig();
  Status bad = AddKeysFile(
      R"({"accounts": [{"id": "acct_c2", "name": "C", "connect_client_id": "ca_x_123456",
                        "connected_to": "acct_emu_demo"}]})",
      unchanged);
  EXPECT_NE(bad.message().find("accounts[0].connect_client_id"), std::string::npos) << bad.message();
  bad = AddKeysFile(R"({"accounts": [{"id": "acct_c3", "name": "C", "other_platform": true}]})",
                    unchanged);
  EXPECT_NE(bad.message().find("accounts[0].other_platform"), std::string::npos) << bad.message();
  bad = AddKeysFile(R"({"accounts": [{"id": "acct_p2", "name": "P",
                        "connect_client_id": "ca_emu_demo_connect_0000000000000000"}]})",
                    unchanged);
  EXPECT_NE(bad.message().find("already defined"), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace stripeline::emulator
