#pragma once
// SyncStateStore: the repository of the sync's own bookkeeping, the sync_* tables
// (docs/schema.md): per-integration stream state, backfill slices with their checkpoints, the
// incremental event cursor, runs and their per-stream outcome, the processed-event dedupe
// records. Plain reads and writes in portable SQL; the run decides what they mean. States are
// enums here (sync_types.h); their names are what the tables hold.
//
// The other repositories of src/sync: SyncedData (synced_data.h, reads and removals of the
// stripe_* tables), ObjectWriter (object_writer.h, their writes), SyncLeases (sync_lease.h).
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
#include "sync/data_scope.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

struct StreamRecord {
  std::string stream;
  StreamState state = StreamState::kPending;
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
  std::string stream;
  StreamState state = StreamState::kPending;
  int64_t objects = 0;
  std::string error;
  std::optional<std::string> missing_permission;
};

struct RunRecord {
  std::string id, integration_id;
  RunKind kind = RunKind::kIncremental;
  RunStatus status = RunStatus::kRunning;
  std::string error, note;
  int64_t started_at = 0;
  std::optional<int64_t> finished_at;
  int64_t objects = 0, events = 0;
  std::vector<RunStreamRecord> streams;
};

class SyncStateStore {
 public:
  explicit SyncStateStore(store::Database& db) : db_(db) {}

  // ---- sync_streams ----
  Result<std::vector<StreamRecord>> Streams(const std::string& integration_id);
  Result<std::optional<StreamRecord>> Stream(const std::string& integration_id,
                                             const std::string& stream);
  // Inserts or replaces the row (updated_at included).
  Status PutStream(const std::string& integration_id, const StreamRecord& record);
  // A fresh backfill of the stream is planned: objects_synced restarts at 0 and the rows it
  // writes carry `version` (backfill_version).
  Status ResetStreamBackfill(const std::string& integration_id, const std::string& stream,
                             int64_t version);
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
  // Forgets the cursor (a re-backfill sets a fresh one).
  Status DeleteCursor(const std::string& integration_id);

  // ---- sync_runs / sync_run_streams ----
  Status CreateRun(const RunRecord& run);
  // Records the kind of a run in progress (it becomes a backfill when it finds streams to
  // backfill), so a run that never finishes keeps its real kind.
  Status SetRunKind(const std::string& run_id, RunKind kind);
  // Writes status, error, note, counters, finished_at and the per-stream rows. Idempotent.
  Status FinishRun(const RunRecord& run);
  // Runs left 'running' by a process that stopped become 'failed' ("interrupted"); returns how
  // many.
  Result<int64_t> MarkInterruptedRuns(const std::string& integration_id, int64_t now);
  // Newest first, with their streams.
  Result<std::vector<RunRecord>> Runs(const std::string& integration_id, int limit);
  Result<std::optional<RunRecord>> GetRun(const std::string& run_id);

  // Removes every row of the integration in sync_streams, sync_slices, sync_cursors, sync_runs
  // and sync_run_streams (its data is being deleted).
  Status DeleteIntegration(const std::string& integration_id);

  // ---- sync_processed_events (per scope: an account's test and live events apart) ----
  Result<bool> IsProcessed(const DataScope& scope, const std::string& event_id);
  // False when it was already recorded.
  Result<bool> MarkProcessed(const DataScope& scope, const std::string& event_id,
                             int64_t event_created, int64_t now);
  // Forgets the scope's dedupe records (its synced rows are being removed).
  Status DeleteProcessedEvents(const DataScope& scope);

 private:
  Result<std::vector<RunStreamRecord>> RunStreams(const std::string& run_id);

  store::Database& db_;
};

}  // namespace stripeline::sync
