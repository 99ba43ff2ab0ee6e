#include "emulator/emulator.h"

#include <gtest/gtest.h>

#include <regex>

#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

using testing::EmulatorTest;
using testing::kExpired;
using testing::kLiveSecret;
using testing::kPublishable;
using testing::kRestricted;
using testing::kTestSecret;
using testing::MakeRequest;
using testing::Reply;
using testing::ToReply;

constexpr char kAuthHelp[] =
    "See https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/.";

// Exactly the fields Stripe sends for an authentication error: type and message only.
void ExpectBareError(const Reply& reply, int status, const std::string& message) {
  EXPECT_EQ(reply.status, status);
  EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
  EXPECT_EQ(reply.error_field("message"), message);
  EXPECT_EQ(reply.error_field("code"), "<absent>");
  EXPECT_EQ(reply.error_field("param"), "<absent>");
  EXPECT_EQ(reply.error_field("doc_url"), "<absent>");
}

TEST_F(EmulatorTest, NoAuthorizationHeaderIs401) {
  ExpectBareError(Get("/v1/customers", ""), 401,
                  "You did not provide an API key. You need to provide your API key in the "
                  "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                  "YOUR_SECRET_KEY'). " + std::string(kAuthHelp));
}

TEST_F(EmulatorTest, EmptyBearerIs401) {
  std::string message =
      "You did not provide an API key, though you did set your Authorization header to "
      "\"Bearer\". Using Bearer auth, your Authorization header should look something like "
      "'Authorization: Bearer YOUR_SECRET_KEY'. " + std::string(kAuthHelp);
  ExpectBareError(Get("/v1/customers", "", {{"Authorization", "Bearer"}}), 401, message);
  ExpectBareError(Get("/v1/customers", "", {{"Authorization", "Bearer "}}), 401, message);
}

TEST_F(EmulatorTest, UnknownKeyIsMaskedInThe401) {
  ExpectBareError(Get("/v1/customers", "sk_test_abcdefgh1234"), 401,
                  "Invalid API Key provided: sk_test_********1234");
  ExpectBareError(Get("/v1/customers", "rk_live_0123456789abcdefWXYZ"), 401,
                  "Invalid API Key provided: rk_live_****************WXYZ");
}

TEST_F(EmulatorTest, KeyWithASpaceIs401) {
  ExpectBareError(Get("/v1/customers", "sk_test_abc defgh1234"), 401,
                  "Invalid API Key provided: sk_test_*********1234. This key contains at least "
                  "one space. Please delete the spaces and try again. If you have any questions, "
                  "we can help at https://support.stripe.com/.");
}

TEST_F(EmulatorTest, ExpiredKeyIs401ApiKeyExpired) {
  Reply reply = Get("/v1/customers", kExpired);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
  EXPECT_EQ(reply.error_field("code"), "api_key_expired");
  EXPECT_EQ(reply.error_field("message"),
            "Expired API Key provided: sk_test_****************************0000");
  EXPECT_EQ(reply.error_field("doc_url"), "https://stripe.com/docs/error-codes/api-key-expired");
  EXPECT_EQ(reply.error_field("param"), "<absent>");
}

TEST_F(EmulatorTest, PublishableKeyIs401SecretKeyRequired) {
  Reply reply = Get("/v1/customers", kPublishable);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.error_field("code"), "secret_key_required");
  EXPECT_EQ(reply.error_field("message"),
            "This API call cannot be made with a publishable API key. Please use a secret API "
            "key. You can find a list of your API keys at "
            "https://dashboard.stripe.com/account/apikeys.");
}

TEST_F(EmulatorTest, RestrictedKeyLackingPermissionIs403NamingIt) {
  for (auto [path, permission] : {std::pair{"/v1/subscriptions", "rak_subscription_read"},
                                  std::pair{"/v1/payouts", "rak_payout_read"},
                                  std::pair{"/v1/payouts/po_whatever", "rak_payout_read"}}) {
    Reply reply = Get(path, kRestricted);
    EXPECT_EQ(reply.status, 403) << path;
    EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
    EXPECT_EQ(reply.error_field("code"), "<absent>");
    EXPECT_EQ(reply.error_field("message"),
              "The provided key 'rk_test_****************************0000' does not have the "
              "required permissions for this endpoint on account 'acct_emu_demo'. Having the '" +
                  std::string(permission) + "' permission would allow this request to continue.")
        << path;
    EXPECT_NE(reply.error_field("request_log_url"), "<absent>");
  }
}

TEST_F(EmulatorTest, RestrictedKeyReadsWhatItHolds) {
  for (const char* path : {"/v1/customers", "/v1/charges", "/v1/refunds", "/v1/balance",
                           "/v1/balance_transactions", "/v1/invoices", "/v1/credit_notes",
                           "/v1/prices", "/v1/products", "/v1/coupons", "/v1/disputes",
                           "/v1/payment_intents", "/v1/events"}) {
    EXPECT_EQ(Get(path, kRestricted).status, 200) << path;
  }
}

TEST_F(EmulatorTest, AccountEndpointIsClosedToRestrictedKeys) {
  Reply reply = Get("/v1/account", kRestricted);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.error_field("code"), "<absent>");
  EXPECT_EQ(reply.error_field("message"),
            "The provided key 'rk_test_****************************0000' does not have the "
            "required permissions for this endpoint on account 'acct_emu_demo'. This is a "
            "restricted API key, but the required permissions are not available for use by "
            "restricted keys.");
}

TEST_F(EmulatorTest, BasicAuthWithTheKeyAsUserIsAccepted) {
  // base64("sk_test_emu_demo_secret_0000000000000000:")
  Reply reply = Get("/v1/account", "",
                    {{"Authorization",
                      "Basic c2tfdGVzdF9lbXVfZGVtb19zZWNyZXRfMDAwMDAwMDAwMDAwMDAwMDo="}});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.object().at("id").as_string(), "acct_emu_demo");
}

TEST_F(EmulatorTest, AccountDescribesTheDemoAccount) {
  Reply reply = Get("/v1/account");
  ASSERT_EQ(reply.status, 200);
  const auto& account = reply.object();
  EXPECT_EQ(account.at("object").as_string(), "account");
  EXPECT_EQ(account.at("settings").at("dashboard").at("display_name").as_string(),
            "Emulator Demo Ltd");
  EXPECT_EQ(account.at("business_profile").at("name").as_string(), "Emulator Demo Ltd");
  EXPECT_EQ(account.at("country").as_string(), "GB");
  EXPECT_EQ(account.at("default_currency").as_string(), "gbp");
  EXPECT_EQ(account.at("type").as_string(), "standard");
  EXPECT_TRUE(account.at("charges_enabled").as_bool());
  EXPECT_TRUE(account.at("payouts_enabled").as_bool());
  EXPECT_FALSE(account.at("email").as_string().empty());
  EXPECT_FALSE(account.contains("livemode"));
}

TEST_F(EmulatorTest, EveryResponseCarriesRequestIdAndJson) {
  std::regex request_id("req_[A-Za-z0-9]{14,}");
  for (const Reply& reply : {Get("/v1/customers"), Get("/v1/customers", ""),
                             Get("/v1/nope"), Get("/v1/customers/cus_nope"),
                             Admin("GET", "/_emulator/requests/count")}) {
    auto id = reply.raw.Header("Request-Id");
    ASSERT_TRUE(id.has_value()) << reply.raw.body;
    EXPECT_TRUE(std::regex_match(*id, request_id)) << *id;
    EXPECT_EQ(reply.raw.Header("Content-Type").value_or(""), "application/json");
  }
  EXPECT_NE(Get("/v1/customers").raw.Header("Request-Id"),
            Get("/v1/customers").raw.Header("Request-Id"));
}

TEST_F(EmulatorTest, UnknownRouteIs404Unrecognized) {
  Reply reply = Get("/v1/foo");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
  EXPECT_EQ(reply.error_field("message"),
            "Unrecognized request URL (GET: /v1/foo). Please see https://stripe.com/docs or we "
            "can help at https://support.stripe.com/.");
  EXPECT_EQ(reply.error_field("code"), "<absent>");

  HttpRequest post = MakeRequest("POST", "/v1/customers",
                                 {{"Authorization", std::string("Bearer ") + kTestSecret}});
  Reply posted = ToReply(emulator_->Handle(post));
  EXPECT_EQ(posted.status, 404);
  EXPECT_EQ(posted.error_field("message"),
            "Unrecognized request URL (POST: /v1/customers). Please see https://stripe.com/docs "
            "or we can help at https://support.stripe.com/.");
}

TEST_F(EmulatorTest, RetrieveReturnsTheListedObject) {
  Reply list = Get("/v1/customers?limit=1");
  ASSERT_EQ(list.status, 200);
  std::string id(list.data().at(0).at("id").as_string());
  Reply one = Get("/v1/customers/" + id);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.body, list.data().at(0));
}

TEST_F(EmulatorTest, RetrieveUnknownIdIs404ResourceMissing) {
  Reply reply = Get("/v1/customers/cus_x");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
  EXPECT_EQ(reply.error_field("code"), "resource_missing");
  EXPECT_EQ(reply.error_field("message"), "No such customer: 'cus_x'");
  EXPECT_EQ(reply.error_field("param"), "id");
  EXPECT_EQ(reply.error_field("doc_url"), "https://stripe.com/docs/error-codes/resource-missing");
  EXPECT_TRUE(reply.error_field("request_log_url")
                  .starts_with("https://dashboard.stripe.com/test/logs/req_"));
}

TEST_F(EmulatorTest, LiveKeyOnATestObjectSaysSo) {
  std::string id(Get("/v1/customers?limit=1").data().at(0).at("id").as_string());
  Reply reply = Get("/v1/customers/" + id, kLiveSecret);
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.error_field("code"), "resource_missing");
  EXPECT_EQ(reply.error_field("message"),
            "No such customer: '" + id +
                "'; a similar object exists in test mode, but a live mode key was used to make "
                "this request.");
  std::string live_id(Get("/v1/charges?limit=1", kLiveSecret).data().at(0).at("id").as_string());
  EXPECT_EQ(Get("/v1/charges/" + live_id).error_field("message"),
            "No such charge: '" + live_id +
                "'; a similar object exists in live mode, but a test mode key was used to make "
                "this request.");
}

TEST_F(EmulatorTest, LivemodeFollowsTheKey) {
  for (const char* key : {kTestSecret, kLiveSecret}) {
    bool live = std::string(key).starts_with("sk_live_");
    Reply charges = Get("/v1/charges", key);
    ASSERT_EQ(charges.status, 200);
    for (const auto& c : charges.data()) EXPECT_EQ(c.at("livemode").as_bool(), live);
    EXPECT_EQ(Get("/v1/balance", key).object().at("livemode").as_bool(), live);
  }
}

TEST_F(EmulatorTest, StripeAccountReachesConnectedAccounts) {
  for (auto [account, name] : {std::pair{"acct_emu_connected_1", "Northwind Coffee"},
                               std::pair{"acct_emu_connected_2", "Bluebird Books"}}) {
    Reply reply = Get("/v1/account", kTestSecret, {{"Stripe-Account", account}});
    ASSERT_EQ(reply.status, 200) << reply.raw.body;
    EXPECT_EQ(reply.object().at("id").as_string(), account);
    EXPECT_EQ(reply.object().at("settings").at("dashboard").at("display_name").as_string(), name);
  }
  // A connected account has its own data.
  Reply platform = Get("/v1/customers");
  Reply connected = Get("/v1/customers", kTestSecret, {{"Stripe-Account", "acct_emu_connected_1"}});
  ASSERT_EQ(connected.status, 200);
  EXPECT_NE(platform.data().at(0).at("id"), connected.data().at(0).at("id"));
  // Events of a connected account name it.
  Reply events = Get("/v1/events?limit=1", kTestSecret, {{"Stripe-Account", "acct_emu_connected_1"}});
  EXPECT_EQ(events.data().at(0).at("account").as_string(), "acct_emu_connected_1");
  // Its own account id is accepted too.
  EXPECT_EQ(Get("/v1/account", kTestSecret, {{"Stripe-Account", "acct_emu_demo"}}).status, 200);
}

TEST_F(EmulatorTest, UnknownStripeAccountIs403AccountInvalid) {
  Reply reply = Get("/v1/customers", kTestSecret, {{"Stripe-Account", "acct_nope"}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
  EXPECT_EQ(reply.error_field("code"), "account_invalid");
  EXPECT_EQ(reply.error_field("message"),
            "The provided key 'sk_test_****************************0000' does not have access "
            "to account 'acct_nope' (or that account does not exist). Application access may "
            "have been revoked.");
  EXPECT_EQ(reply.error_field("doc_url"), "https://stripe.com/docs/error-codes/account-invalid");
}

TEST_F(EmulatorTest, DisconnectedAccountIsAccountInvalid) {
  Fields header{{"Stripe-Account", "acct_emu_connected_2"}};
  ASSERT_EQ(Get("/v1/charges", kTestSecret, header).status, 200);
  Reply done = Admin("POST", "/_emulator/accounts/acct_emu_connected_2/disconnect");
  ASSERT_EQ(done.status, 200) << done.raw.body;
  Reply reply = Get("/v1/charges", kTestSecret, header);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.error_field("code"), "account_invalid");
  EXPECT_NE(reply.error_field("message").find("'acct_emu_connected_2'"), std::string::npos);
  // The other connected account is unaffected; disconnecting a platform is refused.
  EXPECT_EQ(Get("/v1/charges", kTestSecret, {{"Stripe-Account", "acct_emu_connected_1"}}).status,
            200);
  EXPECT_EQ(Admin("POST", "/_emulator/accounts/acct_emu_demo/disconnect").status, 409);
  EXPECT_EQ(Admin("POST", "/_emulator/accounts/acct_nope/disconnect").status, 404);
}

TEST_F(EmulatorTest, RevokedKeyBecomesInvalid) {
  ASSERT_EQ(Get("/v1/customers", kLiveSecret).status, 200);
  Reply revoked = Admin("POST", "/_emulator/keys/revoke", std::string("key=") + kLiveSecret);
  ASSERT_EQ(revoked.status, 200) << revoked.raw.body;
  Reply reply = Get("/v1/customers", kLiveSecret);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.error_field("message"),
            "Invalid API Key provided: sk_live_****************************0000");
  EXPECT_EQ(reply.error_field("code"), "<absent>");
  EXPECT_EQ(Admin("POST", "/_emulator/keys/revoke", "key=sk_test_nope_nope_nope").status, 404);
}

TEST_F(EmulatorTest, RolledKeyExpiresAndTheNewOneWorks) {
  // A JSON body works as well as a form.
  HttpRequest roll = MakeRequest("POST", "/_emulator/keys/roll",
                                 {{"Content-Type", "application/json"}},
                                 std::string("{\"key\":\"") + kRestricted + "\"}");
  Reply rolled = ToReply(emulator_->Handle(roll));
  ASSERT_EQ(rolled.status, 200) << rolled.raw.body;
  std::string new_key(rolled.object().at("key").as_string());
  EXPECT_TRUE(new_key.starts_with("rk_test_"));
  EXPECT_NE(new_key, kRestricted);

  Reply old = Get("/v1/customers", kRestricted);
  EXPECT_EQ(old.status, 401);
  EXPECT_EQ(old.error_field("code"), "api_key_expired");
  EXPECT_TRUE(old.error_field("message").starts_with("Expired API Key provided: rk_test_*"));
  // Same account, mode and permissions.
  EXPECT_EQ(Get("/v1/customers", new_key).status, 200);
  EXPECT_EQ(Get("/v1/subscriptions", new_key).status, 403);
  EXPECT_EQ(Admin("POST", "/_emulator/keys/roll", std::string("key=") + kRestricted).status, 409);
}

TEST_F(EmulatorTest, CreatedKeysWork) {
  Reply secret = Admin("POST", "/_emulator/keys", "account=acct_emu_connected_1&livemode=true");
  ASSERT_EQ(secret.status, 200) << secret.raw.body;
  std::string key(secret.object().at("key").as_string());
  EXPECT_TRUE(key.starts_with("sk_live_"));
  Reply account = Get("/v1/account", key);
  ASSERT_EQ(account.status, 200);
  EXPECT_EQ(account.object().at("id").as_string(), "acct_emu_connected_1");
  EXPECT_TRUE(Get("/v1/charges", key).data().at(0).at("livemode").as_bool());

  Reply restricted = Admin("POST", "/_emulator/keys",
                           "account=acct_emu_demo&kind=restricted&permissions[]=rak_charge_read"
                           "&permissions[]=rak_customer_write");
  ASSERT_EQ(restricted.status, 200) << restricted.raw.body;
  std::string rk(restricted.object().at("key").as_string());
  EXPECT_TRUE(rk.starts_with("rk_test_"));
  EXPECT_EQ(Get("/v1/charges", rk).status, 200);
  EXPECT_EQ(Get("/v1/refunds", rk).status, 200);  // refunds need charge_read
  EXPECT_EQ(Get("/v1/customers", rk).status, 200);  // write implies read
  Reply denied = Get("/v1/invoices", rk);
  EXPECT_EQ(denied.status, 403);
  EXPECT_NE(denied.error_field("message").find("Having the 'rak_invoice_read' permission"),
            std::string::npos);

  EXPECT_EQ(Admin("POST", "/_emulator/keys", "account=acct_nope").status, 404);
  EXPECT_EQ(Admin("POST", "/_emulator/keys", "kind=secret").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/keys", "account=acct_emu_demo&kind=publishable").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/keys", "account=acct_emu_demo&permissions[]=rak_charge_read")
                .status,
            400);
}

TEST_F(EmulatorTest, FaultsAnswerTheNextRequestsThenStop) {
  Reply set = Admin("POST", "/_emulator/faults", "status=500&count=2&should_retry=true");
  ASSERT_EQ(set.status, 200) << set.raw.body;
  for (int i = 0; i < 2; ++i) {
    Reply reply = Get("/v1/customers");
    EXPECT_EQ(reply.status, 500);
    EXPECT_EQ(reply.error_field("type"), "api_error");
    EXPECT_EQ(reply.error_field("message"), "An unknown error occurred");
    EXPECT_EQ(reply.raw.Header("Stripe-Should-Retry").value_or(""), "true");
    EXPECT_TRUE(reply.raw.Header("Request-Id").has_value());
  }
  EXPECT_EQ(Get("/v1/customers").status, 200);

  ASSERT_EQ(Admin("POST", "/_emulator/faults", "status=503&should_retry=false").status, 200);
  Reply no_retry = Get("/v1/customers");
  EXPECT_EQ(no_retry.status, 503);
  EXPECT_EQ(no_retry.raw.Header("Stripe-Should-Retry").value_or(""), "false");
  EXPECT_EQ(Get("/v1/customers").status, 200);

  ASSERT_EQ(Admin("POST", "/_emulator/faults", "status=429").status, 200);
  Reply limited = Get("/v1/customers");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_field("type"), "invalid_request_error");
  EXPECT_EQ(limited.error_field("code"), "rate_limit");
  EXPECT_EQ(limited.error_field("message"), "Request rate limit exceeded");
  EXPECT_FALSE(limited.raw.Header("Stripe-Should-Retry").has_value());

  EXPECT_EQ(Admin("POST", "/_emulator/faults", "status=200").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/faults", "status=500&count=-1").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/faults", "status=500&should_retry=maybe").status, 400);
}

TEST_F(EmulatorTest, RequestCountCountsApiRequestsOnly) {
  auto count = [&] { return Admin("GET", "/_emulator/requests/count").object().at("count"); };
  EXPECT_EQ(count(), 0);
  Get("/v1/customers");
  Get("/v1/customers", "");  // refused requests count too
  Get("/v1/foo");
  EXPECT_EQ(count(), 3);
}

TEST_F(EmulatorTest, ResetRestoresTheInitialState) {
  Admin("POST", "/_emulator/keys/revoke", std::string("key=") + kTestSecret);
  Admin("POST", "/_emulator/keys/roll", std::string("key=") + kLiveSecret);
  Admin("POST", "/_emulator/accounts/acct_emu_connected_1/disconnect");
  Admin("POST", "/_emulator/faults", "status=500&count=5");
  Reply reset = Admin("POST", "/_emulator/reset");
  ASSERT_EQ(reset.status, 200);
  EXPECT_EQ(Admin("GET", "/_emulator/requests/count").object().at("count"), 0);
  EXPECT_EQ(Get("/v1/customers").status, 200);
  EXPECT_EQ(Get("/v1/customers", kLiveSecret).status, 200);
  EXPECT_EQ(Get("/v1/customers", kTestSecret, {{"Stripe-Account", "acct_emu_connected_1"}}).status,
            200);
}

TEST_F(EmulatorTest, UnknownAdminEndpointIs404) {
  EXPECT_EQ(Admin("GET", "/_emulator/nope").status, 404);
  EXPECT_EQ(Admin("GET", "/_emulator/reset").status, 404);
}

// One router serves the API, OAuth and admin paths; what none of its routes takes is answered
// in the error shape of the path's family, and only API paths count as API requests.
TEST_F(EmulatorTest, UnroutedRequestsAnswerInTheirFamilysShape) {
  Reply admin = Admin("DELETE", "/_emulator/stats");
  EXPECT_EQ(admin.status, 404);
  EXPECT_EQ(admin.error_field("message"), "no emulator endpoint DELETE /_emulator/stats");
  Reply oauth = ToReply(emulator_->Handle(MakeRequest("GET", "/oauth/token")));
  EXPECT_EQ(oauth.status, 404);
  EXPECT_EQ(oauth.raw.Header("Stripe-Version"), std::nullopt);
  Reply api = Get("/v1/account/extra");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.error_field("type"), "invalid_request_error");
  EXPECT_TRUE(api.raw.Header("Stripe-Version").has_value());
  // An unrouted API path is still authenticated first, as Stripe does.
  EXPECT_EQ(Get("/v1/foo", "sk_test_nope_nope_nope").status, 401);
  EXPECT_EQ(Admin("GET", "/_emulator/requests/count").object().at("count"), 2);
}

TEST_F(EmulatorTest, DemoKeysListTheBuiltInKeys) {
  std::vector<DemoKey> keys = emulator_->DemoKeys();
  ASSERT_GE(keys.size(), 5u);
  std::vector<std::string> names;
  for (const DemoKey& k : keys) {
    names.push_back(k.key);
    EXPECT_FALSE(k.description.empty());
  }
  for (const char* key : {kTestSecret, kLiveSecret, kRestricted, kExpired, kPublishable}) {
    EXPECT_NE(std::find(names.begin(), names.end(), key), names.end()) << key;
  }
  EXPECT_NE(keys[2].description.find("rak_subscription_read"), std::string::npos);
}

TEST_F(EmulatorTest, StripeVersionIsEchoed) {
  EXPECT_EQ(Get("/v1/customers", kTestSecret, {{"Stripe-Version", "2020-08-27"}})
                .raw.Header("Stripe-Version")
                .value_or(""),
            "2020-08-27");
}

}  // namespace
}  // namespace stripeline::emulator
