#include "stripe/permissions.h"

#include <gtest/gtest.h>

#include <memory>

#include "fake_transport.h"

namespace stripeline::stripe {
namespace {

using testing::FakeTransport;
using testing::Respond;
using testing::UrlPath;
using testing::UrlQuery;

std::string MissingPermissionBody(std::string_view rak) {
  return R"({"error":{"type":"invalid_request_error","message":"The provided key 'rk_test_***abcd' does not have the required permissions for this endpoint on account 'acct_1Abc'. Having the ')" +
         std::string(rak) + R"(' permission would allow this request to continue."}})";
}

constexpr char kClosedBody[] =
    R"({"error":{"type":"invalid_request_error","message":"The provided key 'rk_test_***abcd' does not have the required permissions for this endpoint on account 'acct_1Abc'. This is a restricted API key, but the required permissions are not available for use by restricted keys."}})";

TEST(ReadProbeTargets, CoversEveryResourceInOrder) {
  std::vector<std::pair<std::string, std::string>> expected = {
      {"balance", "rak_balance_read"},  {"customers", "rak_customer_read"},
      {"products", "rak_product_read"}, {"prices", "rak_plan_read"},
      {"coupons", "rak_coupon_read"},   {"subscriptions", "rak_subscription_read"},
      {"invoices", "rak_invoice_read"}, {"credit_notes", "rak_credit_note_read"},
      {"charges", "rak_charge_read"},   {"refunds", "rak_charge_read"},
      {"disputes", "rak_dispute_read"}, {"payment_intents", "rak_payment_intent_read"},
      {"payouts", "rak_payout_read"},   {"balance_transactions", "rak_balance_read"},
      {"events", "rak_event_read"},
  };
  const auto& targets = ReadProbeTargets();
  ASSERT_EQ(targets.size(), expected.size());
  for (size_t i = 0; i < targets.size(); ++i) {
    SCOPED_TRACE(targets[i].resource);
    EXPECT_EQ(targets[i].resource, expected[i].first);
    EXPECT_EQ(targets[i].permission, expected[i].second);
    EXPECT_EQ(targets[i].path, "/v1/" + expected[i].first);
    if (targets[i].resource == "balance") {
      EXPECT_TRUE(targets[i].params.empty());
    } else {
      ASSERT_FALSE(targets[i].params.empty());
      EXPECT_EQ(targets[i].params[0], (std::pair<std::string, std::string>{"limit", "1"}));
    }
    EXPECT_NE(PermissionLabel(targets[i].permission), targets[i].permission);
  }
  EXPECT_EQ(targets[5].params, (Params{{"limit", "1"}, {"status", "all"}}));
}

TEST(ParseMissingPermission, ExtractsRakName) {
  EXPECT_EQ(ParseMissingPermission("Having the 'rak_subscription_read' permission would allow "
                                   "this request to continue."),
            "rak_subscription_read");
  EXPECT_EQ(ParseMissingPermission(
                "The provided key 'rk_test_***abcd' does not have the required permissions for "
                "this endpoint on account 'acct_1'. Having the 'rak_charge_read' permission "
                "would allow this request to continue."),
            "rak_charge_read");
}

TEST(ParseMissingPermission, IgnoresOtherMessages) {
  EXPECT_EQ(ParseMissingPermission(""), std::nullopt);
  EXPECT_EQ(ParseMissingPermission("Invalid API Key provided: sk_test_********1234"), std::nullopt);
  EXPECT_EQ(ParseMissingPermission("Having the 'read_only' scope would allow this request to "
                                   "continue."),
            std::nullopt);
  EXPECT_EQ(ParseMissingPermission("Having the 'rak_charge_read"), std::nullopt);
  EXPECT_EQ(ParseMissingPermission("Having the 'rak_Bad Name' permission"), std::nullopt);
  EXPECT_FALSE(IsClosedToRestrictedKeys("Having the 'rak_charge_read' permission"));
  EXPECT_TRUE(IsClosedToRestrictedKeys(
      "This is a restricted API key, but the required permissions are not available for use "
      "by restricted keys."));
}

TEST(PermissionLabel, NamesPermissionsForPeople) {
  EXPECT_EQ(PermissionLabel("rak_subscription_read"), "Subscriptions: Read");
  EXPECT_EQ(PermissionLabel("rak_charge_read"), "Charges: Read");
  EXPECT_EQ(PermissionLabel("rak_plan_read"), "Prices: Read");
  EXPECT_EQ(PermissionLabel("rak_webhook_write"), "Webhook endpoints: Write");
  EXPECT_EQ(PermissionLabel("rak_unknown_thing"), "rak_unknown_thing");
}

class ProbeTest : public ::testing::Test {
 protected:
  ProbeTest() : transport_(std::make_shared<FakeTransport>()) {
    for (const ProbeTarget& target : ReadProbeTargets()) {
      transport_->Route("GET", target.path,
                        Respond(200, target.resource == "balance"
                                         ? R"({"object":"balance","available":[],"pending":[]})"
                                         : R"({"object":"list","data":[],"has_more":false})"));
    }
    opts_.api_key = "rk_test_51HqLyjWDarjtT1zdp7dcAbCd";
  }
  Client MakeClient() {
    ClientOptions options;
    options.api_base = "http://stripe.test";
    return Client(options, transport_, clock_, [] { return 0.0; });
  }

  FakeClock clock_;
  std::shared_ptr<FakeTransport> transport_;
  RequestOptions opts_;
};

TEST_F(ProbeTest, FullAccessGivesEmptyReport) {
  Client client = MakeClient();
  auto report = ProbeReadPermissions(client, opts_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->missing_permissions.empty());
  EXPECT_TRUE(report->unreadable_resources.empty());
  auto sent = transport_->requests();
  ASSERT_EQ(sent.size(), ReadProbeTargets().size());
  for (const auto& request : sent) {
    SCOPED_TRACE(request.url);
    EXPECT_EQ(request.method, "GET");
    if (UrlPath(request.url) == "/v1/balance") {
      EXPECT_EQ(UrlQuery(request.url), "");
    } else if (UrlPath(request.url) == "/v1/subscriptions") {
      EXPECT_EQ(UrlQuery(request.url), "limit=1&status=all");
    } else {
      EXPECT_EQ(UrlQuery(request.url), "limit=1");
    }
    EXPECT_EQ(testing::HeaderValue(request, "Authorization"), "Bearer " + opts_.api_key);
  }
}

TEST_F(ProbeTest, CollectsMissingPermissionsAndClosedEndpoints) {
  transport_->Route("GET", "/v1/subscriptions",
                    Respond(403, MissingPermissionBody("rak_subscription_read")));
  transport_->Route("GET", "/v1/charges", Respond(403, MissingPermissionBody("rak_charge_read")));
  transport_->Route("GET", "/v1/refunds", Respond(403, MissingPermissionBody("rak_charge_read")));
  transport_->Route("GET", "/v1/events", Respond(403, kClosedBody));
  Client client = MakeClient();
  auto report = ProbeReadPermissions(client, opts_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->missing_permissions,
            (std::vector<std::string>{"rak_subscription_read", "rak_charge_read"}));
  EXPECT_EQ(report->unreadable_resources,
            (std::vector<std::string>{"subscriptions", "charges", "refunds", "events"}));
  // 403s are not retried.
  EXPECT_EQ(transport_->request_count(), ReadProbeTargets().size());
}

TEST_F(ProbeTest, InvalidKeyIsTheError) {
  for (const ProbeTarget& target : ReadProbeTargets()) {
    transport_->Route(
        "GET", target.path,
        Respond(
            401,
            R"({"error":{"type":"invalid_request_error","message":"Invalid API Key provided: rk_test_********AbCd"}})",
            {}, "req_" + target.resource));
  }
  Client client = MakeClient();
  auto report = ProbeReadPermissions(client, opts_);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().kind, ErrorKind::kAuthentication);
  EXPECT_EQ(report.error().request_id, "req_balance");  // first in target order
  EXPECT_EQ(report.status().code(), StatusCode::kUnauthenticated);
}

TEST_F(ProbeTest, NonPermissionErrorWinsOverMissingPermissions) {
  transport_->Route("GET", "/v1/customers",
                    Respond(403, MissingPermissionBody("rak_customer_read")));
  transport_->Route(
      "GET", "/v1/invoices",
      Respond(
          403,
          R"({"error":{"type":"invalid_request_error","code":"account_invalid","message":"The provided key 'sk_test_***abcd' does not have access to account 'acct_1Xyz' (or that account does not exist). Application access may have been revoked."}})"));
  Client client = MakeClient();
  opts_.stripe_account = "acct_1Xyz";
  auto report = ProbeReadPermissions(client, opts_);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, "account_invalid");
  EXPECT_EQ(report.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ProbeTest, NotFoundEndpointIsTheError) {
  transport_->Route(
      "GET", "/v1/credit_notes",
      Respond(
          404,
          R"({"error":{"type":"invalid_request_error","message":"Unrecognized request URL (GET: /v1/credit_notes)."}})"));
  Client client = MakeClient();
  auto report = ProbeReadPermissions(client, opts_);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().http_status, 404);
}

}  // namespace
}  // namespace stripeline::stripe
