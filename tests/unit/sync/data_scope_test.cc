// Test and live data of one Stripe account apart (issue 13, High 1): a test-mode and a live-mode
// integration of the emulator's demo account sync into the same tables, and every read, sweep
// and removal of SyncedData, the engine's verification, export and removal of synced data see
// only the integration's own mode (its DataScope).
#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <sstream>
#include <tuple>

#include "sync/data_scope.h"
#include "sync/synced_data.h"
#include "unit/sync/sync_test_util.h"

namespace stripeline::sync {
namespace {

using testing::kTestSecret;
using testing::SyncTest;

constexpr char kLiveSecret[] = "sk_live_emu_demo_secret_0000000000000000";
const DataScope kTestScope{"acct_emu_demo", false};
const DataScope kLiveScope{"acct_emu_demo", true};

class DataScopeTest : public SyncTest {
 protected:
  // Syncs a test and a live integration of the demo account.
  void SyncBoth() {
    test_id_ = AddIntegration(kTestSecret);
    live_id_ = AddIntegration(kLiveSecret);
    ASSERT_FALSE(test_id_.empty());
    ASSERT_FALSE(live_id_.empty());
    engine_ = &Engine(SmallPages());
    auto test_run = engine_->Run(test_id_);
    ASSERT_TRUE(test_run.ok()) << test_run.status().ToString();
    auto live_run = engine_->Run(live_id_);
    ASSERT_TRUE(live_run.ok()) << live_run.status().ToString();
  }

  std::set<std::string> RemoteIds(const std::string& stream, const std::string& key) {
    std::set<std::string> ids;
    for (const auto& [id, text] : Remote(*FindStream(stream), key)) ids.insert(id);
    return ids;
  }

  std::set<std::string> LocalIds(const std::string& stream, const DataScope& scope) {
    SyncedData data(*db_);
    auto ids = data.LiveIds(*FindStream(stream), scope, std::nullopt);
    EXPECT_TRUE(ids.ok()) << ids.status().ToString();
    return ids.ok() ? *ids : std::set<std::string>{};
  }

  std::string test_id_, live_id_;
  SyncEngine* engine_ = nullptr;
};

TEST_F(DataScopeTest, EachModesRowsAreItsOwn) {
  SyncBoth();
  // The emulator keeps one dataset per mode: each scope holds exactly its mode's objects.
  for (const char* stream : {"charges", "customers", "coupons", "subscriptions", "account"}) {
    const auto test_remote = RemoteIds(stream, kTestSecret);
    const auto live_remote = RemoteIds(stream, kLiveSecret);
    ASSERT_FALSE(test_remote.empty()) << stream;
    EXPECT_EQ(LocalIds(stream, kTestScope), test_remote) << stream;
    EXPECT_EQ(LocalIds(stream, kLiveScope), live_remote) << stream;
  }
  // The account object has the same id in both modes: two rows, one per mode.
  auto accounts = db_->Query(
      "SELECT livemode FROM stripe_account WHERE id = 'acct_emu_demo' ORDER BY livemode", {});
  ASSERT_TRUE(accounts.ok());
  ASSERT_EQ(accounts->size(), 2u);

  // Right after both syncs, each verification is equal (the live rows are no "extra" rows of
  // the test integration).
  for (const std::string& id : {test_id_, live_id_}) {
    auto report = engine_->Verify(id);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    for (const StreamVerification& s : report->streams) {
      EXPECT_EQ(s.result, "equal") << id << " " << s.stream;
    }
  }

  // An export holds its mode's rows only.
  for (const auto& [id, key, livemode] :
       {std::tuple{test_id_, kTestSecret, false}, std::tuple{live_id_, kLiveSecret, true}}) {
    std::ostringstream out;
    ASSERT_TRUE(engine_->Export(id, "charges", ExportFormat::kJsonLines, out).ok());
    std::set<std::string> ids;
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);) {
      if (line.empty()) continue;
      auto charge = boost::json::parse(line).as_object();
      EXPECT_EQ(charge.at("livemode").as_bool(), livemode) << line.substr(0, 80);
      ids.insert(std::string(charge.at("id").as_string()));
    }
    EXPECT_EQ(ids, RemoteIds("charges", key));
  }
}

TEST_F(DataScopeTest, SweepAndRemovalTouchOneModeOnly) {
  SyncBoth();
  SyncedData data(*db_);
  const StreamSpec& charges = *FindStream("charges");
  const auto live_before = LocalIds("charges", kLiveScope);
  ASSERT_FALSE(live_before.empty());

  // A backfill's deletion sweep of the test scope never marks a live row.
  auto swept = data.MarkDeletedBelowVersion(charges, kTestScope,
                                            std::numeric_limits<int64_t>::max(), testing::kFakeNow);
  ASSERT_TRUE(swept.ok()) << swept.status().ToString();
  EXPECT_GT(*swept, 0);
  EXPECT_TRUE(LocalIds("charges", kTestScope).empty());
  EXPECT_EQ(LocalIds("charges", kLiveScope), live_before);

  // Another integration of the same scope keeps the rows; one of the other mode does not.
  auto others = data.OtherIntegrationsOfScope(test_id_, kTestScope);
  ASSERT_TRUE(others.ok());
  EXPECT_TRUE(others->empty()) << "the live integration is not of the test scope";
  const std::string second_live = AddIntegration(kLiveSecret);
  others = data.OtherIntegrationsOfScope(live_id_, kLiveScope);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(*others, std::vector<std::string>{second_live});

  // Deleting the test integration's data removes the test rows and dedupe records only.
  auto integration = store_->GetIntegration(test_id_);
  ASSERT_TRUE(integration.ok());
  auto removed = engine_->DeleteSyncedData(*integration);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_NE(removed->find("(test mode only)"), std::string::npos) << *removed;
  auto count = [&](const std::string& sql) {
    auto rows = db_->Query(sql, {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? (*rows)[0].GetInt(0) : -1;
  };
  EXPECT_EQ(count("SELECT COUNT(*) FROM stripe_charges WHERE livemode = 0"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM stripe_account WHERE livemode = 0"), 0);
  EXPECT_EQ(LocalIds("charges", kLiveScope), live_before);
  EXPECT_EQ(count("SELECT COUNT(*) FROM stripe_account WHERE livemode = 1"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sync_processed_events WHERE livemode = 0"), 0);

  // The live integration still verifies equal.
  auto report = engine_->Verify(live_id_);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->equal);
}

}  // namespace
}  // namespace stripeline::sync
