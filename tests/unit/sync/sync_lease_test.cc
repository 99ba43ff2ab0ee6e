#include "sync/sync_lease.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sync/sync_engine.h"
#include "unit/sync/sync_test_util.h"

namespace stripeline::sync {
namespace {

using testing::SyncTest;

constexpr std::chrono::seconds kTtl{60};

class SyncLeaseTest : public SyncTest {
 protected:
  void SetUp() override {
    SyncTest::SetUp();
    integration_ = AddIntegration();
  }

  SyncLeases Leases() { return SyncLeases(*db_, clock_, kTtl); }

  // A lease row as another holder would have written it.
  void WriteLease(const std::string& host, int64_t pid, const std::string& process_start,
                  int64_t expires_at) {
    auto written = db_->Execute(
        "INSERT INTO sync_leases (integration_id, holder, host, pid, process_start, "
        "acquired_at, expires_at) VALUES ($1, 'someone else', $2, $3, $4, $5, $6)",
        {integration_, host, pid, process_start, clock_.NowUnix(), expires_at});
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }

  // The pid of a process that has exited and been reaped.
  static int64_t ExitedPid() {
    const pid_t child = fork();
    if (child == 0) _exit(0);
    int status = 0;
    waitpid(child, &status, 0);
    return child;
  }

  std::string integration_;
};

TEST_F(SyncLeaseTest, ASecondHolderIsRefusedUntilTheFirstReleases) {
  SyncLeases first = Leases();
  SyncLeases second = Leases();
  ASSERT_TRUE(first.Acquire(integration_).ok());
  EXPECT_TRUE(first.Acquire(integration_).ok()) << "its own lease is taken again";

  Status refused = second.Acquire(integration_);
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.error_code(), "sync_running");
  EXPECT_NE(refused.message().find("pid " + std::to_string(getpid())), std::string::npos)
      << refused.message();

  ASSERT_TRUE(first.Release(integration_).ok());
  EXPECT_TRUE(second.Acquire(integration_).ok());
  // A release by the former holder does not free the new holder's lease.
  ASSERT_TRUE(first.Release(integration_).ok());
  EXPECT_EQ(first.Acquire(integration_).error_code(), "sync_running");
}

TEST_F(SyncLeaseTest, AnExpiredLeaseIsTakenOverAndRenewalKeepsItAlive) {
  SyncLeases first = Leases();
  SyncLeases second = Leases();
  ASSERT_TRUE(first.Acquire(integration_).ok());
  clock_.Advance(std::chrono::seconds(50));
  ASSERT_TRUE(first.RenewAll().ok());
  clock_.Advance(std::chrono::seconds(50));  // 100 s after acquiring, 50 s after renewing
  EXPECT_EQ(second.Acquire(integration_).error_code(), "sync_running");

  clock_.Advance(std::chrono::seconds(11));  // past the renewed expiry
  EXPECT_TRUE(second.Acquire(integration_).ok());
  EXPECT_EQ(first.Acquire(integration_).error_code(), "sync_running");
}

TEST_F(SyncLeaseTest, ALeaseOfAProcessOfThisHostThatIsGoneIsTakenOverAtOnce) {
  SyncLeases leases = Leases();
  const LeaseHolder self = LeaseHolder::ForThisProcess();
  const int64_t far_future = clock_.NowUnix() + 3600;

  WriteLease(self.host, ExitedPid(), self.process_start, far_future);
  EXPECT_TRUE(leases.Acquire(integration_).ok()) << "killed holder";
  ASSERT_TRUE(leases.Release(integration_).ok());

  // The pid runs, but it is another process than the one that took the lease (pid reuse).
  WriteLease(self.host, self.pid, "another-boot:1", far_future);
  EXPECT_TRUE(leases.Acquire(integration_).ok()) << "reused pid";
  ASSERT_TRUE(leases.Release(integration_).ok());

  // On another host nothing can be known of the holder but its expiry.
  WriteLease("another-host", ExitedPid(), self.process_start, far_future);
  Status refused = leases.Acquire(integration_);
  EXPECT_EQ(refused.error_code(), "sync_running");
  EXPECT_NE(refused.message().find("on another-host"), std::string::npos) << refused.message();
}

TEST_F(SyncLeaseTest, TheEngineHoldsTheLeaseForARunAndRefusesWhileAnotherProcessHasIt) {
  SyncEngine& engine = Engine(SmallPages());
  const LeaseHolder self = LeaseHolder::ForThisProcess();
  WriteLease(self.host, self.pid, self.process_start, clock_.NowUnix() + 3600);

  auto refused = engine.Run(integration_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().error_code(), "sync_running");
  auto started = engine.Start(integration_);
  EXPECT_EQ(started.status().error_code(), "sync_running");

  ASSERT_TRUE(db_->Execute("DELETE FROM sync_leases", {}).ok());
  auto run = engine.Run(integration_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->status, RunStatus::kSucceeded) << run->error;
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_leases"), 0) << "released after the run";
}

}  // namespace
}  // namespace stripeline::sync
