// The External Integrations flows over real HTTP: the service and the emulator run as processes.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

using boost::json::object;
using boost::json::value;

class IntegrationsApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  HttpClient& api() { return stack_->api(); }

  static object NewIntegration(const std::string& name, const std::string& key) {
    return {{"type", "stripe"}, {"name", name},        {"auth_scheme", "api_key"},
            {"secret_key", key}, {"active", true},     {"client_id", nullptr},
            {"account_id", nullptr}};
  }

  int64_t EmulatorRequests() {
    auto count = stack_->emulator().Get("/_emulator/requests/count");
    return count.json.at("count").as_int64();
  }

  // A fresh secret key of the demo account, so revoking it affects this test only.
  std::string NewEmulatorKey(const std::string& kind = "secret") {
    auto created = stack_->emulator().Send(
        "POST", "/_emulator/keys",
        "account=acct_emu_demo&kind=" + kind + "&livemode=false",
        {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(created.status, 200) << created.body;
    return std::string(created.json.at("key").as_string());
  }

  std::string Add(const std::string& name, const std::string& key) {
    auto added = api().Post("/api/v1/integrations", NewIntegration(name, key));
    EXPECT_EQ(added.status, 201) << added.body;
    return std::string(added.json.at("integration").at("id").as_string());
  }

  bool Listed(const std::string& name) {
    auto list = api().Get("/api/v1/integrations");
    for (const auto& item : list.json.at("data").as_array()) {
      if (item.at("name") == value(name)) return true;
    }
    return false;
  }

  static Stack* stack_;
};

Stack* IntegrationsApi::stack_ = nullptr;

TEST_F(IntegrationsApi, CatalogListsStripeWithApiKeyScheme) {
  auto types = api().Get("/api/v1/integration-types");
  ASSERT_EQ(types.status, 200);
  const auto& stripe = types.json.at("data").as_array().at(0);
  EXPECT_EQ(stripe.at("id"), "stripe");
  EXPECT_EQ(stripe.at("auth_schemes").as_array().at(0).at("id"), "api_key");
}

TEST_F(IntegrationsApi, AddsSecretKeyAndNeverReturnsIt) {
  auto added = api().Post("/api/v1/integrations", NewIntegration("Main account", kSecretKey));
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json.at("message"), "Integration added");
  const auto& integration = added.json.at("integration");
  EXPECT_EQ(integration.at("secret_key_masked"), "sk_test_...0000");
  EXPECT_EQ(integration.at("stripe_account").at("id"), "acct_emu_demo");
  EXPECT_EQ(integration.at("stripe_account").at("name"), "Emulator Demo Ltd");
  EXPECT_EQ(integration.at("mode"), "test");
  EXPECT_EQ(integration.at("active"), true);
  EXPECT_EQ(integration.at("health").at("state"), "ok");
  EXPECT_EQ(added.body.find(kSecretKey), std::string::npos);

  auto shown = api().Get("/api/v1/integrations/" + std::string(integration.at("id").as_string()));
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.find(kSecretKey), std::string::npos);
  EXPECT_EQ(shown.json.at("integration").at("name"), "Main account");
}

TEST_F(IntegrationsApi, LiveKeyIsLiveMode) {
  auto added = api().Post("/api/v1/integrations", NewIntegration("Live", kLiveKey));
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json.at("integration").at("mode"), "live");
  EXPECT_EQ(added.json.at("integration").at("secret_key_masked"), "sk_live_...0000");
}

TEST_F(IntegrationsApi, UnknownKeyIsRefusedWithStripesReasonAndNothingStored) {
  auto added = api().Post("/api/v1/integrations",
                          NewIntegration("Bogus", "sk_test_doesnotexist00000000000000001234"));
  ASSERT_EQ(added.status, 422) << added.body;
  EXPECT_EQ(added.json.at("error").at("code"), "invalid_secret_key");
  std::string message(added.json.at("error").at("message").as_string());
  EXPECT_TRUE(message.starts_with("The secret key is invalid: Invalid API Key provided: sk_test_"))
      << message;
  EXPECT_NE(message.find("1234"), std::string::npos);
  EXPECT_EQ(message.find("doesnotexist"), std::string::npos) << "the key must come back masked";
  EXPECT_FALSE(Listed("Bogus"));
}

TEST_F(IntegrationsApi, PublishableKeyIsRefusedWithoutCallingStripe) {
  int64_t before = EmulatorRequests();
  auto added = api().Post("/api/v1/integrations", NewIntegration("Publishable", kPublishableKey));
  ASSERT_EQ(added.status, 422) << added.body;
  EXPECT_EQ(added.json.at("error").at("code"), "invalid_secret_key");
  EXPECT_NE(std::string(added.json.at("error").at("message").as_string()).find("publishable"),
            std::string::npos);
  EXPECT_EQ(EmulatorRequests(), before);
  EXPECT_FALSE(Listed("Publishable"));
}

TEST_F(IntegrationsApi, MalformedKeysAreRefusedBeforeAnyNetworkCall) {
  int64_t before = EmulatorRequests();
  for (std::string key : {std::string(" ") + kSecretKey, std::string("sk_test_short"),
                          std::string("whsec_abcdefabcdefabcdefabcdefabcdef"),
                          std::string("hello")}) {
    auto added = api().Post("/api/v1/integrations", NewIntegration("Malformed", key));
    EXPECT_EQ(added.status, 422) << key << ": " << added.body;
    EXPECT_EQ(added.json.at("error").at("code"), "invalid_secret_key") << key;
  }
  EXPECT_EQ(EmulatorRequests(), before);
  EXPECT_FALSE(Listed("Malformed"));
}

TEST_F(IntegrationsApi, ExpiredKeyIsRefused) {
  auto added = api().Post("/api/v1/integrations", NewIntegration("Expired", kExpiredKey));
  ASSERT_EQ(added.status, 422) << added.body;
  EXPECT_NE(std::string(added.json.at("error").at("message").as_string())
                .find("Expired API Key provided"),
            std::string::npos);
  EXPECT_FALSE(Listed("Expired"));
}

TEST_F(IntegrationsApi, RestrictedKeyIsSavedWithItsMissingPermissionsNamed) {
  auto added = api().Post("/api/v1/integrations", NewIntegration("Read only", kRestrictedKey));
  ASSERT_EQ(added.status, 201) << added.body;
  const auto& integration = added.json.at("integration");
  EXPECT_EQ(integration.at("key_type"), "restricted");
  EXPECT_EQ(integration.at("health").at("state"), "missing_permissions");
  boost::json::array expected{"rak_subscription_read", "rak_payout_read"};
  auto missing = integration.at("missing_permissions").as_array();
  std::sort(missing.begin(), missing.end(),
            [](const value& a, const value& b) { return a.as_string() < b.as_string(); });
  std::sort(expected.begin(), expected.end(),
            [](const value& a, const value& b) { return a.as_string() < b.as_string(); });
  EXPECT_EQ(missing, expected);
  EXPECT_EQ(added.json.at("warnings").as_array().size(), 1u);
}

TEST_F(IntegrationsApi, TestBeforeSavingReportsAvailabilityAndStoresNothing) {
  auto ok = api().Post("/api/v1/integrations/test", object{{"secret_key", kSecretKey}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json.at("available"), true);
  EXPECT_EQ(ok.json.at("message"), "Connection available");
  EXPECT_EQ(ok.json.at("account").at("id"), "acct_emu_demo");
  EXPECT_EQ(ok.json.at("account").at("livemode"), false);

  auto restricted = api().Post("/api/v1/integrations/test", object{{"secret_key", kRestrictedKey}});
  ASSERT_EQ(restricted.status, 200);
  EXPECT_EQ(restricted.json.at("available"), false);
  EXPECT_EQ(restricted.json.at("reason"), "missing_permissions");
  EXPECT_EQ(restricted.json.at("missing_permissions").as_array().size(), 2u);
  EXPECT_TRUE(std::string(restricted.json.at("message").as_string())
                  .starts_with("Connection unavailable: "));

  auto expired = api().Post("/api/v1/integrations/test", object{{"secret_key", kExpiredKey}});
  EXPECT_EQ(expired.json.at("reason"), "expired_credentials");
  auto unknown = api().Post("/api/v1/integrations/test",
                            object{{"secret_key", "sk_test_unknownunknownunknownunknown0000"}});
  EXPECT_EQ(unknown.json.at("reason"), "invalid_credentials");
}

TEST_F(IntegrationsApi, RevokedKeyTurnsNeedsReconnectAndANewKeyRestoresIt) {
  std::string key = NewEmulatorKey();
  std::string id = Add("Revocable", key);

  auto revoked = stack_->emulator().Send("POST", "/_emulator/keys/revoke", "key=" + key,
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body;

  auto tested = api().Post("/api/v1/integrations/" + id + "/test");
  ASSERT_EQ(tested.status, 200) << tested.body;
  EXPECT_EQ(tested.json.at("available"), false);
  EXPECT_EQ(tested.json.at("reason"), "invalid_credentials");
  const auto& health = tested.json.at("integration").at("health");
  EXPECT_EQ(health.at("state"), "needs_reconnect");
  EXPECT_NE(std::string(health.at("reason").as_string()).find("Invalid API Key provided"),
            std::string::npos);

  std::string replacement = NewEmulatorKey();
  auto reconnected = api().Patch("/api/v1/integrations/" + id, object{{"secret_key", replacement}});
  ASSERT_EQ(reconnected.status, 200) << reconnected.body;
  EXPECT_EQ(reconnected.json.at("message"), "Integration updated");
  EXPECT_EQ(reconnected.json.at("integration").at("health").at("state"), "ok");
  EXPECT_EQ(reconnected.json.at("integration").at("secret_key_masked"),
            value("sk_test_..." + replacement.substr(replacement.size() - 4)));

  auto audit = api().Get("/api/v1/integrations/" + id + "/audit");
  bool saw_health_change = false;
  for (const auto& entry : audit.json.at("data").as_array()) {
    if (entry.at("action") == "integration.health_changed") saw_health_change = true;
  }
  EXPECT_TRUE(saw_health_change) << audit.body;
}

TEST_F(IntegrationsApi, RolledKeyIsReportedAsExpired) {
  std::string key = NewEmulatorKey();
  std::string id = Add("Rolled", key);
  auto rolled = stack_->emulator().Send("POST", "/_emulator/keys/roll", "key=" + key,
                                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(rolled.status, 200) << rolled.body;
  auto tested = api().Post("/api/v1/integrations/" + id + "/test");
  EXPECT_EQ(tested.json.at("reason"), "expired_credentials");
  EXPECT_EQ(tested.json.at("integration").at("health").at("state"), "needs_reconnect");
}

TEST_F(IntegrationsApi, EditRenamesAndRevalidatesANewKey) {
  std::string id = Add("Before", kSecretKey);
  auto renamed = api().Patch("/api/v1/integrations/" + id, object{{"name", "After"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json.at("integration").at("name"), "After");

  auto bad = api().Patch("/api/v1/integrations/" + id, object{{"secret_key", kExpiredKey}});
  EXPECT_EQ(bad.status, 422);
  auto shown = api().Get("/api/v1/integrations/" + id);
  EXPECT_EQ(shown.json.at("integration").at("secret_key_masked"), "sk_test_...0000")
      << "a refused key must not replace the saved one";
}

TEST_F(IntegrationsApi, ActivateDeactivateAndInactiveIsNeverCalled) {
  std::string id = Add("Switchable", kSecretKey);
  auto off = api().Post("/api/v1/integrations/" + id + "/deactivate");
  ASSERT_EQ(off.status, 200);
  EXPECT_EQ(off.json.at("message"), "Integration deactivated");
  EXPECT_EQ(off.json.at("integration").at("active"), false);

  int64_t before = EmulatorRequests();
  auto test = api().Post("/api/v1/integrations/" + id + "/test");
  EXPECT_EQ(test.status, 409);
  EXPECT_EQ(test.json.at("error").at("code"), "integration_inactive");
  EXPECT_EQ(EmulatorRequests(), before);

  auto on = api().Post("/api/v1/integrations/" + id + "/activate");
  EXPECT_EQ(on.json.at("message"), "Integration activated");
  EXPECT_EQ(on.json.at("integration").at("active"), true);
}

TEST_F(IntegrationsApi, DeleteRemovesAndAuditsIt) {
  std::string id = Add("Doomed", kSecretKey);
  auto deleted = api().Delete("/api/v1/integrations/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(deleted.json.at("message"), "Integration deleted");
  EXPECT_EQ(api().Get("/api/v1/integrations/" + id).status, 404);
  auto audit = api().Get("/api/v1/audit");
  bool found = false;
  for (const auto& entry : audit.json.at("data").as_array()) {
    if (entry.at("action") == "integration.deleted" && entry.at("integration_id") == value(id)) {
      found = true;
      EXPECT_EQ(entry.at("actor"), "admin@localhost");
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(IntegrationsApi, TransientStripeErrorsAreRetried) {
  auto fault = stack_->emulator().Send("POST", "/_emulator/faults", "status=500&count=1",
                                       {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(fault.status, 200);
  auto added = api().Post("/api/v1/integrations", NewIntegration("After a 500", kSecretKey));
  EXPECT_EQ(added.status, 201) << added.body;
}

TEST_F(IntegrationsApi, AccountIdActsForAConnectedAccountAndUnknownOnesAreRefused) {
  auto connected = NewIntegration("Connected", kSecretKey);
  connected["account_id"] = "acct_emu_connected_1";
  auto added = api().Post("/api/v1/integrations", connected);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json.at("integration").at("stripe_account").at("id"), "acct_emu_connected_1");
  EXPECT_EQ(added.json.at("integration").at("stripe_account").at("name"), "Northwind Coffee");

  auto unknown = NewIntegration("Unknown account", kSecretKey);
  unknown["account_id"] = "acct_nobody";
  auto refused = api().Post("/api/v1/integrations", unknown);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(std::string(refused.json.at("error").at("message").as_string()).find("acct_nobody"),
            std::string::npos);
}

TEST_F(IntegrationsApi, BadRequestsGetClearErrors) {
  auto not_json = api().Send("POST", "/api/v1/integrations", "{not json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.json.at("error").at("code"), "invalid_json");
  auto no_name = api().Post("/api/v1/integrations", object{{"secret_key", kSecretKey}});
  EXPECT_EQ(no_name.status, 422);
  EXPECT_EQ(no_name.json.at("error").at("code"), "missing_field");
  auto unknown = api().Get("/api/v1/integrations/int_missing");
  EXPECT_EQ(unknown.status, 404);
  auto huge = api().Send("POST", "/api/v1/integrations", std::string(2 << 20, 'x'));
  EXPECT_EQ(huge.status, 413);
}

TEST_F(IntegrationsApi, HealthAndReadiness) {
  auto client = stack_->Anonymous();
  EXPECT_EQ(client.Get("/healthz").status, 200);
  auto ready = client.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json.at("status"), "ready");
}

TEST_F(IntegrationsApi, NoSecretInResponsesAuditOrLog) {
  std::string key = NewEmulatorKey();
  std::string id = Add("Secretive", key);
  api().Post("/api/v1/integrations/" + id + "/test");
  api().Patch("/api/v1/integrations/" + id, object{{"name", "Secretive 2"}});
  std::vector<std::string> bodies = {api().Get("/api/v1/integrations").body,
                                     api().Get("/api/v1/integrations/" + id).body,
                                     api().Get("/api/v1/integrations/" + id + "/audit").body,
                                     api().Get("/api/v1/audit").body};
  std::string log = stack_->ReadServerLog();
  ASSERT_FALSE(log.empty());
  for (const std::string& secret : {key, std::string(kSecretKey), std::string(kRestrictedKey),
                                    std::string(Stack::kAdminPassword)}) {
    for (const auto& body : bodies) EXPECT_EQ(body.find(secret), std::string::npos) << secret;
    EXPECT_EQ(log.find(secret), std::string::npos) << "log line holds " << secret;
  }
  // Encrypted at rest: the key's bytes appear in no database file.
  for (const char* file : {"stripeline.db", "stripeline.db-wal"}) {
    std::ifstream in(stack_->data_dir() / file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(key), std::string::npos) << file;
  }
}

}  // namespace
}  // namespace stripeline::testing
