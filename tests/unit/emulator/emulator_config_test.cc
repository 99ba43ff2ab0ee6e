#include "emulator/emulator_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include "emulator/emulator.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

using testing::MakeRequest;
using testing::ToReply;

constexpr char kGoodFile[] = R"({"accounts":[
  {"id":"acct_x","name":"X Ltd","country":"US","default_currency":"usd","connected_to":null,
   "keys":[{"key":"sk_test_x_secret_1234567890","livemode":false},
           {"key":"rk_live_x_restricted_12345678","permissions":["rak_charge_read"]},
           {"key":"sk_test_x_old_123456789012","expired":true}]},
  {"id":"acct_y","name":"Y GmbH","country":"DE","default_currency":"eur","connected_to":"acct_x"}
]})";

class KeysFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& text) {
    static int counter = 0;
    path_ = (std::filesystem::temp_directory_path() /
             ("emulator_keys_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) +
              ".json"))
                .string();
    std::ofstream(path_) << text;
    return path_;
  }
  void TearDown() override {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  std::string path_;
};

TEST_F(KeysFileTest, GoodFileAddsAccountsAndKeys) {
  auto created = Emulator::Create({Write(kGoodFile), 42});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  Emulator& emulator = **created;
  auto get = [&](const std::string& target, const std::string& key, Fields headers = {}) {
    headers.emplace_back("Authorization", "Bearer " + key);
    return ToReply(emulator.Handle(MakeRequest("GET", target, headers)));
  };
  auto account = get("/v1/account", "sk_test_x_secret_1234567890");
  ASSERT_EQ(account.status, 200) << account.raw.body;
  EXPECT_EQ(account.object().at("id").as_string(), "acct_x");
  EXPECT_EQ(account.object().at("default_currency").as_string(), "usd");
  EXPECT_EQ(get("/v1/charges", "sk_test_x_secret_1234567890").data().at(0).at("currency").as_string(),
            "usd");

  auto live = get("/v1/charges", "rk_live_x_restricted_12345678");
  ASSERT_EQ(live.status, 200);
  EXPECT_TRUE(live.data().at(0).at("livemode").as_bool());
  EXPECT_EQ(get("/v1/customers", "rk_live_x_restricted_12345678").status, 403);
  EXPECT_EQ(get("/v1/charges", "sk_test_x_old_123456789012").error_field("code"),
            "api_key_expired");

  auto connected = get("/v1/account", "sk_test_x_secret_1234567890", {{"Stripe-Account", "acct_y"}});
  ASSERT_EQ(connected.status, 200);
  EXPECT_EQ(connected.object().at("country").as_string(), "DE");
  // acct_y is not connected to the demo platform.
  EXPECT_EQ(get("/v1/account", testing::kTestSecret, {{"Stripe-Account", "acct_y"}}).status, 403);
  // Built-in keys still work, and the file's keys are listed.
  EXPECT_EQ(get("/v1/account", testing::kTestSecret).status, 200);
  EXPECT_EQ(emulator.DemoKeys().size(), 8u);
}

TEST_F(KeysFileTest, SettlementCurrenciesGetABalanceAndPayoutsEach) {
  auto created = Emulator::Create(
      {Write(R"({"accounts":[{"id":"acct_x","name":"X","default_currency":"usd","currencies":["eur"],
                 "keys":[{"key":"sk_test_x_secret_1234567890"}]}]})"),
       42});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto get = [&](const std::string& target) {
    return ToReply((*created)->Handle(
        MakeRequest("GET", target, {{"Authorization", "Bearer sk_test_x_secret_1234567890"}})));
  };
  std::set<std::string> balances, payouts;
  testing::Reply balance = get("/v1/balance"), listed = get("/v1/payouts?limit=100");
  for (const auto& b : balance.object().at("available").as_array()) {
    balances.emplace(b.at("currency").as_string());
  }
  for (const auto& p : listed.data()) payouts.emplace(p.at("currency").as_string());
  EXPECT_EQ(balances, (std::set<std::string>{"usd", "eur"}));
  EXPECT_EQ(payouts, (std::set<std::string>{"usd", "eur"}));
}

TEST_F(KeysFileTest, MissingFileIsNotFound) {
  auto created = Emulator::Create({"/nonexistent/keys.json", 42});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kNotFound);
}

struct BadFile {
  const char* name;
  const char* json;
  const char* expected;  // part of the error message
};

class BadKeysFileTest : public KeysFileTest, public ::testing::WithParamInterface<BadFile> {};

TEST_P(BadKeysFileTest, IsRejectedWithAClearError) {
  auto created = Emulator::Create({Write(GetParam().json), 42});
  ASSERT_FALSE(created.ok()) << GetParam().name;
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(created.status().message().find(GetParam().expected), std::string::npos)
      << created.status().message();
  EXPECT_NE(created.status().message().find(path_), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, BadKeysFileTest,
    ::testing::Values(
        BadFile{"NotJson", "{", "not valid JSON"},
        BadFile{"NotObject", "[]", "must be a JSON object"},
        BadFile{"NoAccounts", "{}", "needs an \"accounts\" array"},
        BadFile{"UnknownTopField", R"({"accounts":[],"extra":1})", "unknown field \"extra\""},
        BadFile{"AccountNotObject", R"({"accounts":[1]})", "accounts[0]: must be an object"},
        BadFile{"MissingId", R"({"accounts":[{"name":"X"}]})", "accounts[0]: missing \"id\""},
        BadFile{"BadId", R"({"accounts":[{"id":"x","name":"X"}]})", "accounts[0].id"},
        BadFile{"MissingName", R"({"accounts":[{"id":"acct_x"}]})", "missing \"name\""},
        BadFile{"BadCountry", R"({"accounts":[{"id":"acct_x","name":"X","country":"usa"}]})",
                "accounts[0].country"},
        BadFile{"BadCurrency",
                R"({"accounts":[{"id":"acct_x","name":"X","default_currency":"USD"}]})",
                "accounts[0].default_currency"},
        BadFile{"CurrenciesNotArray",
                R"({"accounts":[{"id":"acct_x","name":"X","currencies":"eur"}]})",
                "accounts[0].currencies: must be an array"},
        BadFile{"BadSettlementCurrency",
                R"({"accounts":[{"id":"acct_x","name":"X","currencies":["EUR"]}]})",
                "accounts[0].currencies[0]: must be three lower-case letters"},
        BadFile{"DefaultCurrencyListedAgain",
                R"({"accounts":[{"id":"acct_x","name":"X","currencies":["eur","usd"]}]})",
                "accounts[0].currencies[1]: \"usd\" is the default currency or listed twice"},
        BadFile{"UnknownAccountField",
                R"({"accounts":[{"id":"acct_x","name":"X","nmae":"typo"}]})",
                "unknown field \"nmae\""},
        BadFile{"DuplicateAccount",
                R"({"accounts":[{"id":"acct_x","name":"X"},{"id":"acct_x","name":"Y"}]})",
                "accounts[1].id"},
        BadFile{"BuiltInAccount", R"({"accounts":[{"id":"acct_emu_demo","name":"X"}]})",
                "defined twice"},
        BadFile{"UnknownPlatform",
                R"({"accounts":[{"id":"acct_x","name":"X","connected_to":"acct_nope"}]})",
                "accounts[0].connected_to: no account \"acct_nope\""},
        BadFile{"SelfConnected",
                R"({"accounts":[{"id":"acct_x","name":"X","connected_to":"acct_x"}]})",
                "cannot connect to itself"},
        BadFile{"ConnectedToConnected",
                R"({"accounts":[{"id":"acct_x","name":"X","connected_to":"acct_emu_connected_1"}]})",
                "is itself a connected account"},
        BadFile{"KeysNotArray", R"({"accounts":[{"id":"acct_x","name":"X","keys":{}}]})",
                "accounts[0].keys: must be an array"},
        BadFile{"KeyMissing", R"({"accounts":[{"id":"acct_x","name":"X","keys":[{}]}]})",
                "accounts[0].keys[0]: missing \"key\""},
        BadFile{"BadPrefix",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"xk_test_1234567890abc"}]}]})",
                "accounts[0].keys[0].key: must start with sk_, rk_ or pk_"},
        BadFile{"ShortKey",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_1"}]}]})",
                "at least 16 characters"},
        BadFile{"KeyWithSpace",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_12345 67890"}]}]})",
                "may only hold"},
        BadFile{"ModeMismatch",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_1234567890ab","livemode":true}]}]})",
                "accounts[0].keys[0].livemode"},
        BadFile{"LivemodeNotBool",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_1234567890ab","livemode":"no"}]}]})",
                "must be true or false"},
        BadFile{"RestrictedWithoutPermissions",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"rk_test_1234567890ab"}]}]})",
                "needs \"permissions\""},
        BadFile{"BadPermission",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"rk_test_1234567890ab","permissions":["charges"]}]}]})",
                "accounts[0].keys[0].permissions[0]"},
        BadFile{"SecretWithPermissions",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_1234567890ab","permissions":[]}]}]})",
                "only restricted"},
        BadFile{"DuplicateKey",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_emu_demo_secret_0000000000000000"}]}]})",
                "already defined"},
        BadFile{"UnknownKeyField",
                R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_1234567890ab","mode":"test"}]}]})",
                "unknown field \"mode\""}),
    [](const ::testing::TestParamInfo<BadFile>& info) { return std::string(info.param.name); });

TEST(KeysFile, ErrorsNeverQuoteAKey) {
  EmulatorConfig config = BuiltInConfig();
  Status status = AddKeysFile(
      R"({"accounts":[{"id":"acct_x","name":"X","keys":[{"key":"sk_test_emu_demo_secret_0000000000000000"}]}]})",
      config);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message().find("sk_test_emu"), std::string::npos);
  EXPECT_EQ(config.accounts.size(), BuiltInConfig().accounts.size());  // unchanged on error
}

TEST(KeyConfig, WriteImpliesRead) {
  KeyConfig key;
  key.kind = KeyKind::kRestricted;
  key.permissions = {"rak_charge_write"};
  EXPECT_TRUE(key.Allows("rak_charge_read"));
  EXPECT_TRUE(key.Allows("rak_charge_write"));
  EXPECT_FALSE(key.Allows("rak_customer_read"));
  key.kind = KeyKind::kSecret;
  EXPECT_TRUE(key.Allows("rak_customer_read"));
}

TEST(MaskKey, KeepsPrefixAndLastFour) {
  EXPECT_EQ(MaskKey("sk_test_abcdefgh1234"), "sk_test_********1234");
  EXPECT_EQ(MaskKey("rk_live_abcd"), "rk_live_****");
  EXPECT_EQ(MaskKey("whatever_key_1234"), "whatever*****1234");
  EXPECT_EQ(MaskKey("abc"), "abc");
}

}  // namespace
}  // namespace stripeline::emulator
