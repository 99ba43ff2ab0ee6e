#pragma once
// The values the sync engine's API takes and returns (SyncEngine in sync_engine.h): options,
// progress, run results, status, verification, and the sync's state machines as enums. Plain
// values; copyable; no invariants.
//
// The enums' names (Name/Parse) are the strings stored in the database and shown in JSON; they
// are converted only at the row mappers (sync_state.cc) and the views (sync_views.cc).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace stripeline::sync {

// Where one stream of an integration stands (sync_streams.state, sync_run_streams.state).
enum class StreamState {
  kPending,            // "pending": backfill not started or not finished
  kRunning,            // "running": being backfilled by a run now
  kSynced,             // "synced": backfill complete; kept by events
  kFailed,             // "failed": an error outlasted every retry
  kMissingPermission,  // "missing_permission": a 403 naming a rak_ permission
  kPaused,             // "paused": the key was refused (401); resumes after a reconnect
  // "unavailable_to_key": the endpoint is closed to this kind of key (GET /v1/account for
  // restricted keys): recorded, explained, and not counted as an error of the run.
  kUnavailableToKey,
};

// How a run ended, or that it has not yet (sync_runs.status).
enum class RunStatus {
  kRunning,              // "running"
  kSucceeded,            // "succeeded"
  kSucceededWithErrors,  // "succeeded_with_errors"
  kFailed,               // "failed"
  kPaused,               // "paused"
};

// What a run did (sync_runs.kind): a backfill of at least one stream, or only the events poll.
enum class RunKind {
  kBackfill,     // "backfill"
  kIncremental,  // "incremental"
};

// Where a verification (a background comparison with Stripe, verification_jobs.h) stands
// (sync_verifications.state).
enum class VerificationState {
  kQueued,     // "queued": accepted, waiting for a verification worker
  kRunning,    // "running": listing Stripe now
  kSucceeded,  // "succeeded": compared every stream (the report says equal or different)
  kFailed,     // "failed": could not compare (a database error, or the process stopped)
  kCanceled,   // "canceled": stopped on request, or because the server shut down
};

std::string_view Name(StreamState state);
std::string_view Name(RunStatus status);
std::string_view Name(RunKind kind);
std::string_view Name(VerificationState state);
// The inverse of Name; InvalidArgument for any other text.
Result<StreamState> ParseStreamState(std::string_view name);
Result<RunStatus> ParseRunStatus(std::string_view name);
Result<RunKind> ParseRunKind(std::string_view name);
Result<VerificationState> ParseVerificationState(std::string_view name);
// Queued or running: the verification has not ended.
bool IsActive(VerificationState state);

struct SyncOptions {
  // Worker threads per run: parallel requests to Stripe (a page takes 0.2-1 s, so reaching
  // 100 requests/s needs many in flight: at 250 ms per page a worker's round trip is ~0.3 s
  // with parsing and writing, so 30 are the bare minimum; 48 leave room for a busy machine
  // and slower pages). The rate limiter keeps them under the account's limit, and idle
  // workers hold no page, so memory does not grow with them (docs/PERFORMANCE.md).
  int workers = 48;
  // `limit` of every list page (Stripe's maximum is 100).
  int page_size = 100;
  // The most slices a sliceable stream is split into once its first (newest) page shows its
  // density (each at least 4 pages; backfill.h). Idle workers then split the busiest slice in
  // two, so slices follow the data wherever it is dense.
  int initial_slices = 8;
  // Lower bound of a backfill when the account's `created` is unknown (restricted keys cannot
  // read /v1/account): 2011-01-01, before any Stripe object.
  int64_t backfill_floor = 1293840000;
  // Stripe keeps events this long; a cursor older than this triggers a re-backfill.
  int64_t events_window_seconds = 30 * 86400;
  // How long a run's lease (sync_lease.h) outlives its last renewal: a process that died
  // without releasing it on another host blocks syncs of its integration this long (on this
  // host a dead holder is noticed at once).
  std::chrono::seconds lease_ttl{60};
  // Streams to sync; empty means every stream of the stream table.
  std::vector<std::string> streams;
  // Threads that run verifications (verification_jobs.h), each one at a time; more wait in
  // their queue. Verifications are paced by their accounts' limiters, so more threads would
  // mostly wait too, while each holds a whole stream's ids in memory.
  int verify_workers = 4;
};

struct StreamProgress {
  std::string stream;
  StreamState state = StreamState::kPending;
  int64_t objects = 0;  // objects written in this run (Status(): in total)
  int64_t slices_done = 0, slices_total = 0;
  std::string error;
  std::optional<std::string> missing_permission;  // rak_... when state is missing_permission
};

struct SyncProgress {
  std::string run_id;
  std::vector<StreamProgress> streams;  // stream table order
  int64_t objects = 0;                  // written in this run so far
  int64_t requests = 0;                 // Stripe requests made so far
  double objects_per_second = 0;
};
// Called from worker threads, one call at a time, after every written page and state change.
// Must be quick and must not call back into the engine for the same integration.
using ProgressCallback = std::function<void(const SyncProgress&)>;

struct SyncRunResult {
  std::string run_id, integration_id;
  RunKind kind = RunKind::kIncremental;
  RunStatus status = RunStatus::kRunning;
  std::string error;   // why it failed or paused; empty on success
  std::string note;    // e.g. why a re-backfill happened
  int64_t started_at = 0;
  std::optional<int64_t> finished_at;
  int64_t objects = 0;  // objects written by the backfill part
  int64_t events = 0;   // events applied by the incremental part
  int64_t requests = 0;
  double seconds = 0;
  double objects_per_second = 0;
  std::vector<StreamProgress> streams;
};

struct SyncStatus {
  std::string integration_id;
  bool running = false;
  // Per stream: state, objects synced in total, last error, missing permission.
  std::vector<StreamProgress> streams;
  // The run in progress (live counters), else the last finished one.
  std::optional<SyncRunResult> current_run;
  std::optional<SyncRunResult> last_run;
  double objects_per_second = 0;  // of the current run, else of the last one
  std::optional<std::string> last_event_id;
  std::optional<int64_t> last_event_created;
  std::optional<int64_t> backfill_completed_at;
};

struct StreamVerification {
  std::string stream;
  // "equal", "different", "unreadable" (the key cannot read it; error says why).
  std::string result;
  int64_t local_count = 0, remote_count = 0;
  // Up to 20 ids each.
  std::vector<std::string> missing_locally, extra_locally;
  std::string error;
};

struct VerifyReport {
  std::string integration_id;
  bool equal = true;  // every readable stream equal
  std::vector<StreamVerification> streams;
};

// One verification of an integration, as kept in sync_verifications: what it compared once it
// succeeded (`report`), or why it failed or was canceled (`error`).
struct Verification {
  std::string id, integration_id;
  VerificationState state = VerificationState::kQueued;
  int64_t started_at = 0;  // when it was asked for
  std::optional<int64_t> finished_at;
  std::string error;
  std::optional<VerifyReport> report;  // set when succeeded
};

enum class ExportFormat { kCsv, kJsonLines };

}  // namespace stripeline::sync
