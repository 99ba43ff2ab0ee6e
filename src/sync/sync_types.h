#pragma once
// The values the sync engine's API takes and returns (SyncEngine in sync_engine.h): options,
// progress, run results, status, verification. Plain values; copyable; no invariants.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stripeline::sync {

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
  // Test seam: after this many backfill pages were written, the run stops dead like a killed
  // process: no further writes, the run row stays 'running' (the next run marks it
  // interrupted). Run() then returns Internal "simulated crash". 0 = never.
  int64_t crash_after_pages = 0;
};

struct StreamProgress {
  std::string stream;
  std::string state;    // sync_state.h kState*
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
  std::string kind;    // "backfill" | "incremental"
  std::string status;  // sync_state.h kRun*
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

enum class ExportFormat { kCsv, kJsonLines };

}  // namespace stripeline::sync
