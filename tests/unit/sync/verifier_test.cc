// Verifier (through SyncEngine::Verify): local ids against Stripe's.
#include "sync/verifier.h"

#include <gtest/gtest.h>

#include "sync/sync_engine.h"
#include "unit/sync/sync_test_util.h"

namespace stripeline::sync {
namespace {

using testing::SyncTest;

TEST_F(SyncTest, VerifyComparesIdsWithStripes) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  ASSERT_TRUE(engine.Run(id).ok());
  auto report = engine.Verify(id);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->equal);
  for (const auto& s : report->streams) EXPECT_EQ(s.result, "equal") << s.stream;

  auto gone = db_->Query("SELECT id FROM stripe_charges LIMIT 1", {});
  std::string gone_id = (*gone)[0].GetString(0);
  ASSERT_TRUE(db_->Execute("DELETE FROM stripe_charges WHERE id = $1", {gone_id}).ok());
  report = engine.Verify(id);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->equal);
  for (const auto& s : report->streams) {
    if (s.stream != "charges") continue;
    EXPECT_EQ(s.result, "different");
    EXPECT_EQ(s.missing_locally, std::vector<std::string>{gone_id});
    EXPECT_EQ(s.remote_count, s.local_count + 1);
  }
}

}  // namespace
}  // namespace stripeline::sync
