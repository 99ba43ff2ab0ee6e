#pragma once
// SyncStateStore: the sync engine's own bookkeeping in the sync_* tables of migration 2
// (docs/schema.md): per-integration stream state, backfill slices with their checkpoints, the
// incremental event cursor, runs and their per-stream outcome. Plain reads and writes in
// portable SQL; the engine decides what they mean.
//
// Thread-safety: thread-safe (the Database is). Methods that must be atomic together are run by
// the caller inside Database::Transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/database.h"

namespace stripeline::sync {

// Stream states (sync_streams.state, sync_run_streams.state, StreamProgress::state).
inline constexpr char kStatePending[] = "pending";        // backfill not started or not finished
inline constexpr char kStateRunning[] = "running";        // being backfilled by a run now
inline constexpr char kStateSynced[] = "synced";          // backfill complete; kept by events
inline constexpr char kStateFailed[] = "failed";          // an error outlasted every retry
inline constexpr char kStateMissingPermission[] = "missing_permission";  // 403 naming a rak_
inline constexpr char kStatePaused[] = "paused";          // the key was refused (401); resumes
// The endpoint is closed to this kind of key (GET /v1/account for restricted keys): recorded,
// explained, and not counted as an error of the run.
inline constexpr char kStateUnavailableToKey[] = "unavailable_to_key";

// Run statuses (sync_runs.status).
inline constexpr char kRunRunning[] = "running";
inline constexpr char kRunSucceeded[] = "succeeded";
inline constexpr char kRunSucceededWithErrors[] = "succeeded_with_errors";
inline constexpr char kRunFailed[] = "failed";
inline constexpr char kRunPaused[] = "paused";

struct StreamRecord {
  std::string stream;
  std::string state = kStatePending;
  int64_t objects_synced = 0;
  std::string last_error;
  std::optional<std::string> missing_permission;
  int64_t updated_at = 0;
  // The version the stream's current backfill writes on its rows, fixed when its slices are
  // planned (so a resumed backfill writes the same one); null before the first plan.
  std::optional<int64_t> backfill_version;
};

struct SliceRecord {
  std::string stream;
  int64_t start = 0;  // created >= start
  int64_t end = 0;    // created < end; kOpenEnd for the newest slice (no upper bound sent)
  std::optional<std::string> cursor;  // starting_after: the last object written
  bool done = false;
  int64_t objects = 0;
};
// slice_end of the newest slice of a stream: no created[lt] is sent for it, so objects created
// while the backfill runs are not missed even when our clock lags Stripe's.
inline constexpr int64_t kOpenEnd = 253402300800;  // 10000-01-01

struct CursorRecord {
  std::string account_id;
  std::optional<std::string> last_event_id;  // newest event applied; null: start from the oldest
  std::optional<int64_t> last_event_created;
  std::optional<int64_t> backfill_completed_at;
};

struct RunStreamRecord {
  std::string stream, state;
  int64_t objects = 0;
  std::string error;
  std::optional<std::string> missing_permission;
};

struct RunRecord {
  std::string id, integration_id, kind, status, error, note;
  int64_t started_at = 0;
  std::optional<int64_t> finished_at;
  int64_t objects = 0, events = 0;
  std::vector<RunStreamRecord> streams;
};

class SyncStateStore {
 public:
  explicit SyncStateStore(store::Database& db) : db_(db) {}

  store::Database& database() { return db_; }

  // ---- sync_streams ----
  Result<std::vector<StreamRecord>> Streams(const std::string& integration_id);
  Result<std::optional<StreamRecord>> Stream(const std::string& integration_id,
                                             const std::string& stream);
  // Inserts or replaces the row (updated_at included).
  Status PutStream(const std::string& integration_id, const StreamRecord& record);
  // Adds `objects` to objects_synced.
  Status AddStreamObjects(const std::string& integration_id, const std::string& stream,
                          int64_t objects, int64_t now);

  // ---- sync_slices ----
  // Every slice of the integration (done or not), by stream then slice_end descending.
  Result<std::vector<SliceRecord>> Slices(const std::string& integration_id);
  Status InsertSlice(const std::string& integration_id, const SliceRecord& slice, int64_t now);
  Status SetSliceStart(const std::string& integration_id, const std::string& stream,
                       int64_t end, int64_t start, int64_t now);
  // Moves a slice's end (and clears its cursor): used when its cursor object vanished.
  Status RestartSlice(const std::string& integration_id, const std::string& stream,
                      int64_t old_end, int64_t new_end, int64_t now);
  // The checkpoint written in the same transaction as a page's rows.
  Status CheckpointSlice(const std::string& integration_id, const std::string& stream,
                         int64_t end, const std::optional<std::string>& cursor, bool done,
                         int64_t objects_added, int64_t now);
  Status DeleteSlices(const std::string& integration_id, const std::string& stream);

  // ---- sync_cursors ----
  Result<std::optional<CursorRecord>> Cursor(const std::string& integration_id);
  Status PutCursor(const std::string& integration_id, const CursorRecord& cursor, int64_t now);

  // ---- sync_runs / sync_run_streams ----
  Status CreateRun(const RunRecord& run);
  // Writes status, error, note, counters, finished_at and the per-stream rows.
  Status FinishRun(const RunRecord& run);
  // Runs left 'running' by a process that stopped become 'failed' ("interrupted"); returns how
  // many.
  Result<int64_t> MarkInterruptedRuns(const std::string& integration_id, int64_t now);
  // Newest first, with their streams.
  Result<std::vector<RunRecord>> Runs(const std::string& integration_id, int limit);
  Result<std::optional<RunRecord>> GetRun(const std::string& run_id);

  // ---- sync_processed_events ----
  Result<bool> IsProcessed(const std::string& account_id, const std::string& event_id);
  // False when it was already recorded.
  Result<bool> MarkProcessed(const std::string& account_id, const std::string& event_id,
                             int64_t event_created, int64_t now);

 private:
  Result<std::vector<RunStreamRecord>> RunStreams(const std::string& run_id);

  store::Database& db_;
};

}  // namespace stripeline::sync
