// Verifications as background jobs (VerificationJobs through SyncEngine): the result is kept in
// the database and outlives the engine, one per integration at a time, cancel and shutdown
// end them canceled, and those a dead process left unfinished are marked interrupted.
#include "sync/verification_jobs.h"

#include <gtest/gtest.h>

#include "sync/sync_engine.h"
#include "sync/sync_lease.h"
#include "unit/sync/sync_test_util.h"

namespace stripeline::sync {
namespace {

using testing::SyncTest;

Verification Latest(SyncEngine& engine, const std::string& id) {
  auto latest = engine.LatestVerification(id);
  EXPECT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_TRUE(latest.ok() && latest->has_value());
  return latest.ok() && latest->has_value() ? **latest : Verification{};
}

TEST_F(SyncTest, AVerificationRunsInTheBackgroundAndItsResultIsKept) {
  std::string id = AddIntegration();
  ASSERT_TRUE(Engine(SmallPages()).Run(id).ok());
  ASSERT_FALSE(engine_->LatestVerification(id)->has_value()) << "none before the first";

  auto start = engine_->StartVerification(id);
  ASSERT_TRUE(start.ok()) << start.status().ToString();
  EXPECT_TRUE(start->started);
  EXPECT_EQ(start->verification.state, VerificationState::kQueued);
  EXPECT_EQ(start->verification.id.rfind("ver_", 0), 0u) << start->verification.id;
  engine_->WaitForVerifications();

  // A new engine on the same database (a restart) reads the same result.
  Engine(SmallPages());
  Verification done = Latest(*engine_, id);
  EXPECT_EQ(done.id, start->verification.id);
  EXPECT_EQ(done.state, VerificationState::kSucceeded) << done.error;
  ASSERT_TRUE(done.finished_at.has_value());
  ASSERT_TRUE(done.report.has_value());
  EXPECT_TRUE(done.report->equal);
  EXPECT_EQ(done.report->streams.size(), Streams().size());
  for (const auto& s : done.report->streams) {
    EXPECT_EQ(s.result, "equal") << s.stream;
    EXPECT_EQ(s.local_count, s.remote_count) << s.stream;
  }
}

TEST_F(SyncTest, AKeptResultNamesTheDifferingIds) {
  std::string id = AddIntegration();
  ASSERT_TRUE(Engine(SmallPages()).Run(id).ok());
  auto rows = db_->Query("SELECT id FROM stripe_charges ORDER BY id LIMIT 2", {});
  ASSERT_TRUE(rows.ok() && rows->size() == 2);
  for (const auto& row : *rows) {
    ASSERT_TRUE(db_->Execute("DELETE FROM stripe_charges WHERE id = $1", {row.GetString(0)})
                    .ok());
  }
  ASSERT_TRUE(engine_->StartVerification(id).ok());
  engine_->WaitForVerifications();
  Verification done = Latest(*engine_, id);
  ASSERT_TRUE(done.report.has_value()) << done.error;
  EXPECT_FALSE(done.report->equal);
  for (const auto& s : done.report->streams) {
    if (s.stream != "charges") continue;
    EXPECT_EQ(s.result, "different");
    EXPECT_EQ(s.missing_locally,
              (std::vector<std::string>{(*rows)[0].GetString(0), (*rows)[1].GetString(0)}));
  }
}

TEST_F(SyncTest, AVerificationOfADeadProcessIsMarkedInterruptedAtStartUp) {
  std::string id = AddIntegration();
  const LeaseHolder alive = LeaseHolder::ForThisProcess();
  auto insert = [&](const std::string& verification, int64_t pid, const std::string& start) {
    ASSERT_TRUE(db_->Execute("INSERT INTO sync_verifications (id, integration_id, state, "
                             "started_at, holder, host, pid, process_start) VALUES ($1, $2, "
                             "'running', 1, 'h', $3, $4, $5)",
                             {verification, id, alive.host, pid, start})
                    .ok());
  };
  insert("ver_dead", 999'999'999, "no-such-boot:1");   // its process is gone
  insert("ver_alive", alive.pid, alive.process_start);  // this process: still running

  Engine(SmallPages());
  auto state = [&](const std::string& verification) {
    auto rows = db_->Query(
        "SELECT state, error FROM sync_verifications WHERE id = $1", {verification});
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return (*rows)[0].GetString(0) + ": " + (*rows)[0].GetString(1);
  };
  EXPECT_EQ(state("ver_dead").rfind("failed: interrupted", 0), 0u) << state("ver_dead");
  EXPECT_EQ(state("ver_alive"), "running: ");

  // The live holder keeps the integration's one place: a start answers with its verification.
  auto start = engine_->StartVerification(id);
  ASSERT_TRUE(start.ok()) << start.status().ToString();
  EXPECT_FALSE(start->started);
  EXPECT_EQ(start->verification.id, "ver_alive");
}

TEST_F(SyncTest, DeletingTheSyncedDataDeletesTheVerifications) {
  std::string id = AddIntegration();
  ASSERT_TRUE(Engine(SmallPages()).StartVerification(id).ok());
  engine_->WaitForVerifications();
  ASSERT_EQ(CountRows("SELECT COUNT(*) FROM sync_verifications"), 1);
  ASSERT_GT(CountRows("SELECT COUNT(*) FROM sync_verification_streams"), 0);
  auto integration = store_->GetIntegration(id);
  ASSERT_TRUE(integration.ok());
  ASSERT_TRUE(engine_->DeleteSyncedData(*integration).ok());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_verifications"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_verification_streams"), 0);
}

// Every Stripe request of the emulator takes 200 ms of real time, so a verification (over 15
// streams) is still going when the test acts on it; canceling ends it after its current request.
class SlowVerificationTest : public SyncTest {
 protected:
  SlowVerificationTest() { emulator_options_.latency_ms = 200; }
};

TEST_F(SlowVerificationTest, OnePerIntegrationAtATimeAndCanceledOnRequest) {
  std::string id = AddIntegration();
  std::string other = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  auto first = engine.StartVerification(id);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->started);

  auto second = engine.StartVerification(id);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->started);
  EXPECT_EQ(second->verification.id, first->verification.id);
  EXPECT_TRUE(IsActive(second->verification.state));

  auto of_other = engine.StartVerification(other);
  ASSERT_TRUE(of_other.ok());
  EXPECT_TRUE(of_other->started) << "one per integration, not one in all";

  ASSERT_TRUE(engine.CancelVerification(id).ok());
  ASSERT_TRUE(engine.CancelVerification(other).ok());
  engine.WaitForVerifications();
  Verification canceled = Latest(engine, id);
  EXPECT_EQ(canceled.id, first->verification.id);
  EXPECT_EQ(canceled.state, VerificationState::kCanceled);
  EXPECT_EQ(canceled.error, "canceled on request");
  EXPECT_FALSE(canceled.report.has_value());
  EXPECT_EQ(engine.CancelVerification(id).status().error_code(), "verify_not_running");

  auto again = engine.StartVerification(id);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->started) << "the canceled one has ended";
  EXPECT_NE(again->verification.id, first->verification.id);
}

TEST_F(SlowVerificationTest, ShutdownCancelsVerificationsAndRefusesNewOnes) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  ASSERT_TRUE(engine.StartVerification(id).ok());
  engine.Stop();
  Verification stopped = Latest(engine, id);
  EXPECT_EQ(stopped.state, VerificationState::kCanceled);
  EXPECT_EQ(stopped.error, "canceled: the server is shutting down");
  EXPECT_EQ(engine.StartVerification(id).status().error_code(), "verify_stopping");
}

}  // namespace
}  // namespace stripeline::sync
