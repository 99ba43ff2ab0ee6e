#include "sync/sync_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <sstream>

#include "sync/sync_state.h"
#include "unit/sync/fault_injection_database.h"
#include "unit/sync/sync_test_util.h"

namespace stripeline::sync {
namespace {

using testing::kRestricted;
using testing::kTestSecret;
using testing::SyncTest;

const StreamProgress* Find(const std::vector<StreamProgress>& streams, std::string_view name) {
  for (const StreamProgress& s : streams) {
    if (s.stream == name) return &s;
  }
  return nullptr;
}

class SyncEngineTest : public SyncTest {
 protected:
  void ExpectEverythingEqual(const std::string& key = kTestSecret) {
    for (const StreamSpec& stream : Streams()) ExpectStreamEqual(stream, key);
  }
  // No duplicates and exact counters: objects_synced equals the rows of each stream.
  void ExpectCountsMatchRows(const std::string& integration_id) {
    for (const StreamSpec& stream : Streams()) {
      int64_t rows = CountRows("SELECT COUNT(*) FROM " + std::string(stream.table));
      int64_t counted = CountRows(
          "SELECT objects_synced FROM sync_streams WHERE integration_id = $1 AND stream = $2",
          {integration_id, std::string(stream.name)});
      EXPECT_EQ(counted, rows) << stream.name;
    }
  }
};

TEST_F(SyncEngineTest, FullBackfillEqualsTheEmulatorsData) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  std::atomic<int> progress_calls{0};
  auto result = engine.Run(id, [&](const SyncProgress& p) {
    ++progress_calls;
    EXPECT_EQ(p.streams.size(), Streams().size());
  });
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  EXPECT_EQ(result->kind, RunKind::kBackfill);
  EXPECT_GT(result->objects, 50);
  EXPECT_GT(progress_calls.load(), 10);
  for (const StreamProgress& s : result->streams) EXPECT_EQ(s.state, StreamState::kSynced) << s.stream;
  ExpectEverythingEqual();
  ExpectCountsMatchRows(id);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_slices WHERE done = 0"), 0);

  // Typed columns are filled from the JSON.
  auto charge = db_->Query(
      "SELECT amount, currency, paid, raw FROM stripe_charges WHERE status = 'succeeded' "
      "LIMIT 1",
      {});
  ASSERT_TRUE(charge.ok());
  ASSERT_FALSE(charge->empty());
  auto raw = boost::json::parse((*charge)[0].GetString("raw")).as_object();
  EXPECT_EQ((*charge)[0].GetInt("amount"), raw.at("amount").as_int64());
  EXPECT_EQ((*charge)[0].GetString("currency"), raw.at("currency").as_string());
  EXPECT_EQ((*charge)[0].GetBool("paid"), raw.at("paid").as_bool());

  // The next run has nothing to backfill: it polls events and finds nothing new.
  auto again = engine.Run(id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->kind, RunKind::kIncremental);
  EXPECT_EQ(again->status, RunStatus::kSucceeded);
  EXPECT_EQ(again->objects, 0);
  EXPECT_EQ(again->events, 0);
  ExpectEverythingEqual();

  auto status = engine.Status(id);
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->running);
  ASSERT_TRUE(status->last_run.has_value());
  EXPECT_EQ(status->last_run->run_id, again->run_id);
  EXPECT_TRUE(status->backfill_completed_at.has_value());
  EXPECT_TRUE(status->last_event_id.has_value());
  const StreamProgress* charges = Find(status->streams, "charges");
  ASSERT_NE(charges, nullptr);
  EXPECT_EQ(charges->state, StreamState::kSynced);
  EXPECT_EQ(charges->objects, static_cast<int64_t>(Local(*FindStream("charges")).size()));
  auto integration = store_->GetIntegration(id);
  ASSERT_TRUE(integration.ok());
  EXPECT_TRUE(integration->last_sync_at.has_value());
}

// A scaled dataset (Emulator v2 `objects`), so slices have many pages to split.
class ScaledSyncEngineTest : public SyncEngineTest {
 protected:
  ScaledSyncEngineTest() { emulator_options_.objects = 300; }
};

TEST_F(ScaledSyncEngineTest, IdleWorkersSplitBusySlices) {
  std::string id = AddIntegration();
  SyncOptions options;
  options.workers = 4;
  options.page_size = 1;
  options.initial_slices = 1;
  options.streams = {"charges", "balance_transactions"};
  auto result = Engine(options).Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  // One slice each to start with; idle workers split them.
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM sync_slices WHERE stream = 'charges'"), 1);
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM sync_slices WHERE stream = 'balance_transactions'"),
            1);
  // Slices stay disjoint and cover everything: every object written exactly once.
  ExpectStreamEqual(*FindStream("charges"));
  ExpectStreamEqual(*FindStream("balance_transactions"));
  EXPECT_EQ(CountRows("SELECT SUM(objects) FROM sync_slices WHERE stream = 'charges'"),
            CountRows("SELECT COUNT(*) FROM stripe_charges"));
  EXPECT_EQ(CountRows("SELECT objects_synced FROM sync_streams WHERE stream = 'charges'"),
            CountRows("SELECT COUNT(*) FROM stripe_charges"));
}

TEST_F(ScaledSyncEngineTest, SlicesAStreamFromItsFirstPageAndLeavesASmallOneWhole) {
  std::string id = AddIntegration();
  SyncOptions options;
  options.workers = 4;
  options.page_size = 10;
  options.initial_slices = 8;
  options.streams = {"charges", "coupons", "products"};
  auto result = Engine(options).Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  // Charges fill many pages: their first page's density splits them at once (idle workers may
  // split further); a stream whose first page says has_more=false (fewer objects than a page)
  // stays the one slice it started as.
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM sync_slices WHERE stream = 'charges'"), 2);
  for (const std::string stream : {"coupons", "products"}) {
    if (CountRows("SELECT COUNT(*) FROM stripe_" + stream) < options.page_size) {
      EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_slices WHERE stream = '" + stream + "'"), 1)
          << stream;
    }
  }
  for (const char* stream : {"charges", "coupons", "products"}) ExpectStreamEqual(*FindStream(stream));
  EXPECT_EQ(CountRows("SELECT SUM(objects) FROM sync_slices WHERE stream = 'charges'"),
            CountRows("SELECT COUNT(*) FROM stripe_charges"));
}

TEST_F(SyncEngineTest, ResumesFromCheckpointsAfterACrash) {
  std::string id = AddIntegration();
  for (int64_t crash_at : {3, 7, 12}) {
    // The process dies right after `crash_at` backfill pages were committed: the engine works
    // on a database that refuses every write from then on (its run row stays 'running').
    testing::FaultInjectionDatabase dying_db(*db_, crash_at, testing::WritesPageCheckpoint);
    store::Store dying(dying_db);
    {
      SyncEngine engine(dying_db, dying, *integrations_, *client_, *limiters_, clock_,
                        SmallPages());
      auto crashed = engine.Run(id);
      ASSERT_FALSE(crashed.ok());
      EXPECT_EQ(crashed.status().error_code(), "sync_crash");
    }
    // A dead process's lease is taken over by the next process on its host (sync_lease_test);
    // this "dead process" shares the test's pid, so its lease is removed as that takeover would.
    ASSERT_TRUE(db_->Execute("DELETE FROM sync_leases", {}).ok());
  }
  // Rows written before the crash are checkpointed with them: some slices have cursors.
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM sync_slices WHERE cursor IS NOT NULL"), 0);
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM sync_slices WHERE done = 0"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE status = 'running'"), 1);

  auto result = Engine(SmallPages()).Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  ExpectEverythingEqual();
  ExpectCountsMatchRows(id);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE status = 'running'"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE error LIKE 'interrupted%'"), 3);
}

TEST_F(SyncEngineTest, AFullDiskFailsTheRunWithItsRealErrorAndKindNeverAsInterrupted) {
  std::string id = AddIntegration();
  // The disk fills after 3 backfill pages: the next page, and the run's outcome, cannot be
  // written; the process lives on.
  testing::FaultInjectionDatabase disk(*db_, 3, testing::WritesPageCheckpoint,
                                       testing::Fault::kDiskFull);
  store::Store store(disk);
  SyncEngine engine(disk, store, *integrations_, *client_, *limiters_, clock_, SmallPages());

  auto failed = engine.Run(id);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().error_code(), "storage_full");
  // Its row still says 'running' (the disk took nothing more) and a first sync's run is a
  // backfill even in the row.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE status = 'running' AND "
                      "kind = 'backfill'"),
            1);
  // Meanwhile the engine shows what happened, not a run in progress.
  auto shown = engine.Runs(id);
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  ASSERT_EQ(shown->size(), 1u);
  EXPECT_EQ(shown->front().status, RunStatus::kFailed);
  EXPECT_EQ(shown->front().kind, RunKind::kBackfill);
  EXPECT_NE(shown->front().error.find("storage_full"), std::string::npos) << shown->front().error;
  auto status = engine.Status(id);
  ASSERT_TRUE(status.ok());
  ASSERT_TRUE(status->last_run.has_value());
  EXPECT_EQ(status->last_run->status, RunStatus::kFailed);

  // Space freed: the next run records the failure as it was, then resumes.
  disk.FreeSpace();
  auto next = engine.Run(id);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->status, RunStatus::kSucceeded) << next->error;
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE error LIKE 'interrupted%'"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE status = 'failed' AND kind = "
                      "'backfill' AND error LIKE 'storage_full:%'"),
            1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE status = 'running'"), 0);
  ExpectEverythingEqual();
}

TEST_F(SyncEngineTest, RestrictedKeyNamesTheStreamsItCannotRead) {
  std::string id = AddIntegration(kRestricted);
  auto result = Engine(SmallPages()).Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceededWithErrors);
  EXPECT_NE(result->error.find("rak_subscription_read"), std::string::npos) << result->error;
  EXPECT_NE(result->error.find("rak_payout_read"), std::string::npos) << result->error;
  for (const StreamProgress& s : result->streams) {
    if (s.stream == "subscriptions") {
      EXPECT_EQ(s.state, StreamState::kMissingPermission);
      EXPECT_EQ(s.missing_permission, "rak_subscription_read");
    } else if (s.stream == "payouts") {
      EXPECT_EQ(s.state, StreamState::kMissingPermission);
      EXPECT_EQ(s.missing_permission, "rak_payout_read");
    } else if (s.stream == "account") {
      // GET /v1/account is closed to restricted keys: said, not silently skipped.
      EXPECT_EQ(s.state, StreamState::kUnavailableToKey);
      EXPECT_FALSE(s.error.empty());
    } else {
      EXPECT_EQ(s.state, StreamState::kSynced) << s.stream << ": " << s.error;
      ExpectStreamEqual(*FindStream(s.stream), kRestricted);
    }
  }
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM stripe_subscriptions"), 0);
  auto status = engine_->Status(id);
  ASSERT_TRUE(status.ok());
  const StreamProgress* subscriptions = Find(status->streams, "subscriptions");
  ASSERT_NE(subscriptions, nullptr);
  EXPECT_EQ(subscriptions->missing_permission, "rak_subscription_read");
  EXPECT_EQ(status->last_run->status, RunStatus::kSucceededWithErrors);
}

TEST_F(SyncEngineTest, RevokedKeyPausesWithNeedsReconnectAndResumesAfterReconnect) {
  // A key of our own, so revoking it leaves the demo keys alone.
  std::string key(Admin("/_emulator/keys", {{"account", "acct_emu_demo"},
                                            {"kind", "secret"},
                                            {"livemode", "false"}})
                      .at("key")
                      .as_string());
  std::string id = AddIntegration(key);
  std::atomic<bool> revoked{false};
  SyncOptions options = SmallPages();
  auto result = Engine(options).Run(id, [&](const SyncProgress& p) {
    if (p.objects >= 10 && !revoked.exchange(true)) Admin("/_emulator/keys/revoke", {{"key", key}});
  });
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(revoked.load());
  EXPECT_EQ(result->status, RunStatus::kPaused) << result->error;
  EXPECT_NE(result->error.find("reconnect"), std::string::npos);
  auto integration = store_->GetIntegration(id);
  ASSERT_TRUE(integration.ok());
  EXPECT_EQ(integration->health, store::Health::kNeedsReconnect);
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM sync_slices WHERE done = 0"), 0);
  // What was written before the revocation is kept (and checkpointed).
  EXPECT_GE(CountRows("SELECT SUM(objects_synced) FROM sync_streams"), 10);
  // Every stream not finished says it is paused.
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM sync_streams WHERE state = 'paused'"), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_streams WHERE state NOT IN ('synced', "
                      "'paused')"),
            0);

  // Reconnect with a new key of the same account: the next run resumes and completes.
  std::string new_key(Admin("/_emulator/keys", {{"account", "acct_emu_demo"},
                                                {"kind", "secret"},
                                                {"livemode", "false"}})
                          .at("key")
                          .as_string());
  integrations::IntegrationEdit edit;
  edit.secret_key = new_key;
  auto edited = integrations_->Edit(access::Actor::LocalOperator(), id, edit);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->integration.health, store::Health::kOk);
  auto resumed = Engine(SmallPages()).Run(id);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(resumed->status, RunStatus::kSucceeded) << resumed->error;
  ExpectEverythingEqual();
  ExpectCountsMatchRows(id);
}

TEST_F(SyncEngineTest, InjectedServerErrorsLoseNothing) {
  std::string id = AddIntegration();
  Admin("/_emulator/faults", {{"status", "500"}, {"count", "7"}});
  auto result = Engine(SmallPages()).Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  ExpectEverythingEqual();
  ExpectCountsMatchRows(id);
}

TEST_F(SyncEngineTest, PersistentServerErrorsFailTheRunNeverSucceed) {
  std::string id = AddIntegration();
  SyncOptions options = SmallPages();
  options.streams = {"customers", "charges"};
  Admin("/_emulator/faults", {{"status", "500"}, {"count", "100000"}});
  auto result = Engine(options).Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kFailed);
  EXPECT_FALSE(result->error.empty());
  Admin("/_emulator/faults", {{"status", "500"}, {"count", "0"}});
  auto retried = Engine(options).Run(id);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->status, RunStatus::kSucceeded) << retried->error;
  ExpectStreamEqual(*FindStream("charges"));
  ExpectStreamEqual(*FindStream("customers"));
}

TEST_F(SyncEngineTest, IncrementalAppliesEventsAfterTheCursorOldestFirst) {
  std::string id = AddIntegration();
  // The demo events span about 100 days; widen the window so the old cursor is still usable.
  SyncOptions options = SmallPages();
  options.events_window_seconds = 400 * 86400;
  SyncEngine& engine = Engine(options);
  ASSERT_TRUE(engine.Run(id).ok());
  // Move the cursor back to the oldest event, as if the others had happened after the
  // backfill, and forget them.
  auto events = Remote(*FindStream("events"));
  ASSERT_GE(events.size(), 3u);
  auto oldest = db_->Query(
      "SELECT id, created FROM stripe_events ORDER BY created ASC, id ASC LIMIT 1", {});
  ASSERT_TRUE(oldest.ok());
  std::string oldest_id = (*oldest)[0].GetString(0);
  ASSERT_TRUE(db_
                  ->Execute("UPDATE sync_cursors SET last_event_id = $1, last_event_created = $2",
                           {oldest_id, (*oldest)[0].GetInt(1)})
                  .ok());
  ASSERT_TRUE(db_->Execute("DELETE FROM sync_processed_events", {}).ok());

  auto result = engine.Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->kind, RunKind::kIncremental);
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  EXPECT_EQ(result->events, static_cast<int64_t>(events.size()) - 1);
  auto status = engine.Status(id);
  ASSERT_TRUE(status.ok());
  auto newest = db_->Query(
      "SELECT id FROM stripe_events ORDER BY created DESC LIMIT 1", {});
  EXPECT_EQ(status->last_event_id, (*newest)[0].GetString(0));
  // Objects carried by events now record them.
  EXPECT_GT(CountRows("SELECT COUNT(*) FROM stripe_charges WHERE last_event_id IS NOT NULL"), 0);
  ExpectEverythingEqual();

  // Polling again applies nothing: the events were deduplicated / the cursor moved.
  auto again = engine.Run(id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->events, 0);
}

// Emulator v2: POST /_emulator/traffic creates, updates and deletes objects and emits their
// events; the next run must bring every table back to the emulator's state through /v1/events.
TEST_F(SyncEngineTest, MutationsAfterTheBackfillArriveThroughEvents) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  auto first = engine.Run(id);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->status, RunStatus::kSucceeded) << first->error;
  Admin("/_emulator/traffic", {{"count", "60"}, {"seed", "7"}});
  auto result = engine.Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->kind, RunKind::kIncremental);
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  EXPECT_GE(result->events, 60);
  ExpectEverythingEqual();
}

TEST_F(SyncEngineTest, ThirtyDayGapInEmulatedTimeTriggersAReBackfill) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  ASSERT_TRUE(engine.Run(id).ok());
  Admin("/_emulator/clock/advance", {{"seconds", std::to_string(31 * 86400)}});
  Admin("/_emulator/traffic", {{"count", "20"}, {"seed", "3"}});
  auto result = engine.Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  EXPECT_EQ(result->kind, RunKind::kBackfill);
  EXPECT_NE(result->note.find("re-backfill"), std::string::npos) << result->note;
  for (const StreamSpec& stream : Streams()) {
    if (stream.name != "events") ExpectStreamEqual(stream);
  }
}

TEST_F(SyncEngineTest, MutationsDuringTheBackfillAreNotLost) {
  std::string id = AddIntegration();
  std::atomic<int> pages{0};
  auto result = Engine(SmallPages()).Run(id, [&](const SyncProgress&) {
    int n = ++pages;
    if (n == 5 || n == 20) Admin("/_emulator/traffic", {{"count", "25"}, {"seed", std::to_string(n)}});
  });
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  EXPECT_GT(result->events, 0);
  // The run ends with an events poll, so it is already current...
  ExpectEverythingEqual();
  // ...and stays so.
  auto again = engine_->Run(id);
  ASSERT_TRUE(again.ok());
  ExpectEverythingEqual();
}

TEST_F(SyncEngineTest, LostEventCursorReBackfillsAndSaysWhy) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  ASSERT_TRUE(engine.Run(id).ok());
  ASSERT_TRUE(db_
                  ->Execute("UPDATE sync_cursors SET last_event_id = 'evt_expired000000000000000'",
                           {})
                  .ok());
  ASSERT_TRUE(db_->Execute("DELETE FROM stripe_customers", {}).ok());
  auto result = engine.Run(id);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, RunStatus::kSucceeded) << result->error;
  EXPECT_EQ(result->kind, RunKind::kBackfill);
  EXPECT_NE(result->note.find("re-backfill"), std::string::npos) << result->note;
  EXPECT_NE(result->note.find("evt_expired"), std::string::npos) << result->note;
  ExpectEverythingEqual();
  auto runs = engine.Runs(id);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->front().note, result->note);
}

TEST_F(SyncEngineTest, CursorOlderThanTheEventsWindowReBackfills) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  ASSERT_TRUE(engine.Run(id).ok());
  // Point the cursor at an existing event 40 days older than the newest one.
  auto second = db_->Query(
      "SELECT id, created FROM stripe_events ORDER BY created DESC, id LIMIT 1 OFFSET 1", {});
  ASSERT_TRUE(second.ok() && !second->empty());
  auto newest = db_->Query("SELECT MAX(created) FROM stripe_events", {});
  ASSERT_TRUE(db_
                  ->Execute("UPDATE sync_cursors SET last_event_id = $1, last_event_created = $2",
                           {(*second)[0].GetString(0), (*newest)[0].GetInt(0) - 40 * 86400})
                  .ok());
  auto result = engine.Run(id);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->kind, RunKind::kBackfill);
  EXPECT_NE(result->note.find("30-day"), std::string::npos) << result->note;
  ExpectEverythingEqual();
}

TEST_F(SyncEngineTest, OneRunPerIntegrationAtATime) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  std::atomic<bool> checked{false};
  auto result = engine.Run(id, [&](const SyncProgress&) {
    if (checked.exchange(true)) return;
    auto second = engine.Start(id);
    EXPECT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  });
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(checked.load());
  auto started = engine.Start(id);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  engine.WaitForBackgroundRuns();
  auto status = engine.Status(id);
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(status->running);
  EXPECT_EQ(status->last_run->run_id, *started);
}

TEST_F(SyncEngineTest, InactiveIntegrationsAreNeverCalled) {
  std::string active = AddIntegration();
  std::string inactive = AddIntegration();
  ASSERT_TRUE(integrations_->SetActive(access::Actor::LocalOperator(), inactive, false).ok());
  SyncEngine& engine = Engine(SmallPages());
  auto refused = engine.Run(inactive);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().error_code(), "integration_inactive");
  auto started = engine.SyncActiveIntegrations();
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(*started, std::vector<std::string>{active});
  engine.WaitForBackgroundRuns();
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE integration_id = $1", {inactive}), 0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM sync_runs WHERE integration_id = $1 AND status = "
                      "'succeeded'",
                      {active}),
            1);
}

}  // namespace
}  // namespace stripeline::sync
