// WebhookIntake over a real SQLite store in a temp dir, the real StoreEventApplier and a
// FakeClock: secrets and rotation, verification (nothing stored on any rejection), durable
// storage before the acknowledgement, duplicates, ordering, crash recovery, inactive
// integrations, group commit under concurrency.
#include "sync/webhook_intake.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "store/open_database.h"
#include "store/sqlite/sqlite_database.h"
#include "store/store.h"
#include "stripe/curl_transport.h"
#include "stripe/webhook_signature.h"
#include "integrations/credentials.h"
#include "sync/event_applier_impl.h"
#include "sync/readiness.h"
#include "unit/common/temp_dir.h"
#include "unit/sync/fault_injection_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::sync {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1'800'000'000;
constexpr char kIntegration[] = "int_webhooks";
constexpr char kAccount[] = "acct_hooks";
constexpr char kPasted[] = "whsec_pasted_0123456789abcdefghij";
constexpr char kPastedNext[] = "whsec_pasted_next_0123456789abcdefgh";

const access::Actor kAdmin{.user_id = "usr_admin", .email = "admin@example.com",
                           .role = store::Role::kAdmin};
const access::Actor kViewer{.user_id = "usr_viewer", .email = "viewer@example.com",
                            .role = store::Role::kViewer};

// A customer.updated event naming the customer `name` at `created`.
std::string CustomerEvent(const std::string& event_id, int64_t created, const std::string& name,
                          std::optional<std::string> account = std::nullopt,
                          bool livemode = false) {
  json::object customer{{"id", "cus_1"}, {"object", "customer"}, {"name", name},
                        {"created", 1'700'000'000}, {"livemode", livemode}};
  json::object event{{"id", event_id},
                     {"object", "event"},
                     {"type", "customer.updated"},
                     {"created", created},
                     {"livemode", livemode},
                     {"data", {{"object", customer}}}};
  if (account) event["account"] = *account;
  return json::serialize(event);
}

class WebhookIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = (dir_.path() / "stripeline.db").string();
    auto db = store::OpenDatabase("sqlite:" + db_path_, test_util::TestSchemas());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    store_ = std::make_unique<store::Store>(*db_);
    client_ = std::make_unique<stripe::Client>(stripe::ClientOptions{},
                                               std::make_shared<stripe::CurlTransport>());
    checker_ = std::make_unique<integrations::ConnectionChecker>(*client_, limiters_);
    integrations_ =
        std::make_unique<integrations::IntegrationService>(*store_, box_, *checker_, clock_);
    applier_ = std::make_unique<StoreEventApplier>(*db_, *store_, *integrations_, clock_);
    ASSERT_TRUE(store_->CreateIntegration(IntegrationRow(kIntegration)).ok());
    MakeIntake();
  }

  void TearDown() override { intake_.reset(); }

  static store::Integration IntegrationRow(const std::string& id) {
    return store::Integration{.id = id,
                              .name = "Hooks " + id,
                              .auth_scheme = "api_key",
                              .credentials_sealed = "unused",
                              .secret_key_masked = "sk_test_...0000",
                              .stripe_account_id = kAccount,
                              .stripe_account_name = "Hooks Ltd",
                              .created_at = kNow,
                              .updated_at = kNow};
  }

  void MakeIntake(WebhookIntakeOptions options = {}) {
    intake_.reset();
    intake_ = std::make_unique<WebhookIntake>(*db_, *store_, *integrations_, box_, *applier_,
                                              clock_, options);
  }

  void SetSecret(const std::string& secret,
                 std::optional<std::chrono::seconds> overlap = std::nullopt) {
    auto change = intake_->SetSecret(kAdmin, kIntegration, secret, overlap);
    ASSERT_TRUE(change.ok()) << change.status().ToString();
  }

  Result<Receipt> Deliver(const std::string& payload, const std::string& secret = kPasted,
                          std::optional<int64_t> signed_at = std::nullopt,
                          const std::string& integration = kIntegration) {
    std::string header =
        stripe::WebhookSignatureHeader(secret, signed_at.value_or(clock_.NowUnix()), payload);
    return intake_->Receive(integration, payload, header);
  }

  int64_t StoredEvents() {
    auto rows = db_->Query("SELECT COUNT(*) FROM webhook_events", {});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].GetInt(0) : -1;
  }

  std::string CustomerName() {
    auto rows = db_->Query(
        "SELECT name FROM stripe_customers WHERE account_id = $1 AND id = 'cus_1'",
        {std::string(kAccount)});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty() ? (*rows)[0].GetString(0) : "<none>";
  }

  std::string EventState(const std::string& event_id) {
    auto event = WebhookStore(*db_).GetEvent(kIntegration, event_id);
    return event.ok() ? std::string(Name(event->state)) : "<none>";
  }

  void SetActive(bool active) {
    auto integration = store_->GetIntegration(kIntegration);
    ASSERT_TRUE(integration.ok());
    integration->active = active;
    ASSERT_TRUE(store_->UpdateIntegration(*integration).ok());
  }

  test_util::TempDir dir_;
  std::string db_path_;
  FakeClock clock_{kNow};
  SecretBox box_{std::string(kMasterKeyBytes, 'k')};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<stripe::Client> client_;
  stripe::RateLimiterRegistry limiters_{{}, clock_};
  std::unique_ptr<integrations::ConnectionChecker> checker_;
  std::unique_ptr<integrations::IntegrationService> integrations_;
  std::unique_ptr<StoreEventApplier> applier_;
  std::unique_ptr<WebhookIntake> intake_;
};

// ---- Secrets ----

TEST_F(WebhookIntakeTest, PastedSecretIsStoredSealedAndShownMasked) {
  auto change = intake_->SetSecret(kAdmin, kIntegration, std::string(kPasted));
  ASSERT_TRUE(change.ok()) << change.status().ToString();
  EXPECT_EQ(change->message, "Webhook signing secret set");
  EXPECT_FALSE(change->generated_secret);
  EXPECT_EQ(change->webhook.url_path, "/webhooks/stripe/int_webhooks");
  EXPECT_EQ(change->webhook.secret_masked, "whsec_...ghij");
  EXPECT_FALSE(dir_.AnyFileContains(kPasted));  // only sealed on disk

  auto sealed = WebhookStore(*db_).GetSecrets(kIntegration);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(box_.Open(sealed->secret_sealed, kIntegration).ok());
  EXPECT_FALSE(box_.Open(sealed->secret_sealed, "int_other").ok());  // bound to its integration

  auto audit = store_->ListAudit(std::string(kIntegration), 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].action, "webhook.secret_set");
  EXPECT_EQ((*audit)[0].summary.find(kPasted), std::string::npos);
}

TEST_F(WebhookIntakeTest, GeneratedSecretIsReturnedOnceAndWorks) {
  auto change = intake_->SetSecret(kAdmin, kIntegration, std::nullopt);
  ASSERT_TRUE(change.ok()) << change.status().ToString();
  ASSERT_TRUE(change->generated_secret);
  const std::string secret = *change->generated_secret;
  EXPECT_TRUE(stripe::ValidateWebhookSecret(secret).ok());
  EXPECT_EQ(change->webhook.secret_masked, stripe::MaskWebhookSecret(secret));
  EXPECT_FALSE(dir_.AnyFileContains(secret));

  auto config = intake_->Config(kViewer, kIntegration);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->secret_masked, stripe::MaskWebhookSecret(secret));
  EXPECT_TRUE(Deliver(CustomerEvent("evt_1", kNow, "A"), secret).ok());
}

TEST_F(WebhookIntakeTest, OnlyAdminsChangeSecretsAndInvalidInputIsRefused) {
  EXPECT_EQ(intake_->SetSecret(kViewer, kIntegration, std::string(kPasted)).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(intake_->DeleteSecrets(kViewer, kIntegration).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(intake_->SetSecret(kAdmin, kIntegration, std::string("sk_test_not_a_webhook_secret"))
                .status()
                .error_code(),
            "invalid_webhook_secret");
  EXPECT_EQ(intake_->SetSecret(kAdmin, "int_missing", std::string(kPasted)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(intake_
                ->SetSecret(kAdmin, kIntegration, std::string(kPasted),
                            std::chrono::seconds(7 * 24 * 3600 + 1))
                .status()
                .error_code(),
            "invalid_overlap");
  EXPECT_EQ(intake_->SetSecret(kAdmin, kIntegration, std::string(kPasted), std::chrono::seconds(-1))
                .status()
                .error_code(),
            "invalid_overlap");
  EXPECT_EQ(intake_->Config(kViewer, kIntegration).status().error_code(),
            "webhook_not_configured");
}

TEST_F(WebhookIntakeTest, RotationKeepsThePreviousSecretUntilTheOverlapEnds) {
  SetSecret(kPasted);
  auto change = intake_->SetSecret(kAdmin, kIntegration, std::string(kPastedNext),
                                   std::chrono::seconds(600));
  ASSERT_TRUE(change.ok());
  EXPECT_EQ(change->message, "Webhook signing secret rotated");
  ASSERT_TRUE(change->webhook.previous_expires_at);
  EXPECT_EQ(*change->webhook.previous_expires_at, kNow + 600);
  EXPECT_EQ(change->webhook.previous_secret_masked, stripe::MaskWebhookSecret(kPasted));

  EXPECT_TRUE(Deliver(CustomerEvent("evt_old", kNow, "A"), kPasted).ok());
  EXPECT_TRUE(Deliver(CustomerEvent("evt_new", kNow, "B"), kPastedNext).ok());

  clock_.Advance(std::chrono::seconds(600));
  auto expired = Deliver(CustomerEvent("evt_old2", clock_.NowUnix(), "C"), kPasted);
  EXPECT_EQ(expired.status().error_code(), stripe::kWebhookSignatureMismatch);
  EXPECT_TRUE(Deliver(CustomerEvent("evt_new2", clock_.NowUnix(), "D"), kPastedNext).ok());
  auto config = intake_->Config(kAdmin, kIntegration);
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->previous_expires_at);
}

TEST_F(WebhookIntakeTest, DefaultOverlapIsADayAndZeroRevokesAtOnce) {
  SetSecret(kPasted);
  SetSecret(kPastedNext);
  auto config = intake_->Config(kAdmin, kIntegration);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->previous_expires_at, kNow + 24 * 3600);

  SetSecret(kPasted, std::chrono::seconds(0));  // back to the first, revoking kPastedNext
  EXPECT_EQ(Deliver(CustomerEvent("evt_1", kNow, "A"), kPastedNext).status().error_code(),
            stripe::kWebhookSignatureMismatch);
  EXPECT_TRUE(Deliver(CustomerEvent("evt_2", kNow, "A"), kPasted).ok());
}

TEST_F(WebhookIntakeTest, DeletedSecretsRefuseDeliveries) {
  SetSecret(kPasted);
  auto removed = intake_->DeleteSecrets(kAdmin, kIntegration);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  auto refused = Deliver(CustomerEvent("evt_1", kNow, "A"));
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(refused.status().error_code(), "webhook_not_configured");
  EXPECT_EQ(intake_->DeleteSecrets(kAdmin, kIntegration).status().error_code(),
            "webhook_not_configured");
  EXPECT_EQ(StoredEvents(), 0);
}

// ---- Intake ----

TEST_F(WebhookIntakeTest, NothingIsStoredForAnyRejection) {
  SetSecret(kPasted);
  const std::string payload = CustomerEvent("evt_1", kNow, "A");
  const std::string good = stripe::WebhookSignatureHeader(kPasted, kNow, payload);
  struct Case {
    std::string name, integration, payload;
    std::optional<std::string> header;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"unknown integration", "int_nope", payload, good, "webhook_endpoint_not_found"},
      {"empty payload", kIntegration, "", stripe::WebhookSignatureHeader(kPasted, kNow, ""),
       stripe::kWebhookEmptyPayload},
      {"no header", kIntegration, payload, std::nullopt, stripe::kWebhookMissingSignature},
      {"unparsable header", kIntegration, payload, "v1=abc", stripe::kWebhookUnparsableSignature},
      {"no v1", kIntegration, payload, "t=" + std::to_string(kNow) + ",v0=abc",
       stripe::kWebhookNoV1Signature},
      {"tampered body", kIntegration, CustomerEvent("evt_1", kNow, "B"), good,
       stripe::kWebhookSignatureMismatch},
      {"wrong secret", kIntegration, payload,
       stripe::WebhookSignatureHeader(kPastedNext, kNow, payload),
       stripe::kWebhookSignatureMismatch},
      {"stale", kIntegration, payload,
       stripe::WebhookSignatureHeader(kPasted, kNow - 301, payload),
       stripe::kWebhookTimestampOutsideTolerance},
      {"not an event", kIntegration, R"({"hello":"world"})",
       stripe::WebhookSignatureHeader(kPasted, kNow, R"({"hello":"world"})"),
       "webhook_invalid_event"},
      {"other account", kIntegration, CustomerEvent("evt_2", kNow, "A", "acct_other"),
       stripe::WebhookSignatureHeader(kPasted, kNow,
                                      CustomerEvent("evt_2", kNow, "A", "acct_other")),
       "webhook_account_mismatch"},
      // Issue 13: a live event posted to a test integration's URL is not its data.
      {"other mode", kIntegration, CustomerEvent("evt_4", kNow, "A", std::nullopt, true),
       stripe::WebhookSignatureHeader(kPasted, kNow,
                                      CustomerEvent("evt_4", kNow, "A", std::nullopt, true)),
       "webhook_mode_mismatch"},
  };
  for (const Case& c : cases) {
    auto result = intake_->Receive(c.integration, c.payload,
                                   c.header ? std::optional<std::string_view>(*c.header)
                                            : std::nullopt);
    EXPECT_EQ(result.ok() ? "ok" : result.status().error_code(), c.code) << c.name;
  }
  EXPECT_EQ(StoredEvents(), 0);
  // The same account as the integration's is fine.
  EXPECT_TRUE(Deliver(CustomerEvent("evt_3", kNow, "A", kAccount)).ok());
}

TEST_F(WebhookIntakeTest, AnAcknowledgedEventIsCommittedForEveryConnection) {
  SetSecret(kPasted);
  const std::string payload = CustomerEvent("evt_durable", kNow, "A");
  auto receipt = Deliver(payload);
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_FALSE(receipt->duplicate);
  // An independent connection (another process would do the same) sees the committed row the
  // moment Receive returns, with the payload byte for byte.
  auto other = store::sqlite::SqliteDatabase::Open(db_path_);
  ASSERT_TRUE(other.ok());
  auto rows = (*other)->Query(
      "SELECT payload, state, type, created FROM webhook_events WHERE event_id = 'evt_durable'",
      {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].GetString("payload"), payload);
  EXPECT_EQ((*rows)[0].GetString("state"), "pending");
  EXPECT_EQ((*rows)[0].GetString("type"), "customer.updated");
  EXPECT_EQ((*rows)[0].GetInt("created"), kNow);
}

TEST_F(WebhookIntakeTest, DuplicatesAreAcknowledgedAndStoredOnce) {
  SetSecret(kPasted);
  const std::string payload = CustomerEvent("evt_dup", kNow, "A");
  auto first = Deliver(payload);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->duplicate);
  clock_.Advance(std::chrono::seconds(5));  // a retried delivery is signed anew
  auto second = Deliver(payload);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(StoredEvents(), 1);
  auto applied = intake_->ApplyPending();
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, 1);
  auto third = Deliver(payload);  // also after it was applied
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->duplicate);
  EXPECT_EQ(EventState("evt_dup"), "applied");
}

TEST_F(WebhookIntakeTest, AnOlderEventNeverOverwritesANewerOne) {
  SetSecret(kPasted);
  // The newer change arrives and is applied first; the older one comes late.
  ASSERT_TRUE(Deliver(CustomerEvent("evt_b", kNow - 10, "newer")).ok());
  ASSERT_TRUE(intake_->ApplyPending().ok());
  EXPECT_EQ(CustomerName(), "newer");
  ASSERT_TRUE(Deliver(CustomerEvent("evt_a", kNow - 20, "older")).ok());
  ASSERT_TRUE(intake_->ApplyPending().ok());
  EXPECT_EQ(CustomerName(), "newer");
  EXPECT_EQ(EventState("evt_a"), "applied");  // handled: stored in stripe_events, no overwrite
}

TEST_F(WebhookIntakeTest, PendingEventsAreAppliedInCreatedOrder) {
  // Records the order events reach the applier, then applies them for real.
  class Recording final : public EventApplier {
   public:
    explicit Recording(EventApplier& real) : real_(real) {}
    Status Apply(const std::string& integration_id, const json::object& event) override {
      order.emplace_back(event.at("id").as_string());
      return real_.Apply(integration_id, event);
    }
    std::vector<std::string> order;

   private:
    EventApplier& real_;
  } recording(*applier_);
  intake_ =
      std::make_unique<WebhookIntake>(*db_, *store_, *integrations_, box_, recording, clock_);
  SetSecret(kPasted);
  // Delivered newest first, all pending: the applier sorts by `created`.
  ASSERT_TRUE(Deliver(CustomerEvent("evt_c", kNow - 10, "third")).ok());
  ASSERT_TRUE(Deliver(CustomerEvent("evt_a", kNow - 30, "first")).ok());
  ASSERT_TRUE(Deliver(CustomerEvent("evt_b", kNow - 20, "second")).ok());
  auto applied = intake_->ApplyPending();
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, 3);
  EXPECT_EQ(recording.order, (std::vector<std::string>{"evt_a", "evt_b", "evt_c"}));
  EXPECT_EQ(CustomerName(), "third");
  intake_.reset();  // before `recording` goes
}

TEST_F(WebhookIntakeTest, ApplyingNeverHoldsTheDatabaseWhileAskingStripe) {
  // Two events of cus_1 in one second that do not say their order: the second's tie is
  // decided by a re-fetch, during which another thread (a request) reads the database.
  std::future<bool> reader;
  bool read_while_fetching = false;
  StoreEventApplier refetching(
      *db_, *store_, *integrations_, clock_,
      [&](const std::string&, const StreamSpec&, const std::string&)
          -> stripe::StripeResult<std::optional<json::object>> {
        reader = std::async(std::launch::async, [&] {
          return db_->Query("SELECT COUNT(*) FROM webhook_events", {}).ok();
        });
        // Bounded only so that a failure ends: the read is expected at once.
        read_while_fetching = reader.wait_for(std::chrono::seconds(10)) ==
                                  std::future_status::ready &&
                              reader.get();
        return std::optional<json::object>(json::object{
            {"id", "cus_1"}, {"object", "customer"}, {"name", "from Stripe"}});
      });
  intake_ = std::make_unique<WebhookIntake>(*db_, *store_, *integrations_, box_, refetching,
                                            clock_);
  SetSecret(kPasted);
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow - 5, "one")).ok());
  ASSERT_TRUE(Deliver(CustomerEvent("evt_2", kNow - 5, "two")).ok());
  auto applied = intake_->ApplyPending();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, 2);
  EXPECT_EQ(refetching.refetches(), 1);
  EXPECT_TRUE(read_while_fetching);
  EXPECT_EQ(CustomerName(), "from Stripe");
  intake_.reset();  // before `refetching` goes
}

TEST_F(WebhookIntakeTest, AnEventWhoseRefetchIsAbandonedAtStopStaysPendingUnattempted) {
  std::atomic<bool> cancelled{false};
  std::unique_ptr<WebhookIntake>* intake = &intake_;
  StoreEventApplier refetching(
      *db_, *store_, *integrations_, clock_,
      [&](const std::string&, const StreamSpec&, const std::string&)
          -> stripe::StripeResult<std::optional<json::object>> {
        // The process is told to stop while the request waits for a retry.
        (*intake)->RequestStop();
        cancelled = true;
        return stripe::StripeError{.kind = stripe::ErrorKind::kConnection,
                                   .code = std::string(stripe::kRequestCancelledCode),
                                   .message = "abandoned"};
      });
  intake_ = std::make_unique<WebhookIntake>(*db_, *store_, *integrations_, box_, refetching,
                                            clock_);
  SetSecret(kPasted);
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow - 5, "one")).ok());
  ASSERT_TRUE(Deliver(CustomerEvent("evt_2", kNow - 5, "two")).ok());
  ASSERT_TRUE(intake_->ApplyPending().ok());
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(EventState("evt_1"), "applied");
  EXPECT_EQ(EventState("evt_2"), "pending");
  auto row = WebhookStore(*db_).GetEvent(kIntegration, "evt_2");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->attempts, 0);
  EXPECT_EQ(CustomerName(), "one");
  intake_.reset();  // before `refetching` goes
}

TEST_F(WebhookIntakeTest, PendingRowsLeftByACrashAreAppliedOnStart) {
  SetSecret(kPasted);
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow, "before crash")).ok());
  EXPECT_EQ(EventState("evt_1"), "pending");
  // A new process: a fresh intake over the same database, its applier thread started.
  MakeIntake({.rescan_interval = std::chrono::hours(1)});
  intake_->Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (EventState("evt_1") != "applied" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(EventState("evt_1"), "applied");
  EXPECT_EQ(CustomerName(), "before crash");
  intake_->Stop();
}

TEST_F(WebhookIntakeTest, TheApplierThreadIsWokenByAnInsert) {
  SetSecret(kPasted);
  // No rescan within the test: only the wake-up can apply the event.
  MakeIntake({.rescan_interval = std::chrono::hours(1)});
  intake_->Start();
  ASSERT_TRUE(Deliver(CustomerEvent("evt_wake", kNow, "woken")).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (EventState("evt_wake") != "applied" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(EventState("evt_wake"), "applied");
  intake_->Stop();
  intake_->Stop();  // idempotent
}

TEST_F(WebhookIntakeTest, EventsOfAnInactiveIntegrationWaitForActivation) {
  SetSecret(kPasted);
  SetActive(false);
  auto receipt = Deliver(CustomerEvent("evt_1", kNow, "A"));
  ASSERT_TRUE(receipt.ok());
  EXPECT_TRUE(receipt->waiting_for_activation);
  auto applied = intake_->ApplyPending();
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, 0);
  EXPECT_EQ(EventState("evt_1"), "pending");
  EXPECT_EQ(CustomerName(), "<none>");

  SetActive(true);
  applied = intake_->ApplyPending();
  ASSERT_TRUE(applied.ok());
  EXPECT_EQ(*applied, 1);
  EXPECT_EQ(CustomerName(), "A");
}

TEST_F(WebhookIntakeTest, AnEventTheApplierRefusesIsMarkedFailedWithTheError) {
  SetSecret(kPasted);
  // Signed and event-shaped for the intake, but `created` is not an integer for the applier...
  // the intake already requires that, so break it in the stored row instead.
  ASSERT_TRUE(Deliver(CustomerEvent("evt_bad", kNow, "A")).ok());
  ASSERT_TRUE(db_
                  ->Execute("UPDATE webhook_events SET payload = '[1]' WHERE event_id = 'evt_bad'",
                           {})
                  .ok());
  ASSERT_TRUE(intake_->ApplyPending().ok());
  auto event = WebhookStore(*db_).GetEvent(kIntegration, "evt_bad");
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->state, WebhookEventState::kFailed);
  EXPECT_EQ(event->attempts, 1);
  EXPECT_NE(event->error.find("webhook_invalid_event"), std::string::npos);
  auto config = intake_->Config(kAdmin, kIntegration);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->events.failed, 1);
  EXPECT_EQ(config->events.received, 1);
  EXPECT_EQ(config->events.last_received_at, kNow);
}

TEST_F(WebhookIntakeTest, TransientFailuresAreRetriedWithBackoffThenFail) {
  // An applier that always reports a passing problem.
  class Busy final : public EventApplier {
   public:
    Status Apply(const std::string&, const json::object&) override {
      ++calls;
      return Status::Unavailable("database is busy", "database_busy");
    }
    int calls = 0;
  } busy;
  intake_ = std::make_unique<WebhookIntake>(*db_, *store_, *integrations_, box_, busy, clock_,
                                            WebhookIntakeOptions{.max_apply_attempts = 3});
  SetSecret(kPasted);
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow, "A")).ok());
  ASSERT_TRUE(intake_->ApplyPending().ok());
  EXPECT_EQ(busy.calls, 1);
  EXPECT_EQ(EventState("evt_1"), "pending");
  ASSERT_TRUE(intake_->ApplyPending().ok());  // not due yet
  EXPECT_EQ(busy.calls, 1);
  clock_.Advance(std::chrono::seconds(2));
  ASSERT_TRUE(intake_->ApplyPending().ok());
  EXPECT_EQ(busy.calls, 2);
  clock_.Advance(std::chrono::seconds(4));
  ASSERT_TRUE(intake_->ApplyPending().ok());
  EXPECT_EQ(busy.calls, 3);
  EXPECT_EQ(EventState("evt_1"), "failed");
  intake_.reset();  // before `busy` goes
}

TEST_F(WebhookIntakeTest, ConcurrentDeliveriesAreAllStoredOnce) {
  SetSecret(kPasted);
  constexpr int kThreads = 12, kPerThread = 40;
  std::atomic<int> failures{0}, duplicates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every event twice, from two threads, to mix duplicates into the groups.
        const int n = (t / 2) * kPerThread + i;
        auto receipt = Deliver(CustomerEvent("evt_" + std::to_string(n), kNow, "x"));
        if (!receipt.ok()) ++failures;
        else if (receipt->duplicate) ++duplicates;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(duplicates.load(), kThreads * kPerThread / 2);
  EXPECT_EQ(StoredEvents(), kThreads * kPerThread / 2);
}

TEST_F(WebhookIntakeTest, CommitStatsCountGroupsAndTheirDeliveries) {
  SetSecret(kPasted);
  EXPECT_EQ(intake_->CommitStats().groups, 0);
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow, "A")).ok());
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow, "A")).ok());  // a duplicate is committed too
  EXPECT_FALSE(Deliver(CustomerEvent("evt_2", kNow, "A"), "whsec_wrong_secret_0123456789").ok());
  const GroupCommitStats sequential = intake_->CommitStats();
  EXPECT_EQ(sequential.groups, 2);  // one caller at a time: a group each; rejections none
  EXPECT_EQ(sequential.deliveries, 2);
  EXPECT_GT(sequential.commit_time.count(), 0);

  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      EXPECT_TRUE(Deliver(CustomerEvent("evt_c" + std::to_string(t), kNow, "x")).ok());
    });
  }
  for (auto& thread : threads) thread.join();
  const GroupCommitStats concurrent = intake_->CommitStats();
  EXPECT_EQ(concurrent.deliveries - sequential.deliveries, kThreads);
  EXPECT_GE(concurrent.groups - sequential.groups, 1);
  EXPECT_LE(concurrent.groups - sequential.groups, kThreads);
}

TEST_F(WebhookIntakeTest, EventsOfADeletedIntegrationGoWithIt) {
  SetSecret(kPasted);
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow, "A")).ok());
  ASSERT_TRUE(store_->DeleteIntegration(kIntegration).ok());
  EXPECT_EQ(StoredEvents(), 0);
  EXPECT_EQ(WebhookStore(*db_).GetSecrets(kIntegration).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Deliver(CustomerEvent("evt_2", kNow, "A")).status().error_code(),
            "webhook_endpoint_not_found");
}

TEST(ParseWebhookEvent, ReadsTheFieldsTheIntakeStoresAndKeepsThePayloadWhole) {
  const std::string payload =
      R"({"id":"evt_1","type":"charge.updated","created":1700000000,"livemode":true,)"
      R"("account":"acct_9","data":{"object":{}}})";
  auto event = ParseWebhookEvent(payload);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->event_id, "evt_1");
  EXPECT_EQ(event->type, "charge.updated");
  EXPECT_EQ(event->created, 1700000000);
  EXPECT_TRUE(event->livemode);
  EXPECT_EQ(event->account, "acct_9");
  EXPECT_EQ(event->payload, payload);
}

TEST(ParseWebhookEvent, RefusesWhatIsNoStripeEvent) {
  for (std::string payload :
       {"", "[]", "not json", R"({"id":"evt_1","type":"x"})", R"({"id":"","type":"x","created":1})",
        R"({"id":"evt_1","type":"x","created":"1700000000"})",
        R"({"id":"evt_1","type":"x","created":1.5})"}) {
    EXPECT_EQ(ParseWebhookEvent(payload).status().error_code(), "webhook_invalid_event") << payload;
  }
}

}  // namespace
}  // namespace stripeline::sync

namespace stripeline::sync {
namespace {

// Readiness over the intake's fixture: a real store, integration service and applier thread;
// the integration's credentials sealed with `box_`, the master key.
class ReadinessTest : public WebhookIntakeTest {
 protected:
  void SetUp() override {
    WebhookIntakeTest::SetUp();
    SealCredentials(box_);
  }

  void SealCredentials(const SecretBox& box) {
    auto integration = store_->GetIntegration(kIntegration);
    ASSERT_TRUE(integration.ok());
    auto sealed = integrations::SealCredentials(box, kIntegration, {.secret_key = "sk_test_x"});
    ASSERT_TRUE(sealed.ok());
    integration->credentials_sealed = *sealed;
    ASSERT_TRUE(store_->UpdateIntegration(*integration).ok());
  }
};

TEST_F(ReadinessTest, ReadyWhenTheDatabaseTakesAWriteTheKeyOpensASecretAndTheApplierMoves) {
  Readiness readiness(*store_, *integrations_, intake_.get(), clock_);
  ReadinessReport report = readiness.Check();
  EXPECT_TRUE(report.ready) << report.reason << ": " << report.message;
  EXPECT_TRUE(report.reason.empty());
}

TEST_F(ReadinessTest, AFullDiskIsNotReady) {
  testing::FaultInjectionDatabase disk(*db_, 0, [](std::string_view) { return true; },
                                       testing::Fault::kDiskFull);
  store::Store full(disk);
  Readiness readiness(full, *integrations_, nullptr, clock_);
  ReadinessReport report = readiness.Check();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.reason, "database_unwritable");
  EXPECT_NE(report.message.find("disk holding the database is full"), std::string::npos)
      << report.message;
}

TEST_F(ReadinessTest, CredentialsTheMasterKeyCannotOpenAreNotReady) {
  // Sealed under another key (a key file swapped while the server runs).
  SealCredentials(SecretBox(std::string(kMasterKeyBytes, 'x')));
  Readiness readiness(*store_, *integrations_, nullptr, clock_);
  ReadinessReport report = readiness.Check();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.reason, "secrets_unreadable");
  EXPECT_EQ(report.message.find("sk_test_x"), std::string::npos);
}

TEST_F(ReadinessTest, AStalledApplierIsNotReadyUntilItMovesAgain) {
  // An applier that holds the event it was given until released.
  class Held final : public EventApplier {
   public:
    Status Apply(const std::string&, const json::object&) override {
      std::unique_lock lock(mu);
      entered = true;
      cv.notify_all();
      cv.wait(lock, [this] { return released; });
      return Status::OK();
    }
    std::mutex mu;
    std::condition_variable cv;
    bool entered = false, released = false;
  } held;
  intake_ = std::make_unique<WebhookIntake>(
      *db_, *store_, *integrations_, box_, held, clock_,
      WebhookIntakeOptions{.rescan_interval = std::chrono::hours(1),
                           .stall_after = std::chrono::seconds(30)});
  SetSecret(kPasted);
  Readiness readiness(*store_, *integrations_, intake_.get(), clock_);
  intake_->Start();
  ASSERT_TRUE(Deliver(CustomerEvent("evt_1", kNow, "A")).ok());
  {
    std::unique_lock lock(held.mu);
    ASSERT_TRUE(held.cv.wait_for(lock, std::chrono::seconds(10), [&] { return held.entered; }));
  }
  EXPECT_TRUE(readiness.Check().ready);  // busy, not stalled yet
  clock_.Advance(std::chrono::seconds(31));
  ReadinessReport report = readiness.Check();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.reason, "webhook_applier_stalled");
  EXPECT_NE(report.message.find("31 s"), std::string::npos) << report.message;
  {
    std::lock_guard lock(held.mu);
    held.released = true;
  }
  held.cv.notify_all();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (EventState("evt_1") != "applied" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(EventState("evt_1"), "applied");
  EXPECT_TRUE(readiness.Check().ready);
  intake_.reset();  // before `held` goes
}

}  // namespace
}  // namespace stripeline::sync
