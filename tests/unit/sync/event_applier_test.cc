#include "sync/event_applier_impl.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "common/secrets.h"
#include "integrations/connection_check.h"
#include "integrations/integration_service.h"
#include "store/store.h"
#include "stripe/client.h"
#include "stripe/transport.h"
#include "sync/sync_state.h"
#include "unit/common/temp_dir.h"
#include "unit/store/test_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::sync {
namespace {

namespace json = boost::json;

// Never used: the applier tests make no Stripe calls (the refetcher is injected).
class NoTransport final : public stripe::Transport {
 public:
  Result<stripe::TransportResponse> Send(const stripe::TransportRequest&) override {
    return Status::Unavailable("no network in this test", "stripe_unreachable");
  }
};

json::object Charge(const std::string& id, const std::string& status, int64_t amount_refunded) {
  return json::object{{"id", id},          {"object", "charge"},
                      {"amount", 1000},    {"amount_refunded", amount_refunded},
                      {"currency", "usd"}, {"status", status},
                      {"created", 1700000000}, {"livemode", false},
                      {"refunded", amount_refunded > 0}};
}

json::object Event(const std::string& id, const std::string& type, int64_t created,
                   json::object object) {
  return json::object{{"id", id},
                      {"object", "event"},
                      {"type", type},
                      {"created", created},
                      {"livemode", false},
                      {"api_version", "2025-03-31.basil"},
                      {"data", {{"object", std::move(object)}}}};
}

class EventApplierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_util::OpenTestDatabase(dir_.path());
    ASSERT_TRUE(db_);
    store_ = std::make_unique<store::Store>(*db_);
    client_ = std::make_unique<stripe::Client>(stripe::ClientOptions{},
                                               std::make_shared<NoTransport>(), clock_);
    box_ = std::make_unique<SecretBox>(std::string(32, 'k'));
    checker_ = std::make_unique<integrations::ConnectionChecker>(*client_, limiters_);
    integrations_ = std::make_unique<integrations::IntegrationService>(*store_, *box_, *checker_,
                                                                       clock_);
    store::Integration integration;
    integration.id = "int_test";
    integration.name = "Test";
    integration.auth_scheme = "api_key";
    integration.credentials_sealed = "unused";
    integration.secret_key_masked = "sk_test_...0000";
    integration.stripe_account_id = "acct_test";
    integration.stripe_account_name = "Test";
    integration.health = store::Health::kOk;
    ASSERT_TRUE(store_->CreateIntegration(integration).ok());
  }

  StoreEventApplier Applier(StoreEventApplier::Refetcher refetch = {}) {
    return StoreEventApplier(*db_, *store_, *integrations_, clock_, std::move(refetch));
  }

  // (status, amount_refunded, deleted, last_event_id) of a charge row.
  std::tuple<std::string, int64_t, bool, std::string> ChargeRow(const std::string& id) {
    auto rows = db_->Query(
        "SELECT status, amount_refunded, deleted, last_event_id FROM stripe_charges WHERE "
        "account_id = 'acct_test' AND id = $1",
        {id});
    EXPECT_TRUE(rows.ok());
    if (!rows.ok() || rows->empty()) return {"<none>", -1, false, ""};
    const auto& r = (*rows)[0];
    return {r.GetString(0), r.GetInt(1), r.GetBool(2), r.GetString(3)};
  }

  test_util::TempDir dir_;
  FakeClock clock_{1'800'000'000};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<stripe::Client> client_;
  stripe::RateLimiterRegistry limiters_{{}, clock_};
  std::unique_ptr<SecretBox> box_;
  std::unique_ptr<integrations::ConnectionChecker> checker_;
  std::unique_ptr<integrations::IntegrationService> integrations_;
};

TEST_F(EventApplierTest, AppliesAnEventAndStoresIt) {
  auto applier = Applier();
  auto outcome = applier.ApplyEvent(
      "int_test", Event("evt_1", "charge.succeeded", 100, Charge("ch_1", "succeeded", 0)));
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(*outcome, ApplyOutcome::kApplied);
  EXPECT_EQ(ChargeRow("ch_1"), std::make_tuple(std::string("succeeded"), int64_t{0}, false,
                                               std::string("evt_1")));
  auto events = db_->Query(
      "SELECT type, object_id, object_type, version FROM stripe_events WHERE id = 'evt_1'", {});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].GetString(0), "charge.succeeded");
  EXPECT_EQ((*events)[0].GetString(1), "ch_1");
  EXPECT_EQ((*events)[0].GetString(2), "charge");
  EXPECT_EQ((*events)[0].GetInt(3), 100);
}

TEST_F(EventApplierTest, DuplicatesChangeNothing) {
  auto applier = Applier();
  json::object event = Event("evt_1", "charge.succeeded", 100, Charge("ch_1", "succeeded", 0));
  ASSERT_EQ(*applier.ApplyEvent("int_test", event), ApplyOutcome::kApplied);
  // Someone changed the row since (e.g. a later event): the duplicate must not undo it.
  ASSERT_EQ(*applier.ApplyEvent("int_test", Event("evt_2", "charge.refunded", 200,
                                                   Charge("ch_1", "succeeded", 1000))),
            ApplyOutcome::kApplied);
  EXPECT_EQ(*applier.ApplyEvent("int_test", event), ApplyOutcome::kDuplicate);
  EXPECT_TRUE(applier.Apply("int_test", event).ok());
  EXPECT_EQ(std::get<1>(ChargeRow("ch_1")), 1000);
  EXPECT_EQ(std::get<3>(ChargeRow("ch_1")), "evt_2");
}

TEST_F(EventApplierTest, AnyOrderEndsWithTheNewestState) {
  std::vector<json::object> events = {
      Event("evt_a", "charge.pending", 100, Charge("ch_1", "pending", 0)),
      Event("evt_b", "charge.succeeded", 110, Charge("ch_1", "succeeded", 0)),
      Event("evt_c", "charge.refunded", 120, Charge("ch_1", "succeeded", 500)),
      Event("evt_d", "charge.refunded", 130, Charge("ch_1", "succeeded", 1000)),
  };
  std::vector<int> order = {0, 1, 2, 3};
  int permutations = 0;
  do {
    ASSERT_TRUE(db_->Execute("DELETE FROM stripe_charges", {}).ok());
    ASSERT_TRUE(db_->Execute("DELETE FROM sync_processed_events", {}).ok());
    auto applier = Applier();
    for (int i : order) ASSERT_TRUE(applier.Apply("int_test", events[i]).ok());
    EXPECT_EQ(ChargeRow("ch_1"), std::make_tuple(std::string("succeeded"), int64_t{1000}, false,
                                                 std::string("evt_d")));
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 24);
}

TEST_F(EventApplierTest, OlderEventNeverOverwritesNewerData) {
  auto applier = Applier();
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_new", "charge.refunded", 200,
                                              Charge("ch_1", "succeeded", 1000)))
                  .ok());
  auto outcome = applier.ApplyEvent(
      "int_test", Event("evt_old", "charge.pending", 100, Charge("ch_1", "pending", 0)));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, ApplyOutcome::kOlder);
  EXPECT_EQ(std::get<0>(ChargeRow("ch_1")), "succeeded");
  // The old event itself is still recorded.
  EXPECT_EQ(db_->Query("SELECT id FROM stripe_events", {})->size(), 2u);
}

TEST_F(EventApplierTest, DeletedEventsMarkTheRowDeletedAndKeepIt) {
  auto applier = Applier();
  json::object customer{{"id", "cus_1"},   {"object", "customer"}, {"email", "a@example.com"},
                        {"created", 50},   {"livemode", false}};
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_1", "customer.created", 60, customer)).ok());
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_2", "customer.deleted", 70, customer)).ok());
  // A late update from before the deletion does not resurrect it.
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_0", "customer.updated", 65, customer)).ok());
  auto rows = db_->Query(
      "SELECT deleted, email, last_event_id FROM stripe_customers WHERE id = 'cus_1'", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].GetBool(0));
  EXPECT_EQ((*rows)[0].GetString(1), "a@example.com");
  EXPECT_EQ((*rows)[0].GetString(2), "evt_2");
}

TEST_F(EventApplierTest, TiesAreSettledByRefetchingTheObject) {
  int refetches = 0;
  auto applier = Applier([&](const std::string& integration, const StreamSpec& stream,
                             const std::string& id)
                             -> stripe::StripeResult<std::optional<json::object>> {
    ++refetches;
    EXPECT_EQ(integration, "int_test");
    EXPECT_EQ(stream.name, "charges");
    return std::optional<json::object>(Charge(id, "succeeded", 777));
  });
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_x", "charge.succeeded", 100,
                                              Charge("ch_1", "succeeded", 0)))
                  .ok());
  auto outcome = applier.ApplyEvent(
      "int_test", Event("evt_y", "charge.refunded", 100, Charge("ch_1", "succeeded", 1000)));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, ApplyOutcome::kRefetched);
  EXPECT_EQ(refetches, 1);
  EXPECT_EQ(std::get<1>(ChargeRow("ch_1")), 777);
}

TEST_F(EventApplierTest, TieWithoutRefetchIsDecidedByEventIdWhateverTheOrder) {
  for (bool reversed : {false, true}) {
    ASSERT_TRUE(db_->Execute("DELETE FROM stripe_charges", {}).ok());
    ASSERT_TRUE(db_->Execute("DELETE FROM sync_processed_events", {}).ok());
    auto applier = Applier();
    json::object a = Event("evt_a", "charge.updated", 100, Charge("ch_1", "pending", 0));
    json::object b = Event("evt_b", "charge.updated", 100, Charge("ch_1", "succeeded", 0));
    ASSERT_TRUE(applier.Apply("int_test", reversed ? b : a).ok());
    ASSERT_TRUE(applier.Apply("int_test", reversed ? a : b).ok());
    EXPECT_EQ(std::get<3>(ChargeRow("ch_1")), "evt_b") << reversed;
  }
}

TEST_F(EventApplierTest, TiesTheEventsOrderAreDecidedWithoutAskingStripe) {
  int refetches = 0;
  auto applier = Applier([&](const std::string&, const StreamSpec&, const std::string&)
                             -> stripe::StripeResult<std::optional<json::object>> {
    ++refetches;
    return std::optional<json::object>();
  });
  // Within one second: created, then two updates chained by previous_attributes; they arrive
  // newest first.
  json::object created = Event("evt_3", "charge.created", 100, Charge("ch_1", "pending", 0));
  json::object first = Event("evt_2", "charge.updated", 100, Charge("ch_1", "succeeded", 0));
  first["data"].as_object()["previous_attributes"] = json::object{{"status", "pending"}};
  json::object second = Event("evt_1", "charge.updated", 100, Charge("ch_1", "succeeded", 400));
  second["data"].as_object()["previous_attributes"] =
      json::object{{"amount_refunded", 0}, {"refunded", false}};
  EXPECT_EQ(*applier.ApplyEvent("int_test", second), ApplyOutcome::kApplied);
  EXPECT_EQ(*applier.ApplyEvent("int_test", first), ApplyOutcome::kOlder);
  EXPECT_EQ(*applier.ApplyEvent("int_test", created), ApplyOutcome::kOlder);
  EXPECT_EQ(ChargeRow("ch_1"), std::make_tuple(std::string("succeeded"), int64_t{400}, false,
                                               std::string("evt_1")));
  // The other way round, each newer event wins its tie.
  ASSERT_TRUE(db_->Execute("DELETE FROM stripe_charges", {}).ok());
  ASSERT_TRUE(db_->Execute("DELETE FROM sync_processed_events", {}).ok());
  EXPECT_EQ(*applier.ApplyEvent("int_test", created), ApplyOutcome::kApplied);
  EXPECT_EQ(*applier.ApplyEvent("int_test", first), ApplyOutcome::kTieDecided);
  EXPECT_EQ(*applier.ApplyEvent("int_test", second), ApplyOutcome::kTieDecided);
  EXPECT_EQ(ChargeRow("ch_1"), std::make_tuple(std::string("succeeded"), int64_t{400}, false,
                                               std::string("evt_1")));
  EXPECT_EQ(refetches, 0);
  EXPECT_EQ(applier.refetches(), 0);
}

TEST_F(EventApplierTest, UndecidedTiesOfOneObjectShareOneRefetch) {
  int refetches = 0;
  auto applier = Applier([&](const std::string&, const StreamSpec&, const std::string& id)
                             -> stripe::StripeResult<std::optional<json::object>> {
    ++refetches;
    return std::optional<json::object>(Charge(id, "succeeded", 900 + refetches));
  });
  // A backlog: four events of one charge in one second, none saying its place, all held
  // since `known`.
  const auto known = clock_.Monotonic();
  clock_.Advance(std::chrono::milliseconds(1));
  for (const char* id : {"evt_a", "evt_b", "evt_c", "evt_d"}) {
    ASSERT_TRUE(applier
                    .ApplyEvent("int_test",
                                Event(id, "charge.updated", 100, Charge("ch_1", id, 0)), known)
                    .ok());
  }
  // The first had nothing to tie with; the three ties were decided by one request.
  EXPECT_EQ(refetches, 1);
  EXPECT_EQ(std::get<1>(ChargeRow("ch_1")), 901);
  // An event this process learned of after that request began needs a request of its own.
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(applier
                  .ApplyEvent("int_test", Event("evt_e", "charge.updated", 100,
                                                Charge("ch_1", "late", 0)),
                              clock_.Monotonic())
                  .ok());
  EXPECT_EQ(refetches, 2);
  EXPECT_EQ(std::get<1>(ChargeRow("ch_1")), 902);
  EXPECT_EQ(applier.refetches(), 2);
}

TEST_F(EventApplierTest, RefetchedNotFoundMarksDeleted) {
  auto applier = Applier([](const std::string&, const StreamSpec&, const std::string&)
                             -> stripe::StripeResult<std::optional<json::object>> {
    return std::optional<json::object>();
  });
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_a", "charge.updated", 100,
                                              Charge("ch_1", "succeeded", 0)))
                  .ok());
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_b", "charge.updated", 100,
                                              Charge("ch_1", "succeeded", 5)))
                  .ok());
  EXPECT_TRUE(std::get<2>(ChargeRow("ch_1")));
}

TEST_F(EventApplierTest, DeauthorizationMarksNeedsReconnectAndKeepsData) {
  auto applier = Applier();
  ASSERT_TRUE(applier.Apply("int_test", Event("evt_1", "charge.succeeded", 100,
                                              Charge("ch_1", "succeeded", 0)))
                  .ok());
  json::object event = Event("evt_2", "account.application.deauthorized", 200,
                             json::object{{"id", "ca_123"}, {"object", "application"}});
  auto outcome = applier.ApplyEvent("int_test", event);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_EQ(*outcome, ApplyOutcome::kDeauthorized);
  auto integration = store_->GetIntegration("int_test");
  ASSERT_TRUE(integration.ok());
  EXPECT_EQ(integration->health, store::Health::kNeedsReconnect);
  EXPECT_EQ(integration->health_reason, "Access was revoked in Stripe");
  EXPECT_EQ(std::get<0>(ChargeRow("ch_1")), "succeeded");
  EXPECT_EQ(*applier.ApplyEvent("int_test", event), ApplyOutcome::kDuplicate);
}

TEST_F(EventApplierTest, StreamsMissingAPermissionAreNotHalfFilled) {
  SyncStateStore state(*db_);
  ASSERT_TRUE(state
                  .PutStream("int_test", {.stream = "subscriptions",
                                          .state = StreamState::kMissingPermission,
                                          .missing_permission = "rak_subscription_read"})
                  .ok());
  auto applier = Applier();
  json::object subscription{{"id", "sub_1"}, {"object", "subscription"}, {"status", "active"},
                            {"created", 10}};
  auto outcome = applier.ApplyEvent(
      "int_test", Event("evt_1", "customer.subscription.created", 20, subscription));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, ApplyOutcome::kEventOnly);
  EXPECT_TRUE(db_->Query("SELECT id FROM stripe_subscriptions", {})->empty());
}

TEST_F(EventApplierTest, ConnectedAccountEventsBelongToThatAccount) {
  auto applier = Applier();
  json::object event = Event("evt_1", "charge.succeeded", 100, Charge("ch_9", "succeeded", 0));
  event["account"] = "acct_connected";
  ASSERT_TRUE(applier.Apply("int_test", event).ok());
  auto rows = db_->Query("SELECT account_id FROM stripe_charges", {});
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].GetString(0), "acct_connected");
}

TEST_F(EventApplierTest, RejectsMalformedEvents) {
  auto applier = Applier();
  EXPECT_EQ(applier.Apply("int_test", json::object{{"id", "evt_1"}}).error_code(),
            "sync_bad_event");
  EXPECT_EQ(applier.Apply("int_missing", Event("evt_1", "charge.succeeded", 1,
                                               Charge("ch_1", "succeeded", 0)))
                .code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace stripeline::sync
