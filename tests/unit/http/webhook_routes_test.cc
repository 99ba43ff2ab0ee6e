// The webhook routes of http::Api: the intake over a real loopback HttpServer (the body reaches
// the verifier byte for byte), its error answers, and the signing-secret routes.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/http_server.h"
#include "http/api.h"
#include "stripe/curl_transport.h"
#include "stripe/webhook_signature.h"
#include "sync/webhook_intake.h"
#include "sync/webhook_store.h"
#include "unit/http/api_test_services.h"
#include "unit/http/http_test_util.h"
#include "unit/integrations/integrations_test_util.h"

namespace stripeline::http {
namespace {

using test_util::ErrorCodeOf;
using test_util::JsonOf;
using test_util::MakeRequest;

constexpr char kAdminEmail[] = "admin@example.com";
constexpr char kSecret[] = "whsec_routes_0123456789abcdefghijkl";

class WebhookRoutesTest : public test_util::IntegrationsTest {
 protected:
  void SetUp() override {
    IntegrationsTest::SetUp();
    services_ = std::make_unique<test_util::ApiTestServices>(
        *db_, *store_, box_, *users_, *integrations_, *clients_, stripe_, limiters_, clock_);
    intake_ = std::make_unique<sync::WebhookIntake>(*db_, *store_, *integrations_, box_,
                                                    services_->engine.event_applier(), clock_);
    api_ = std::make_unique<Api>(services_->Services(intake_.get()));
    admin_user_ = AddUser(kAdminEmail, store::Role::kAdmin);
    auto issued = users_->CreateToken(ActorOf(admin_user_), kAdminEmail, "tests");
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    token_ = issued->token;
    integration_id_ = AddIntegration("Hooks").integration.id;
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    const std::string& body = "") {
    return api_->Handle(
        MakeRequest(method, target, {{"Authorization", "Bearer " + token_}}, body));
  }
  std::string WebhookPath() const { return "/webhooks/stripe/" + integration_id_; }

  stripe::Client stripe_{{}, std::make_shared<test_util::UnusableTransport>()};
  stripe::RateLimiterRegistry limiters_;
  std::unique_ptr<test_util::ApiTestServices> services_;
  std::unique_ptr<sync::WebhookIntake> intake_;
  std::unique_ptr<Api> api_;
  store::User admin_user_;
  std::string token_, integration_id_;
};

TEST_F(WebhookRoutesTest, TheIntakeVerifiesTheBodyExactlyAsItCameOverHttp) {
  ASSERT_EQ(Call("POST", "/api/v1/integrations/" + integration_id_ + "/webhook-secret",
                 R"({"secret":")" + std::string(kSecret) + R"("})")
                .status,
            200);
  HttpServer server(HttpServerOptions{.listen = "127.0.0.1:0", .worker_threads = 2},
                    [this](const HttpRequest& request) { return api_->Handle(request); });
  ASSERT_TRUE(server.Start().ok());
  // Whitespace, escapes, non-ASCII and a trailing CRLF: any normalisation breaks the signature.
  const std::string body =
      "{\n  \"id\": \"evt_raw\",\t\"object\":\"event\", \"type\":\"customer.updated\","
      " \"created\": " + std::to_string(clock_.NowUnix()) +
      ", \"data\": {\"object\": {\"id\":\"cus_r\",\"object\":\"customer\","
      "\"name\":\"Zo\u00eb \\u00e9 \xf0\x9f\x98\x80\"}}}  \r\n";
  stripe::CurlTransport transport;
  stripe::TransportRequest request;
  request.method = "POST";
  request.url = server.base_url() + WebhookPath();
  request.body = body;
  request.headers = {{"Content-Type", "application/json"},
                     {"Stripe-Signature",
                      stripe::WebhookSignatureHeader(kSecret, clock_.NowUnix(), body)}};
  auto response = transport.Send(request);
  server.Stop();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->body, R"({"received":true})");
  auto stored = sync::WebhookStore(*db_).GetEvent(integration_id_, "evt_raw");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->payload, body);
}

TEST_F(WebhookRoutesTest, RejectionsAre400WithTheReasonAndUnknownEndpoints404) {
  ASSERT_TRUE(intake_->SetSecret(admin_, integration_id_, std::string(kSecret)).ok());
  const std::string body = R"({"id":"evt_1","type":"x.y","created":1})";
  HttpResponse unsigned_delivery = api_->Handle(MakeRequest("POST", WebhookPath(), {}, body));
  EXPECT_EQ(unsigned_delivery.status, 400);
  EXPECT_EQ(ErrorCodeOf(unsigned_delivery), stripe::kWebhookMissingSignature);
  HttpResponse stale = api_->Handle(MakeRequest(
      "POST", WebhookPath(),
      {{"Stripe-Signature", stripe::WebhookSignatureHeader(kSecret, clock_.NowUnix() - 1000, body)}},
      body));
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(ErrorCodeOf(stale), stripe::kWebhookTimestampOutsideTolerance);
  HttpResponse unknown = api_->Handle(MakeRequest(
      "POST", "/webhooks/stripe/int_nope",
      {{"Stripe-Signature", stripe::WebhookSignatureHeader(kSecret, clock_.NowUnix(), body)}},
      body));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCodeOf(unknown), "webhook_endpoint_not_found");
  EXPECT_EQ(sync::WebhookStore(*db_).CountEvents(integration_id_)->received, 0);
}

TEST_F(WebhookRoutesTest, AGeneratedSecretIsAnsweredOnceThenOnlyMasked) {
  const std::string base = "/api/v1/integrations/" + integration_id_;
  HttpResponse set = Call("POST", base + "/webhook-secret");
  ASSERT_EQ(set.status, 200) << set.body;
  boost::json::value answer = JsonOf(set);
  const std::string secret(answer.at("secret").as_string());
  EXPECT_EQ(answer.at("message"), "Webhook signing secret set");
  EXPECT_EQ(answer.at("webhook").at("url_path").as_string(), "/webhooks/stripe/" + integration_id_);
  EXPECT_EQ(answer.at("webhook").at("secret_masked").as_string(), stripe::MaskWebhookSecret(secret));

  HttpResponse shown = Call("GET", base + "/webhook");
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body.find(secret), std::string::npos);
  EXPECT_EQ(JsonOf(shown).at("webhook").at("events").at("received"), 0);

  HttpResponse rotated = Call("POST", base + "/webhook-secret",
                              R"({"secret":")" + std::string(kSecret) +
                                  R"(","overlap_seconds":60})");
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_FALSE(JsonOf(rotated).as_object().contains("secret"));
  EXPECT_EQ(JsonOf(rotated).at("webhook").at("previous_expires_at"), clock_.NowUnix() + 60);

  EXPECT_EQ(ErrorCodeOf(Call("POST", base + "/webhook-secret", R"({"secret":"whsec_x"})")),
            "invalid_webhook_secret");
  EXPECT_EQ(ErrorCodeOf(Call("POST", base + "/webhook-secret", R"({"overlap_seconds":"soon"})")),
            "invalid_field");
  EXPECT_EQ(Call("DELETE", base + "/webhook").status, 200);
  EXPECT_EQ(ErrorCodeOf(Call("GET", base + "/webhook")), "webhook_not_configured");
}

TEST_F(WebhookRoutesTest, AnEmptySecretIsRefusedAndChangesNothing) {
  const std::string base = "/api/v1/integrations/" + integration_id_;
  HttpResponse set = Call("POST", base + "/webhook-secret",
                          R"({"secret":")" + std::string(kSecret) + R"("})");
  ASSERT_EQ(set.status, 200) << set.body;
  const std::string masked(JsonOf(set).at("webhook").at("secret_masked").as_string());

  HttpResponse empty = Call("POST", base + "/webhook-secret", R"({"secret":""})");
  EXPECT_EQ(empty.status, 422) << empty.body;
  EXPECT_EQ(ErrorCodeOf(empty), "invalid_webhook_secret");
  EXPECT_FALSE(JsonOf(empty).as_object().contains("secret"));
  EXPECT_EQ(JsonOf(Call("GET", base + "/webhook")).at("webhook").at("secret_masked").as_string(),
            masked);
}

TEST_F(WebhookRoutesTest, WithoutAnIntakeTheRoutesAnswer503) {
  Api without(services_->Services());
  HttpResponse response = without.Handle(MakeRequest("POST", WebhookPath(), {}, "{}"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(ErrorCodeOf(response), "webhooks_disabled");
}

}  // namespace
}  // namespace stripeline::http
