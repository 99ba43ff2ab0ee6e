// Stripe webhooks end to end over real processes: a signing secret set through the API (or the
// CLI), the emulator's endpoint registered to `stripeline serve` with that secret, objects
// mutated through the emulator's admin API arriving in the synced tables; tampered, wrong-secret,
// stale, replayed and unsigned deliveries; rotation with an overlap window, then revocation; and
// no secret in any log line.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "common/http_message.h"
#include "integration/harness.h"
#include "store/sqlite/sqlite_database.h"
#include "stripe/webhook_signature.h"

namespace stripeline::testing {
namespace {

using boost::json::object;

constexpr char kPastedSecret[] = "whsec_integration_pasted_0123456789abcd";
constexpr char kRotatedSecret[] = "whsec_integration_rotated_0123456789abc";
constexpr char kWrongSecret[] = "whsec_integration_wrong_0123456789abcde";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Polls `condition` until it holds or `timeout` passes; true when it held.
bool WaitFor(const std::function<bool()>& condition,
             std::chrono::seconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

class Webhooks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  // Every secret a test handled must be absent from the server's log.
  void TearDown() override {
    const std::string log = stack_->ReadServerLog();
    ASSERT_FALSE(log.empty());
    for (const std::string& secret : secrets_seen_) {
      EXPECT_EQ(log.find(secret), std::string::npos) << "a webhook secret is in the server log";
    }
  }

  HttpClient& api() { return stack_->api(); }

  std::string AddIntegration(const std::string& name) {
    auto added = api().Post("/api/v1/integrations",
                            object{{"type", "stripe"},
                                   {"name", name},
                                   {"auth_scheme", "api_key"},
                                   {"secret_key", kSecretKey}});
    EXPECT_EQ(added.status, 201) << added.body;
    return std::string(added.json.at("integration").at("id").as_string());
  }

  HttpResult SetSecret(const std::string& id, object body) {
    return api().Post("/api/v1/integrations/" + id + "/webhook-secret", body);
  }

  // POSTs `payload` to the intake with the given Stripe-Signature (none when empty).
  HttpResult Deliver(const std::string& id, const std::string& payload,
                     const std::string& signature) {
    HttpClient anonymous = stack_->Anonymous();
    std::vector<std::pair<std::string, std::string>> headers{
        {"Content-Type", "application/json; charset=utf-8"}};
    if (!signature.empty()) headers.emplace_back("Stripe-Signature", signature);
    return anonymous.Send("POST", "/webhooks/stripe/" + id, payload, headers);
  }

  HttpResult DeliverSigned(const std::string& id, const std::string& payload,
                           const std::string& secret, int64_t t = Now()) {
    return Deliver(id, payload, stripe::WebhookSignatureHeader(secret, t, payload));
  }

  static std::string Event(const std::string& event_id, const std::string& customer_name) {
    object customer{{"id", "cus_webhook_test"}, {"object", "customer"}, {"name", customer_name},
                    {"created", Now() - 100},   {"livemode", false}};
    object event{{"id", event_id},       {"object", "event"}, {"type", "customer.updated"},
                 {"created", Now() - 50}, {"livemode", false},
                 {"data", object{{"object", customer}}}};
    return boost::json::serialize(event);
  }

  object WebhookConfig(const std::string& id) {
    auto shown = api().Get("/api/v1/integrations/" + id + "/webhook");
    EXPECT_EQ(shown.status, 200) << shown.body;
    return shown.json.is_object() ? shown.json.at("webhook").as_object() : object{};
  }

  int64_t Received(const std::string& id) {
    return WebhookConfig(id).at("events").at("received").as_int64();
  }

  static std::string ErrorCode(const HttpResult& result) {
    return result.json.is_object() && result.json.as_object().contains("error")
               ? std::string(result.json.at("error").at("code").as_string())
               : "<none>";
  }

  // The synced row of a customer, read from the service's database as a pipeline would.
  std::optional<std::pair<std::string, std::string>> CustomerRow(const std::string& customer_id) {
    auto db = store::sqlite::SqliteDatabase::Open((stack_->data_dir() / "stripeline.db").string());
    if (!db.ok()) return std::nullopt;
    auto rows = (*db)->Query(
        "SELECT name, COALESCE(last_event_id, '') FROM stripe_customers WHERE id = $1",
        {customer_id});
    if (!rows.ok() || rows->empty()) return std::nullopt;
    return std::make_pair((*rows)[0].GetString(0), (*rows)[0].GetString(1));
  }

  static Stack* stack_;
  std::vector<std::string> secrets_seen_{kPastedSecret, kRotatedSecret};
};

Stack* Webhooks::stack_ = nullptr;

TEST_F(Webhooks, EmulatorMutationsArriveInTheSyncedTablesThroughSignedDeliveries) {
  const std::string id = AddIntegration("Webhooks end to end");
  auto set = SetSecret(id, object{});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json.at("message"), "Webhook signing secret set");
  const std::string secret(set.json.at("secret").as_string());
  secrets_seen_.push_back(secret);
  EXPECT_TRUE(secret.starts_with("whsec_"));
  const object config = WebhookConfig(id);
  EXPECT_EQ(config.at("url_path").as_string(), "/webhooks/stripe/" + id);
  EXPECT_EQ(config.at("secret_masked").as_string(), stripe::MaskWebhookSecret(secret));
  EXPECT_EQ(api().Get("/api/v1/integrations/" + id + "/webhook").body.find(secret),
            std::string::npos)
      << "the secret is shown once only";

  // The emulator signs its deliveries with the secret Stripeline holds, as Stripe would after
  // it was pasted into the Dashboard.
  auto endpoint = stack_->emulator().Send(
      "POST", "/_emulator/webhook_endpoints",
      EncodeForm({{"url", stack_->server_url() + "/webhooks/stripe/" + id}, {"secret", secret}}),
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(endpoint.status, 200) << endpoint.body;
  EXPECT_EQ(endpoint.json.at("secret").as_string(), secret);

  auto created = stack_->emulator().Send("POST", "/_emulator/objects/customers",
                                         "name=Webhook+Person",
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string customer(created.json.at("id").as_string());
  ASSERT_TRUE(WaitFor([&] {
    auto row = CustomerRow(customer);
    return row && row->first == "Webhook Person";
  })) << "customer.created never reached stripe_customers";

  auto updated = stack_->emulator().Send("POST", "/_emulator/objects/customers/" + customer,
                                         "name=Renamed+By+Webhook",
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  ASSERT_TRUE(WaitFor([&] {
    auto row = CustomerRow(customer);
    return row && row->first == "Renamed By Webhook";
  })) << "customer.updated never reached stripe_customers";
  // It came by webhook: the row names the event, which the intake stored and applied.
  const std::string event_id = CustomerRow(customer)->second;
  EXPECT_TRUE(event_id.starts_with("evt_")) << event_id;
  ASSERT_TRUE(WaitFor([&] {
    object events = WebhookConfig(id).at("events").as_object();
    return events.at("applied").as_int64() >= 2 && events.at("pending").as_int64() == 0;
  }));
  EXPECT_EQ(WebhookConfig(id).at("events").at("failed"), 0);

  // Every emulator attempt was answered 2xx the first time.
  auto deliveries = stack_->emulator().Get("/_emulator/webhook_endpoints/" +
                                           std::string(endpoint.json.at("id").as_string()) +
                                           "/deliveries");
  for (const auto& attempt : deliveries.json.at("data").as_array()) {
    EXPECT_EQ(attempt.at("status"), 200) << boost::json::serialize(attempt);
  }
}

TEST_F(Webhooks, RejectedDeliveriesSayWhyAndStoreNothing) {
  const std::string id = AddIntegration("Webhooks rejections");
  ASSERT_EQ(SetSecret(id, object{{"secret", kPastedSecret}}).status, 200);
  const std::string payload = Event("evt_rejections_1", "Rejected");
  const std::string good = stripe::WebhookSignatureHeader(kPastedSecret, Now(), payload);

  auto tampered = Deliver(id, Event("evt_rejections_1", "Tampered"), good);
  EXPECT_EQ(tampered.status, 400) << tampered.body;
  EXPECT_EQ(ErrorCode(tampered), stripe::kWebhookSignatureMismatch);

  auto wrong = DeliverSigned(id, payload, kWrongSecret);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(ErrorCode(wrong), stripe::kWebhookSignatureMismatch);

  auto stale = DeliverSigned(id, payload, kPastedSecret, Now() - 600);
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(ErrorCode(stale), stripe::kWebhookTimestampOutsideTolerance);

  auto unsigned_delivery = Deliver(id, payload, "");
  EXPECT_EQ(unsigned_delivery.status, 400);
  EXPECT_EQ(ErrorCode(unsigned_delivery), stripe::kWebhookMissingSignature);

  auto garbled = Deliver(id, payload, "v1=deadbeef");
  EXPECT_EQ(ErrorCode(garbled), stripe::kWebhookUnparsableSignature);
  auto only_v0 = Deliver(id, payload, "t=" + std::to_string(Now()) + ",v0=deadbeef");
  EXPECT_EQ(ErrorCode(only_v0), stripe::kWebhookNoV1Signature);

  const std::string foreign =
      R"({"id":"evt_foreign","object":"event","type":"customer.updated","created":1,)"
      R"("account":"acct_somebody_else","data":{"object":{"id":"cus_x","object":"customer"}}})";
  auto other_account = DeliverSigned(id, foreign, kPastedSecret);
  EXPECT_EQ(other_account.status, 400);
  EXPECT_EQ(ErrorCode(other_account), "webhook_account_mismatch");

  EXPECT_EQ(Received(id), 0);

  auto unknown = DeliverSigned("int_does_not_exist", payload, kPastedSecret);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(ErrorCode(unknown), "webhook_endpoint_not_found");
}

TEST_F(Webhooks, ReplayedDeliveryIsAcknowledgedAndStoredOnce) {
  const std::string id = AddIntegration("Webhooks replay");
  ASSERT_EQ(SetSecret(id, object{{"secret", kPastedSecret}}).status, 200);
  const std::string payload = Event("evt_replay_1", "Replayed");
  const std::string header = stripe::WebhookSignatureHeader(kPastedSecret, Now(), payload);

  auto first = Deliver(id, payload, header);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json, (boost::json::value(object{{"received", true}})));
  // The very same request again (a replay within the tolerance, or Stripe's retry).
  auto again = Deliver(id, payload, header);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json.at("duplicate"), true);
  EXPECT_EQ(Received(id), 1);
  // Replayed later than the tolerance, the same signed request is refused.
  auto late = Deliver(id, payload, "t=" + std::to_string(Now() - 400) + ",v1=" +
                                       stripe::ComputeWebhookSignature(kPastedSecret, Now() - 400,
                                                                       payload));
  EXPECT_EQ(late.status, 400);
  EXPECT_EQ(ErrorCode(late), stripe::kWebhookTimestampOutsideTolerance);
  EXPECT_EQ(Received(id), 1);
}

TEST_F(Webhooks, RotationAcceptsBothSecretsDuringTheOverlapThenOnlyTheNewOne) {
  const std::string id = AddIntegration("Webhooks rotation");
  ASSERT_EQ(SetSecret(id, object{{"secret", kPastedSecret}}).status, 200);
  auto rotated = SetSecret(id, object{{"secret", kRotatedSecret}, {"overlap_seconds", 3600}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_EQ(rotated.json.at("message"), "Webhook signing secret rotated");
  EXPECT_FALSE(rotated.json.as_object().contains("secret")) << "a pasted secret is not echoed";
  const int64_t expires = rotated.json.at("webhook").at("previous_expires_at").as_int64();
  EXPECT_NEAR(static_cast<double>(expires), static_cast<double>(Now() + 3600), 60);
  EXPECT_EQ(rotated.body.find(kRotatedSecret), std::string::npos);
  EXPECT_EQ(rotated.body.find(kPastedSecret), std::string::npos);

  EXPECT_EQ(DeliverSigned(id, Event("evt_rot_old", "Old"), kPastedSecret).status, 200);
  EXPECT_EQ(DeliverSigned(id, Event("evt_rot_new", "New"), kRotatedSecret).status, 200);

  // Revoke the previous secret now (the CLI, secret piped on stdin, overlap 0).
  auto cli = RunCli(stack_->CliArgs({"integrations", "webhook-secret", "--id", id,
                                     "--overlap-seconds", "0"}),
                    std::string(kRotatedSecret) + "\n");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("Webhook signing secret rotated"), std::string::npos) << cli.out;
  EXPECT_EQ(cli.out.find(kRotatedSecret), std::string::npos) << "a piped secret is not printed";

  // The CLI is another process: the service picks the change up within its endpoint cache's
  // lifetime (1 s).
  int attempt = 0;
  HttpResult refused;
  EXPECT_TRUE(WaitFor(
      [&] {
        refused = DeliverSigned(id, Event("evt_rot_old_" + std::to_string(++attempt), "Old"),
                                kPastedSecret);
        return refused.status == 400;
      },
      std::chrono::seconds(10)));
  EXPECT_EQ(ErrorCode(refused), stripe::kWebhookSignatureMismatch);
  EXPECT_EQ(DeliverSigned(id, Event("evt_rot_new2", "New"), kRotatedSecret).status, 200);
  EXPECT_TRUE(WebhookConfig(id).at("previous_expires_at").is_null());
}

TEST_F(Webhooks, CliGeneratesASecretAndShowsItOnce) {
  const std::string id = AddIntegration("Webhooks CLI");
  auto cli = RunCli(stack_->CliArgs({"integrations", "webhook-secret", "--id", id, "--json"}));
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  boost::json::value out = boost::json::parse(cli.out);
  const std::string secret(out.at("secret").as_string());
  secrets_seen_.push_back(secret);
  // The API's answer to PUT .../webhook-secret (one --json rule: README, Commands).
  EXPECT_EQ(out.at("webhook").at("url_path").as_string(), "/webhooks/stripe/" + id);
  EXPECT_EQ(DeliverSigned(id, Event("evt_cli_1", "Cli"), secret).status, 200);
  EXPECT_EQ(WebhookConfig(id).at("secret_masked").as_string(), stripe::MaskWebhookSecret(secret));
}

TEST_F(Webhooks, RolesAndRemoval) {
  const std::string id = AddIntegration("Webhooks roles");
  ASSERT_EQ(SetSecret(id, object{{"secret", kPastedSecret}}).status, 200);
  HttpClient viewer = stack_->ClientFor("webhook-viewer@example.com", "viewer");
  EXPECT_EQ(viewer.Get("/api/v1/integrations/" + id + "/webhook").status, 200);
  EXPECT_EQ(viewer.Post("/api/v1/integrations/" + id + "/webhook-secret", object{}).status, 403);
  EXPECT_EQ(viewer.Delete("/api/v1/integrations/" + id + "/webhook").status, 403);

  auto audit = api().Get("/api/v1/integrations/" + id + "/audit");
  ASSERT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("webhook.secret_set"), std::string::npos);
  EXPECT_EQ(audit.body.find(kPastedSecret), std::string::npos);

  auto removed = api().Delete("/api/v1/integrations/" + id + "/webhook");
  ASSERT_EQ(removed.status, 200) << removed.body;
  auto refused = DeliverSigned(id, Event("evt_removed", "Gone"), kPastedSecret);
  EXPECT_EQ(refused.status, 404);
  EXPECT_EQ(ErrorCode(refused), "webhook_not_configured");
}

}  // namespace
}  // namespace stripeline::testing
