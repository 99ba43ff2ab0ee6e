// SyncService's role rules, and IntegrationRemoval with SyncEngine::DeleteSyncedData (what
// deleting an integration with keep_data=false removes), over the in-process emulator.
#include "sync/sync_service.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "access/user_service.h"
#include "integrations/oauth_service.h"
#include "sync/integration_removal.h"
#include "sync/sync_state.h"
#include "unit/sync/sync_test_util.h"

namespace stripeline::sync {
namespace {

using testing::SyncTest;

class SyncServiceTest : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    SyncEngine& engine = Engine(SmallPages());
    service_ = std::make_unique<SyncService>(engine, *integrations_);
    users_ = std::make_unique<access::UserService>(*store_, clock_);
    oauth_ = std::make_unique<integrations::OAuthService>(*store_, *box_, *client_, *limiters_,
                                                          *users_, *integrations_, clock_);
    removal_ = std::make_unique<IntegrationRemoval>(*store_, *integrations_, *oauth_, engine);
  }

  static access::Actor ActorWithRole(store::Role role, std::vector<std::string> clients = {}) {
    access::Actor actor;
    actor.user_id = "usr_test";
    actor.email = "someone@example.com";
    actor.role = role;
    actor.client_ids = std::move(clients);
    return actor;
  }

  int64_t RowsOfAccount(const std::string& account_id) {
    int64_t total = 0;
    for (const StreamSpec& stream : Streams()) {
      total += CountRows("SELECT COUNT(*) FROM " + std::string(stream.table) +
                             " WHERE account_id = $1",
                         {account_id});
    }
    return total;
  }

  int64_t SyncStateRows(const std::string& integration_id) {
    int64_t total = 0;
    for (const char* table : {"sync_streams", "sync_slices", "sync_cursors", "sync_runs"}) {
      total += CountRows("SELECT COUNT(*) FROM " + std::string(table) +
                             " WHERE integration_id = $1",
                         {integration_id});
    }
    return total;
  }

  void SyncOnce(const std::string& id) {
    auto run = engine_->Run(id);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    ASSERT_EQ(run->status, RunStatus::kSucceeded) << run->error;
  }

  std::unique_ptr<SyncService> service_;
  std::unique_ptr<access::UserService> users_;
  std::unique_ptr<integrations::OAuthService> oauth_;
  std::unique_ptr<IntegrationRemoval> removal_;
};

TEST_F(SyncServiceTest, ViewersReadButNeitherStartNorVerify) {
  std::string id = AddIntegration();
  const access::Actor viewer = ActorWithRole(store::Role::kViewer);
  EXPECT_EQ(service_->Start(viewer, id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->StartVerification(viewer, id).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->CancelVerification(viewer, id).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->LatestVerification(viewer, id).status().error_code(),
            "verification_not_found")
      << "viewers may read a verification; there is none yet";
  EXPECT_TRUE(service_->Status(viewer, id).ok());
  EXPECT_TRUE(service_->Runs(viewer, id, 5).ok());
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs"), 0) << "nothing was started";
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_verifications"), 0);
}

TEST_F(SyncServiceTest, MembersStartSyncsOfIntegrationsTheyCanSee) {
  ASSERT_TRUE(store_->CreateClient({.id = "cli_acme", .name = "Acme"}).ok());
  integrations::NewIntegration request;
  request.name = "Acme's Stripe";
  request.secret_key = testing::kTestSecret;
  request.client_id = "cli_acme";
  auto saved = integrations_->Add(access::Actor::LocalOperator(), request);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  const std::string id = saved->integration.id;

  const access::Actor outsider = ActorWithRole(store::Role::kMember, {"cli_other"});
  EXPECT_EQ(service_->Start(outsider, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Status(outsider, id).status().code(), StatusCode::kNotFound);

  const access::Actor member = ActorWithRole(store::Role::kMember, {"cli_acme"});
  auto started = service_->Start(member, id);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  engine_->WaitForBackgroundRuns();
  auto runs = service_->Runs(member, id, 5);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().run_id, *started);
  EXPECT_EQ(runs->front().status, RunStatus::kSucceeded) << runs->front().error;
}

// Regression: right after Start, Status said running with no current run (the run's thread
// had not set it up yet), so a client polling at once saw a run it could not name.
TEST_F(SyncServiceTest, AStartedRunIsVisibleAtOnce) {
  std::string id = AddIntegration();
  const access::Actor admin = access::Actor::LocalOperator();
  for (int attempt = 0; attempt < 10; ++attempt) {
    auto started = service_->Start(admin, id);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    auto status = service_->Status(admin, id);
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    if (status->running) {
      ASSERT_TRUE(status->current_run.has_value()) << "attempt " << attempt;
      EXPECT_EQ(status->current_run->run_id, *started);
      EXPECT_EQ(status->current_run->status, RunStatus::kRunning);
    } else {
      ASSERT_TRUE(status->last_run.has_value());
      EXPECT_EQ(status->last_run->run_id, *started);
    }
    engine_->WaitForBackgroundRuns();
  }
}

TEST_F(SyncServiceTest, DeletingWithoutKeepingDataRemovesTheRowsAndTheSyncState) {
  std::string id = AddIntegration();
  SyncOnce(id);
  ASSERT_GT(RowsOfAccount("acct_emu_demo"), 50);
  ASSERT_GT(SyncStateRows(id), 0);

  auto deleted = removal_->Delete(access::Actor::LocalOperator(), id, /*keep_data=*/false);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_NE(deleted->find("synced rows of acct_emu_demo were removed"), std::string::npos)
      << *deleted;
  EXPECT_EQ(RowsOfAccount("acct_emu_demo"), 0);
  EXPECT_EQ(SyncStateRows(id), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_run_streams"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_processed_events"), 0);
}

TEST_F(SyncServiceTest, RowsSharedWithAnotherIntegrationOfTheSameAccountAreKept) {
  std::string doomed = AddIntegration();
  std::string other = AddIntegration();  // same key, so the same Stripe account
  SyncOnce(doomed);
  SyncOnce(other);
  const int64_t rows = RowsOfAccount("acct_emu_demo");

  auto deleted = removal_->Delete(access::Actor::LocalOperator(), doomed, false);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_NE(deleted->find("kept because integration " + other), std::string::npos) << *deleted;
  EXPECT_EQ(RowsOfAccount("acct_emu_demo"), rows);
  EXPECT_EQ(SyncStateRows(doomed), 0);
  EXPECT_GT(SyncStateRows(other), 0) << "the other integration's state is its own";
}

TEST_F(SyncServiceTest, KeepingDataRemovesNothing) {
  std::string id = AddIntegration();
  SyncOnce(id);
  const int64_t rows = RowsOfAccount("acct_emu_demo");
  auto deleted = removal_->Delete(access::Actor::LocalOperator(), id, /*keep_data=*/true);
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(*deleted, "Integration deleted");
  EXPECT_EQ(RowsOfAccount("acct_emu_demo"), rows);
}

TEST_F(SyncServiceTest, DataIsNotDeletedUnderARunningSync) {
  std::string id = AddIntegration();
  // Holds the run inside its first progress report until the deletion has been tried.
  std::mutex mu;
  std::condition_variable cv;
  bool in_run = false, release = false;
  std::thread run([&] {
    auto result = engine_->Run(id, [&](const SyncProgress&) {
      std::unique_lock lock(mu);
      in_run = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
    });
    EXPECT_TRUE(result.ok()) << result.status().ToString();
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_run; });
  }
  auto deleted = removal_->Delete(access::Actor::LocalOperator(), id, false);
  EXPECT_EQ(deleted.status().error_code(), "sync_running") << deleted.status().ToString();
  EXPECT_TRUE(store_->GetIntegration(id).ok()) << "a refused deletion deletes nothing";
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  run.join();
}

}  // namespace
}  // namespace stripeline::sync
