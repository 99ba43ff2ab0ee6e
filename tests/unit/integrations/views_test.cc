// The JSON views never carry a secret and describe keys and modes correctly.
#include "integrations/views.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "unit/integrations/integrations_test_util.h"

namespace stripeline::integrations {
namespace {

// Every key and string value anywhere in `value`.
void CollectStrings(const boost::json::value& value, std::vector<std::string>& out) {
  if (value.is_string()) out.emplace_back(value.get_string());
  if (value.is_array()) {
    for (const auto& inner : value.get_array()) CollectStrings(inner, out);
  }
  if (value.is_object()) {
    for (const auto& [key, inner] : value.get_object()) {
      out.emplace_back(key);
      CollectStrings(inner, out);
    }
  }
}

class ViewsTest : public test_util::IntegrationsTest {};

TEST_F(ViewsTest, IntegrationJsonNeverHoldsThePlaintextKeyOrTheSealedCredentials) {
  int n = 0;
  for (const char* key : {test_util::kKeyA, test_util::kLiveKey, test_util::kRestrictedKey}) {
    Saved saved = AddIntegration("Integration " + std::to_string(++n), key);
    store::Integration stored = store_->GetIntegration(saved.integration.id).value();
    boost::json::object json = IntegrationJson(stored);
    std::vector<std::string> strings;
    CollectStrings(json, strings);
    for (const std::string& text : strings) {
      EXPECT_EQ(text.find(key), std::string::npos) << text;
      EXPECT_EQ(text.find(std::string(key).substr(8, 20)), std::string::npos) << text;
      EXPECT_NE(text, stored.credentials_sealed);
    }
    EXPECT_EQ(json.at("secret_key_masked").as_string(), stripe::MaskKey(key));
  }
}

TEST_F(ViewsTest, IntegrationJsonNamesTheModeAndKeyType) {
  checker_.Answer(test_util::AvailableCheck(test_util::kAccount, /*livemode=*/true));
  Saved live = AddIntegration("Live", test_util::kLiveKey);
  checker_.Answer(test_util::AvailableCheck(test_util::kAccount, /*livemode=*/false));
  Saved restricted = AddIntegration("Restricted", test_util::kRestrictedKey);

  boost::json::object live_json = IntegrationJson(live.integration);
  EXPECT_EQ(live_json.at("mode"), "live");
  EXPECT_EQ(live_json.at("key_type"), "secret");
  EXPECT_EQ(live_json.at("stripe_account").at("livemode"), true);
  EXPECT_EQ(live_json.at("status"), "active");

  boost::json::object restricted_json = IntegrationJson(restricted.integration);
  EXPECT_EQ(restricted_json.at("mode"), "test");
  EXPECT_EQ(restricted_json.at("key_type"), "restricted");
  EXPECT_EQ(restricted_json.at("client_id"), nullptr);
  EXPECT_EQ(restricted_json.at("health").at("state"), "ok");
}

TEST(ConnectionCheckJson, ShowsTheAccountWhenAvailableAndTheReasonOtherwise) {
  boost::json::object ok = ConnectionCheckJson(test_util::AvailableCheck());
  EXPECT_EQ(ok.at("available"), true);
  EXPECT_EQ(ok.at("account").at("id"), test_util::kAccount);
  EXPECT_FALSE(ok.contains("reason"));

  boost::json::object expired = ConnectionCheckJson(test_util::ExpiredKeyCheck());
  EXPECT_EQ(expired.at("available"), false);
  EXPECT_EQ(expired.at("reason"), "expired_credentials");
  EXPECT_EQ(expired.at("stripe_message"), "Expired API Key provided: sk_test_****1111");
  EXPECT_EQ(expired.at("request_id"), "req_fake");
  EXPECT_FALSE(expired.contains("account"));
}

}  // namespace
}  // namespace stripeline::integrations
