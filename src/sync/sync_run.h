#pragma once
// SyncRun: one run of one integration (the outcome rules are SyncEngine's, sync_engine.h), as
// its phases:
//
//   Prepare   runs a process left 'running' become failed ("interrupted"); this run is recorded;
//   Backfill  (backfill.h) every selected stream not synced yet — the event cursor is set to
//             the newest event first, so nothing that happens meanwhile is missed;
//   Events    the events poll from the cursor (incremental.h); when the cursor fell out of
//             Stripe's 30-day window, every stream is re-backfilled and polled again once;
//   Outcome   the per-stream results and the run's status, recorded in sync_runs.
//
// The engine claims the integration (one run at a time) before it makes a SyncRun.
//
// Thread-safety: Execute runs once, from one thread; run_id, started_at, kind and context may
// be read from any thread meanwhile (for the engine's live status).

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "integrations/integration_service.h"
#include "store/database.h"
#include "store/store.h"
#include "stripe/client.h"
#include "sync/event_applier_impl.h"
#include "sync/run_context.h"
#include "sync/stream_table.h"
#include "sync/sync_state.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

// What every run of an engine uses; all must outlive the runs.
struct RunServices {
  store::Store& store;            // the integrations' last_sync_at
  store::Database& db;            // the backfill's and the re-backfill's transactions
  SyncStateStore& state;
  integrations::IntegrationService& integrations;  // health, when Stripe refuses the key
  StoreEventApplier& applier;
  const SyncOptions& options;
  Clock& clock;
  const std::atomic<bool>& shutdown;  // the engine is stopping: runs stop after their page
};

// The API's view of a recorded run (no live counters: requests, slices).
SyncRunResult ResultOf(const RunRecord& run);

class SyncRun {
 public:
  SyncRun(const RunServices& services, SyncTarget target, std::string run_id,
          std::vector<const StreamSpec*> streams, ProgressCallback progress);
  SyncRun(const SyncRun&) = delete;
  SyncRun& operator=(const SyncRun&) = delete;

  // Runs the phases and returns the recorded result, also when the run failed or paused (see
  // its status). Errors are database errors; the run row may then stay 'running': when the
  // outcome was decided but could not be written, unrecorded() holds it (the engine records it
  // later); otherwise the next run of the integration marks the row interrupted (the process
  // stopped) and resumes from the checkpoints.
  Result<SyncRunResult> Execute();
  // The outcome Execute decided but could not record; nullopt otherwise. After Execute.
  const std::optional<RunRecord>& unrecorded() const { return unrecorded_; }

  const std::string& run_id() const { return run_id_; }
  int64_t started_at() const { return started_at_; }
  RunKind kind() const { return kind_.load(); }
  const RunContext& context() const { return context_; }

 private:
  Status Prepare();
  // Backfills what needs it, then polls events. An OK return may still be a failed or paused
  // run (failures_, auth_error_); an error is a database error.
  Status Phases();
  // Backfills `streams`, setting the event cursor first if there is none. False when the run
  // must not go on (stopped, paused, or the newest event could not be read).
  Result<bool> BackfillPhase(const std::vector<const StreamSpec*>& streams);
  Status EventsPhase();
  // Forgets every selected stream's slices and the cursor, so BackfillPhase starts afresh.
  Status ResetForRebackfill();
  Result<std::map<std::string, StreamRecord>> LoadStates();
  // Decides the status from `phases` and the stream states, and records the run.
  Result<SyncRunResult> Outcome(const Status& phases);

  const RunServices& services_;
  const SyncTarget target_;
  const std::string run_id_;
  const std::vector<const StreamSpec*> streams_;
  const int64_t started_at_;
  RunContext context_;
  std::atomic<RunKind> kind_{RunKind::kIncremental};

  // Execute's thread only.
  RunRecord run_;
  std::optional<stripe::StripeError> auth_error_;
  std::vector<std::string> failures_;
  std::vector<std::string> notes_;
  bool events_unreadable_ = false;
  std::optional<RunRecord> unrecorded_;
};

}  // namespace stripeline::sync
