#include "stripe/api_key.h"

#include <gtest/gtest.h>

namespace stripeline::stripe {
namespace {

const std::string kBody = "51HqLyjWDarjtT1zdp7dcAbCd";  // 25 characters

void ExpectRefused(std::string_view key, std::string_view message_part) {
  SCOPED_TRACE(std::string(key));
  Result<ApiKeyInfo> info = ClassifyApiKey(key);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(info.status().error_code(), "invalid_secret_key");
  EXPECT_NE(info.status().message().find(message_part), std::string::npos)
      << info.status().message();
  // Never echo a key back whole.
  if (key.size() > 12) {
    EXPECT_EQ(info.status().message().find(std::string(key)), std::string::npos);
  }
}

TEST(ClassifyApiKey, AcceptsSecretAndRestrictedKeysInBothModes) {
  struct Case {
    std::string prefix;
    KeyKind kind;
    bool livemode;
  };
  for (const Case& c :
       {Case{"sk_live_", KeyKind::kSecret, true}, Case{"sk_test_", KeyKind::kSecret, false},
        Case{"rk_live_", KeyKind::kRestricted, true},
        Case{"rk_test_", KeyKind::kRestricted, false}}) {
    SCOPED_TRACE(c.prefix);
    Result<ApiKeyInfo> info = ClassifyApiKey(c.prefix + kBody);
    ASSERT_TRUE(info.ok()) << info.status().ToString();
    EXPECT_EQ(info->kind, c.kind);
    EXPECT_EQ(info->livemode, c.livemode);
  }
  // Modern keys are ~99 characters after the prefix, with underscores allowed.
  EXPECT_TRUE(ClassifyApiKey("sk_test_" + std::string(99, 'a') + "_b").ok());
  EXPECT_TRUE(ClassifyApiKey("sk_test_" + std::string(24, 'x')).ok());
}

TEST(ClassifyApiKey, RefusesEmpty) {
  ExpectRefused("", "No secret key");
  ExpectRefused("   ", "No secret key");
}

TEST(ClassifyApiKey, RefusesWhitespaceAnywhere) {
  constexpr char kMessage[] =
      "The secret key contains whitespace; copy it again without spaces or line breaks.";
  for (std::string key :
       {" sk_test_" + kBody, "sk_test_" + kBody + "\n", "sk_test_51Hq Lyj" + kBody,
        "sk_test_" + kBody + "\t", "\r\nsk_test_" + kBody}) {
    Result<ApiKeyInfo> info = ClassifyApiKey(key);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().message(), kMessage);
    EXPECT_EQ(info.status().error_code(), "invalid_secret_key");
  }
}

TEST(ClassifyApiKey, RefusesPublishableKeys) {
  constexpr char kMessage[] =
      "This is a publishable key (pk_...). Stripeline needs a secret key (sk_...) or a "
      "restricted key (rk_...): publishable keys only work in browsers and cannot read your "
      "data.";
  for (std::string key : {"pk_live_" + kBody, "pk_test_" + kBody}) {
    Result<ApiKeyInfo> info = ClassifyApiKey(key);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().message(), kMessage);
  }
}

TEST(ClassifyApiKey, RefusesUnknownPrefixesNamingTheAcceptedOnes) {
  ExpectRefused("whsec_" + kBody, "webhook signing secret (whsec_");
  ExpectRefused("whsec_" + kBody, "sk_live_");
  ExpectRefused("ca_" + kBody, "Connect client ID (ca_");
  ExpectRefused("ca_" + kBody, "rk_test_");
  ExpectRefused("acct_1Abc", "sk_live_ or sk_test_");
  ExpectRefused("sk_" + kBody, "rk_live_ or rk_test_");
  ExpectRefused("SK_TEST_" + kBody, "does not look like a Stripe API key");
  ExpectRefused("hello", "does not look like a Stripe API key");
}

TEST(ClassifyApiKey, RefusesTruncatedOrDamagedKeys) {
  ExpectRefused("sk_live_", "too short");
  ExpectRefused("sk_live_" + std::string(23, 'a'), "too short");
  ExpectRefused("rk_test_abc", "too short");
  ExpectRefused("sk_test_" + kBody + "-", "characters Stripe keys never have");
  ExpectRefused("sk_test_" + kBody + "\xc3\xa9", "characters Stripe keys never have");
  ExpectRefused("sk_test_" + kBody + "…", "characters Stripe keys never have");
}

TEST(MaskKey, KeepsPrefixAndLastFour) {
  EXPECT_EQ(MaskKey("sk_live_" + kBody), "sk_live_...AbCd");
  EXPECT_EQ(MaskKey("sk_test_" + kBody), "sk_test_...AbCd");
  EXPECT_EQ(MaskKey("rk_live_" + kBody), "rk_live_...AbCd");
  EXPECT_EQ(MaskKey("rk_test_" + kBody), "rk_test_...AbCd");
  EXPECT_EQ(MaskKey("pk_test_" + kBody), "pk_test_...AbCd");
}

TEST(MaskKey, HidesShortKeysEntirely) {
  EXPECT_EQ(MaskKey("sk_live_abcdefg"), "sk_live_...");
  EXPECT_EQ(MaskKey("sk_live_abcdefgh"), "sk_live_...efgh");
  EXPECT_EQ(MaskKey("sk_live_"), "sk_live_...");
}

TEST(MaskKey, UnrecognisedKeys) {
  EXPECT_EQ(MaskKey("whsec_abcdefghijkl1234"), "****1234");
  EXPECT_EQ(MaskKey("abcdefgh1234"), "****1234");
  EXPECT_EQ(MaskKey("abcdefg1234"), "****");
  EXPECT_EQ(MaskKey(""), "****");
}

}  // namespace
}  // namespace stripeline::stripe
