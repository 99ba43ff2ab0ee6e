// WebhookStore: the webhook intake's tables (moved here from the store's contract suite with
// the SQL).
#include "sync/webhook_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"
#include "unit/common/temp_dir.h"
#include "unit/store/store_test_util.h"
#include "unit/store/test_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::sync {
namespace {

using store::test_util::MakeIntegration;

class WebhookStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_util::OpenTestDatabase(dir_.path());
    ASSERT_TRUE(db_);
    store_ = std::make_unique<store::Store>(*db_);
    webhooks_ = std::make_unique<WebhookStore>(*db_);
  }
  WebhookStore& webhooks() { return *webhooks_; }

  test_util::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<WebhookStore> webhooks_;
};

WebhookEvent MakeWebhookEvent(std::string integration_id, std::string event_id, int64_t created) {
  WebhookEvent e;
  e.integration_id = std::move(integration_id);
  e.event_id = std::move(event_id);
  e.type = "charge.updated";
  e.created = created;
  e.livemode = true;
  e.account = "acct_connected";
  e.payload = R"({"id":")" + e.event_id + R"(", "note": "é\u00e9"})";
  e.received_at = 1'700'000'500;
  return e;
}

TEST_F(WebhookStoreTest, WebhookSecretsRoundTripReplaceAndDelete) {
  ASSERT_TRUE(store_->CreateIntegration(MakeIntegration("int_1")).ok());
  EXPECT_EQ(webhooks().GetSecrets("int_1").status().code(), StatusCode::kNotFound);
  WebhookSecrets w{.integration_id = "int_1", .secret_sealed = "v1:new",
                   .secret_masked = "whsec_...abcd", .created_at = 10};
  ASSERT_TRUE(webhooks().PutSecrets(w).ok());
  w.previous_sealed = "v1:old";
  w.previous_masked = "whsec_...wxyz";
  w.previous_expires_at = 20;
  ASSERT_TRUE(webhooks().PutSecrets(w).ok());
  Result<WebhookSecrets> got = webhooks().GetSecrets("int_1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->secret_sealed, "v1:new");
  EXPECT_EQ(got->previous_sealed, "v1:old");
  EXPECT_EQ(got->previous_masked, "whsec_...wxyz");
  EXPECT_EQ(got->previous_expires_at, 20);
  ASSERT_TRUE(webhooks().DeleteSecrets("int_1").ok());
  EXPECT_EQ(webhooks().DeleteSecrets("int_1").code(), StatusCode::kNotFound);
  w.integration_id = "int_missing";
  EXPECT_EQ(webhooks().PutSecrets(w).code(), StatusCode::kNotFound);
}

TEST_F(WebhookStoreTest, WebhookEventsAreStoredOnceAndListedDueInCreatedOrder) {
  ASSERT_TRUE(store_->CreateIntegration(MakeIntegration("int_1")).ok());
  store::Integration inactive = MakeIntegration("int_2");
  inactive.active = false;
  ASSERT_TRUE(store_->CreateIntegration(inactive).ok());
  ASSERT_TRUE(*webhooks().InsertEvent(MakeWebhookEvent("int_1", "evt_b", 200)));
  ASSERT_TRUE(*webhooks().InsertEvent(MakeWebhookEvent("int_1", "evt_a", 100)));
  ASSERT_TRUE(*webhooks().InsertEvent(MakeWebhookEvent("int_2", "evt_c", 50)));
  WebhookEvent later = MakeWebhookEvent("int_1", "evt_later", 10);
  later.next_attempt_at = 1000;
  ASSERT_TRUE(*webhooks().InsertEvent(later));
  Result<bool> duplicate = webhooks().InsertEvent(MakeWebhookEvent("int_1", "evt_a", 100));
  ASSERT_TRUE(duplicate.ok());
  EXPECT_FALSE(*duplicate);
  EXPECT_EQ(webhooks().InsertEvent(MakeWebhookEvent("int_x", "evt_x", 1)).status().code(),
            StatusCode::kNotFound);

  Result<std::vector<WebhookEvent>> due = webhooks().DuePendingEvents(999, 10);
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  ASSERT_EQ(due->size(), 2u);  // not the inactive integration's, not the one due later
  EXPECT_EQ((*due)[0].event_id, "evt_a");
  EXPECT_EQ((*due)[1].event_id, "evt_b");
  EXPECT_EQ((*due)[0].payload, MakeWebhookEvent("int_1", "evt_a", 100).payload);
  EXPECT_EQ((*due)[0].account, "acct_connected");
  EXPECT_TRUE((*due)[0].livemode);
  EXPECT_EQ(webhooks().DuePendingEvents(1000, 1)->at(0).event_id, "evt_later");

  WebhookEvent applied = (*due)[0];
  applied.state = WebhookEventState::kApplied;
  applied.attempts = 1;
  applied.applied_at = 1'700'000'600;
  ASSERT_TRUE(webhooks().UpdateEventState(applied).ok());
  WebhookEvent failed = (*due)[1];
  failed.state = WebhookEventState::kFailed;
  failed.error = "boom";
  ASSERT_TRUE(webhooks().UpdateEventState(failed).ok());
  EXPECT_EQ(webhooks().GetEvent("int_1", "evt_a")->applied_at, 1'700'000'600);
  EXPECT_EQ(webhooks().GetEvent("int_1", "evt_b")->error, "boom");

  Result<WebhookEventCounts> counts = webhooks().CountEvents("int_1");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->received, 3);
  EXPECT_EQ(counts->applied, 1);
  EXPECT_EQ(counts->failed, 1);
  EXPECT_EQ(counts->pending, 1);
  EXPECT_EQ(counts->last_received_at, 1'700'000'500);
  EXPECT_EQ(webhooks().CountEvents("int_none")->received, 0);
  EXPECT_FALSE(webhooks().CountEvents("int_none")->last_received_at);
}

TEST(WebhookEventState, NamesReadBackAsThemselves) {
  for (auto [state, name] : {std::pair{WebhookEventState::kPending, "pending"},
                             std::pair{WebhookEventState::kApplied, "applied"},
                             std::pair{WebhookEventState::kFailed, "failed"}}) {
    EXPECT_EQ(Name(state), name);
    auto parsed = ParseWebhookEventState(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(*parsed, state);
  }
  EXPECT_FALSE(ParseWebhookEventState("done").ok());
}

}  // namespace
}  // namespace stripeline::sync
