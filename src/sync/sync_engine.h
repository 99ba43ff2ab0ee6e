#pragma once
// SyncEngine: keeps a local copy of each integration's Stripe data — the façade the REST
// handlers, the CLI and the scheduler call. It holds which integration runs where (one run at
// a time, leases) and delegates each job: a run to SyncRun (sync_run.h), the schedule to
// Scheduler (scheduler.h), verification to Verifier (verifier.h) — in the background through
// VerificationJobs (verification_jobs.h) —, exports to Exporter (exporter.h); the SQL is in the
// repositories SyncStateStore, SyncedData, ObjectWriter and VerificationStore.
// A run of an integration is:
//
//   1. a backfill (backfill.h) of every stream not yet synced — all of them the first time,
//      then only those that failed, lacked a permission or were paused — resuming from the
//      checkpoints of sync_slices; before the first backfill the event cursor is set to the
//      newest event, so nothing that happens during the backfill is missed;
//   2. an incremental poll (incremental.h) of /v1/events from the cursor, each event applied by
//      the EventApplier (event_applier_impl.h). When the cursor fell out of Stripe's 30-day
//      window, every stream is re-backfilled automatically and the run's note says why.
//
// Outcome rules (sync_runs.status), in order:
//   paused                 the key was refused (401, or 403 account_invalid): health becomes
//                          needs_reconnect via IntegrationService::RecordCheck; the checkpoints
//                          are kept and the next run after a reconnect resumes from them;
//   failed                 a stream failed (an error outlasting every retry), the events poll
//                          failed, or a database error; never reported as success;
//   succeeded_with_errors  every readable stream synced, but at least one stream lacks a named
//                          permission (state missing_permission, missing_permission = rak_...);
//   succeeded              everything synced.
// A stream the key can never read by design (GET /v1/account with a restricted key) is
// recorded as unavailable_to_key with the reason, and does not change the outcome.
//
// Every request to Stripe goes through the account's stripe::AccountSession, whose client takes
// a token from the account's limiter (RateLimiterRegistry, shared by every integration reaching
// that account) for every attempt, retries included. Inactive integrations are never called.
//
// Thread-safety: thread-safe. At most one run per integration at a time: a second Run/Start
// while one runs is FailedPrecondition (sync_running), in this process or in another one on
// the same database (a lease, sync_lease.h, held for the run and renewed every lease_ttl/3).
// Runs of different integrations proceed in parallel. The database, store, integration service,
// client, registry and clock must outlive the engine; the destructor stops the scheduler,
// cancels the verifications and waits for background runs (which stop after their current page).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "integrations/integration_service.h"
#include "store/database.h"
#include "store/store.h"
#include "stripe/client.h"
#include "stripe/rate_limiter.h"
#include "sync/event_applier.h"
#include "sync/event_applier_impl.h"
#include "sync/exporter.h"
#include "sync/scheduler.h"
#include "sync/sync_lease.h"
#include "sync/sync_run.h"
#include "sync/sync_state.h"
#include "sync/synced_data.h"
#include "sync/sync_types.h"
#include "sync/verification_jobs.h"
#include "sync/verification_store.h"
#include "sync/verifier.h"

namespace stripeline::sync {

class SyncEngine {
 public:
  // `db` holds the engine's tables (sync_migrations.h), read and written by the repositories
  // built over it here; `store` gives the integrations and their timestamps (the same database:
  // the composition root opens it once).
  SyncEngine(store::Database& db, store::Store& store,
             integrations::IntegrationService& integrations,
             const stripe::Client& client, stripe::RateLimiterRegistry& limiters, Clock& clock,
             SyncOptions options = {});
  ~SyncEngine();
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // Runs one sync of `integration_id` in the calling thread (backfill if not complete, then the
  // events poll) and returns its result, also when the run failed or paused (see status).
  // Errors: NotFound (no such integration), FailedPrecondition (inactive, no Stripe account id
  // known yet, or a run of it is already in progress), database errors.
  Result<SyncRunResult> Run(const std::string& integration_id,
                            const ProgressCallback& progress = {});

  // Starts a run in a background thread and returns its run id. Same errors as Run, checked
  // before returning.
  Result<std::string> Start(const std::string& integration_id);
  // Blocks until no background run is in progress.
  void WaitForBackgroundRuns();

  // Per-stream state and totals, the run in progress (live) and the last finished run.
  Result<SyncStatus> Status(const std::string& integration_id);
  // The integration's runs, newest first (at most `limit`).
  Result<std::vector<SyncRunResult>> Runs(const std::string& integration_id, int limit = 20);

  // Starts (or restarts with a new interval) a thread that, every `interval`, starts a run of
  // each active integration that has none in progress.
  void StartScheduler(std::chrono::milliseconds interval);
  // One scheduler tick: starts a background run of every active integration not already
  // running; returns their ids. Inactive integrations are never called.
  Result<std::vector<std::string>> SyncActiveIntegrations();
  // Stops the scheduler, cancels every verification, asks every run to stop after its current
  // page, and waits for the background ones. Idempotent; afterwards Run/Start refuse (FailedPrecondition). Runs stopped
  // this way end `failed` ("stopped: ... shutting down") with their checkpoints kept, so the
  // next run resumes. Requests to Stripe still waiting to be retried (a run's, a tie's
  // re-fetch) are abandoned.
  void Stop();
  // The same without waiting for the background runs (Stop waits).
  void RequestStop();

  // Compares the local ids of every stream with Stripe's (Verifier, verifier.h), in the calling
  // thread (the CLI's `verify`); nothing is recorded.
  Result<VerifyReport> Verify(const std::string& integration_id);

  // Starts a verification of `integration_id` in the background (VerificationJobs): the new
  // one, or the one of it that has not ended (not started). Errors: those of Run's checks;
  // FailedPrecondition sync_running while a sync of it runs in this process (its tables are
  // changing, so differences would mean nothing), verify_stopping after Stop.
  Result<VerificationStart> StartVerification(const std::string& integration_id);
  // The integration's newest verification, if any (a running one included).
  Result<std::optional<Verification>> LatestVerification(const std::string& integration_id);
  // Cancels the integration's verification in progress (VerificationJobs::Cancel).
  Result<Verification> CancelVerification(const std::string& integration_id);
  // Blocks until no verification of this process is queued or running.
  void WaitForVerifications() { verifications_.WaitUntilIdle(); }

  // Writes the non-deleted rows of `stream` for the integration's account to `out` (Exporter,
  // exporter.h). InvalidArgument for an unknown stream.
  ::stripeline::Status Export(const std::string& integration_id, const std::string& stream,
                              ExportFormat format, std::ostream& out);

  // Removes what syncing `integration` stored, for a delete with keep_data=false: its sync
  // state (streams, slices, event cursor, runs) and — only when no other integration reaches
  // the same Stripe account, since rows are keyed by account and shared — that account's rows
  // in every stream table and its event dedupe records. Returns a sentence saying what was
  // removed (for the user and the audit log). FailedPrecondition (sync_running) while a run of
  // the integration is in progress; no run of it starts meanwhile. Call it inside the
  // transaction that deletes the integration, so both happen or neither.
  Result<std::string> DeleteSyncedData(const store::Integration& integration);

  // The EventApplier that webhook intake calls (the same rules as the events poll).
  StoreEventApplier& event_applier() { return applier_; }

  const SyncOptions& options() const { return options_; }

 private:
  struct Prepared;
  struct Live;

  // Validates the integration and builds what a run needs.
  Result<Prepared> Prepare(const std::string& integration_id);
  // Claims the integration here and its lease in the database (FailedPrecondition
  // sync_running when a run of it is in progress, here or in another process).
  ::stripeline::Status Claim(const std::string& integration_id);
  void Release(const std::string& integration_id);
  bool IsRunning(const std::string& integration_id);
  // Runs `prepared` as run `run_id`, visible to Status while it runs.
  Result<SyncRunResult> Execute(const Prepared& prepared, const std::string& run_id,
                                const ProgressCallback& progress);
  stripe::StripeResult<std::optional<boost::json::object>> Refetch(
      const std::string& integration_id, const StreamSpec& stream, const std::string& id);
  std::vector<const StreamSpec*> SelectedStreams() const;
  void ReapFinished();  // requires mu_
  // Writes the outcome of the integration's last run that could not be recorded when it
  // finished (unrecorded_), if any.
  ::stripeline::Status RecordUnrecorded(const std::string& integration_id);
  // `run` as the API shows it: its unrecorded outcome when it has one.
  RunRecord WithOutcome(RunRecord run);

  store::Store& store_;
  store::Database& db_;  // for every repository below
  integrations::IntegrationService& integrations_;
  const stripe::Client& client_;
  stripe::RateLimiterRegistry& limiters_;
  Clock& clock_;
  const SyncOptions options_;
  SyncStateStore state_;
  SyncedData data_;
  StoreEventApplier applier_;
  Verifier verifier_;
  Exporter exporter_;
  VerificationStore verification_store_;
  VerificationJobs verifications_;

  std::atomic<bool> shutdown_{false};
  const RunServices services_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> running_;                     // guarded by mu_
  std::map<std::string, std::shared_ptr<Live>> live_;  // run in progress by integration; mu_
  std::vector<std::pair<std::shared_ptr<std::atomic<bool>>, std::thread>> threads_;  // mu_
  // Outcomes of finished runs the database refused to record (e.g. a full disk), by
  // integration: written before its next run, and shown meanwhile instead of the row's
  // 'running' (which would otherwise be taken for a run whose process died). Guarded by mu_.
  std::map<std::string, RunRecord> unrecorded_;
  Scheduler scheduler_;
  SyncLeases leases_;
  LeaseKeeper lease_keeper_;  // last: it starts a thread that uses the members above
};

}  // namespace stripeline::sync
