#include "sync/sync_state.h"

namespace stripeline::sync {

using store::OptionalValue;
using store::Row;
using store::Rows;
using store::Value;

namespace {

Result<StreamRecord> StreamFromRow(const Row& row) {
  StreamRecord r;
  r.stream = row.GetString("stream");
  SL_ASSIGN_OR_RETURN(r.state, ParseStreamState(row.GetString("state")));
  r.objects_synced = row.GetInt("objects_synced");
  r.last_error = row.GetString("last_error");
  r.missing_permission = row.GetOptionalString("missing_permission");
  r.updated_at = row.GetInt("updated_at");
  r.backfill_version = row.GetOptionalInt("backfill_version");
  return r;
}

Result<RunRecord> RunFromRow(const Row& row) {
  RunRecord r;
  r.id = row.GetString("id");
  r.integration_id = row.GetString("integration_id");
  SL_ASSIGN_OR_RETURN(r.kind, ParseRunKind(row.GetString("kind")));
  r.started_at = row.GetInt("started_at");
  r.finished_at = row.GetOptionalInt("finished_at");
  SL_ASSIGN_OR_RETURN(r.status, ParseRunStatus(row.GetString("status")));
  r.error = row.GetString("error");
  r.note = row.GetString("note");
  r.objects = row.GetInt("objects");
  r.events = row.GetInt("events");
  return r;
}

constexpr char kStreamColumns[] =
    "stream, state, objects_synced, last_error, missing_permission, updated_at, "
    "backfill_version";
constexpr char kRunColumns[] =
    "id, integration_id, kind, started_at, finished_at, status, error, note, objects, events";

}  // namespace

Result<std::vector<StreamRecord>> SyncStateStore::Streams(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query(std::string("SELECT ") + kStreamColumns +
                                               " FROM sync_streams WHERE integration_id = $1",
                                           {integration_id}));
  std::vector<StreamRecord> out;
  for (const Row& row : rows) {
    SL_ASSIGN_OR_RETURN(StreamRecord record, StreamFromRow(row));
    out.push_back(std::move(record));
  }
  return out;
}

Result<std::optional<StreamRecord>> SyncStateStore::Stream(const std::string& integration_id,
                                                           const std::string& stream) {
  SL_ASSIGN_OR_RETURN(
      Rows rows, db_.Query(std::string("SELECT ") + kStreamColumns +
                               " FROM sync_streams WHERE integration_id = $1 AND stream = $2",
                           {integration_id, stream}));
  if (rows.empty()) return std::optional<StreamRecord>();
  SL_ASSIGN_OR_RETURN(StreamRecord record, StreamFromRow(rows[0]));
  return std::optional<StreamRecord>(std::move(record));
}

Status SyncStateStore::PutStream(const std::string& integration_id, const StreamRecord& r) {
  return db_
      .Execute(
          "INSERT INTO sync_streams (integration_id, stream, state, objects_synced, last_error, "
          "missing_permission, updated_at, backfill_version) VALUES ($1, $2, $3, $4, $5, $6, "
          "$7, $8) ON CONFLICT (integration_id, stream) DO UPDATE SET state = excluded.state, "
          "objects_synced = excluded.objects_synced, last_error = excluded.last_error, "
          "missing_permission = excluded.missing_permission, updated_at = excluded.updated_at, "
          "backfill_version = excluded.backfill_version",
          {integration_id, r.stream, std::string(Name(r.state)), r.objects_synced, r.last_error,
           OptionalValue(r.missing_permission), r.updated_at, OptionalValue(r.backfill_version)})
      .status();
}

Status SyncStateStore::ResetStreamBackfill(const std::string& integration_id,
                                           const std::string& stream, int64_t version) {
  return db_
      .Execute("UPDATE sync_streams SET objects_synced = 0, backfill_version = $3 "
               "WHERE integration_id = $1 AND stream = $2",
               {integration_id, stream, version})
      .status();
}

Status SyncStateStore::AddStreamObjects(const std::string& integration_id,
                                        const std::string& stream, int64_t objects,
                                        int64_t now) {
  return db_
      .Execute(
          "UPDATE sync_streams SET objects_synced = objects_synced + $3, updated_at = $4 "
          "WHERE integration_id = $1 AND stream = $2",
          {integration_id, stream, objects, now})
      .status();
}

Result<std::vector<SliceRecord>> SyncStateStore::Slices(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("SELECT stream, slice_start, slice_end, cursor, done, objects FROM sync_slices "
                "WHERE integration_id = $1 ORDER BY stream, slice_end DESC",
                {integration_id}));
  std::vector<SliceRecord> out;
  for (const Row& row : rows) {
    SliceRecord s;
    s.stream = row.GetString(0);
    s.start = row.GetInt(1);
    s.end = row.GetInt(2);
    s.cursor = row.GetOptionalString(3);
    s.done = row.GetBool(4);
    s.objects = row.GetInt(5);
    out.push_back(std::move(s));
  }
  return out;
}

Status SyncStateStore::InsertSlice(const std::string& integration_id, const SliceRecord& s,
                                   int64_t now) {
  return db_
      .Execute(
          "INSERT INTO sync_slices (integration_id, stream, slice_start, slice_end, cursor, done, "
          "objects, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          {integration_id, s.stream, s.start, s.end, OptionalValue(s.cursor),
           int64_t{s.done ? 1 : 0}, s.objects, now})
      .status();
}

Status SyncStateStore::SetSliceStart(const std::string& integration_id, const std::string& stream,
                                     int64_t end, int64_t start, int64_t now) {
  return db_
      .Execute(
          "UPDATE sync_slices SET slice_start = $4, updated_at = $5 "
          "WHERE integration_id = $1 AND stream = $2 AND slice_end = $3",
          {integration_id, stream, end, start, now})
      .status();
}

Status SyncStateStore::RestartSlice(const std::string& integration_id, const std::string& stream,
                                    int64_t old_end, int64_t new_end, int64_t now) {
  return db_
      .Execute(
          "UPDATE sync_slices SET slice_end = $4, cursor = NULL, updated_at = $5 "
          "WHERE integration_id = $1 AND stream = $2 AND slice_end = $3",
          {integration_id, stream, old_end, new_end, now})
      .status();
}

Status SyncStateStore::CheckpointSlice(const std::string& integration_id,
                                       const std::string& stream, int64_t end,
                                       const std::optional<std::string>& cursor, bool done,
                                       int64_t objects_added, int64_t now) {
  return db_
      .Execute(
          "UPDATE sync_slices SET cursor = $4, done = $5, objects = objects + $6, updated_at = $7 "
          "WHERE integration_id = $1 AND stream = $2 AND slice_end = $3",
          {integration_id, stream, end, OptionalValue(cursor), int64_t{done ? 1 : 0},
           objects_added, now})
      .status();
}

Status SyncStateStore::DeleteSlices(const std::string& integration_id, const std::string& stream) {
  return db_
      .Execute("DELETE FROM sync_slices WHERE integration_id = $1 AND stream = $2",
               {integration_id, stream})
      .status();
}

Result<std::optional<CursorRecord>> SyncStateStore::Cursor(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(
      Rows rows,
      db_.Query("SELECT account_id, last_event_id, last_event_created, backfill_completed_at "
                "FROM sync_cursors WHERE integration_id = $1",
                {integration_id}));
  if (rows.empty()) return std::optional<CursorRecord>();
  CursorRecord c;
  c.account_id = rows[0].GetString(0);
  c.last_event_id = rows[0].GetOptionalString(1);
  c.last_event_created = rows[0].GetOptionalInt(2);
  c.backfill_completed_at = rows[0].GetOptionalInt(3);
  return std::optional<CursorRecord>(c);
}

Status SyncStateStore::PutCursor(const std::string& integration_id, const CursorRecord& c,
                                 int64_t now) {
  return db_
      .Execute(
          "INSERT INTO sync_cursors (integration_id, account_id, last_event_id, "
          "last_event_created, backfill_completed_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) "
          "ON CONFLICT (integration_id) DO UPDATE SET account_id = excluded.account_id, "
          "last_event_id = excluded.last_event_id, last_event_created = "
          "excluded.last_event_created, backfill_completed_at = excluded.backfill_completed_at, "
          "updated_at = excluded.updated_at",
          {integration_id, c.account_id, OptionalValue(c.last_event_id),
           OptionalValue(c.last_event_created), OptionalValue(c.backfill_completed_at), now})
      .status();
}

Status SyncStateStore::DeleteCursor(const std::string& integration_id) {
  return db_.Execute("DELETE FROM sync_cursors WHERE integration_id = $1", {integration_id})
      .status();
}

Status SyncStateStore::DeleteIntegration(const std::string& integration_id) {
  return db_.Transaction([&]() -> Status {
    for (const char* table : {"sync_streams", "sync_slices", "sync_cursors"}) {
      SL_RETURN_IF_ERROR(db_.Execute("DELETE FROM " + std::string(table) +
                                         " WHERE integration_id = $1",
                                     {integration_id})
                             .status());
    }
    SL_RETURN_IF_ERROR(db_.Execute("DELETE FROM sync_run_streams WHERE run_id IN "
                                   "(SELECT id FROM sync_runs WHERE integration_id = $1)",
                                   {integration_id})
                           .status());
    return db_.Execute("DELETE FROM sync_runs WHERE integration_id = $1", {integration_id})
        .status();
  });
}

Status SyncStateStore::CreateRun(const RunRecord& run) {
  return db_
      .Execute(
          "INSERT INTO sync_runs (id, integration_id, kind, started_at, status, error, note, "
          "objects, events) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
          {run.id, run.integration_id, std::string(Name(run.kind)), run.started_at,
           std::string(Name(run.status)), run.error, run.note, run.objects, run.events})
      .status();
}

Status SyncStateStore::SetRunKind(const std::string& run_id, RunKind kind) {
  return db_.Execute("UPDATE sync_runs SET kind = $2 WHERE id = $1",
                     {run_id, std::string(Name(kind))})
      .status();
}

Status SyncStateStore::FinishRun(const RunRecord& run) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(
        db_.Execute("UPDATE sync_runs SET kind = $2, status = $3, error = $4, note = $5, "
                    "objects = $6, events = $7, finished_at = $8 WHERE id = $1",
                    {run.id, std::string(Name(run.kind)), std::string(Name(run.status)),
                     run.error, run.note, run.objects, run.events, OptionalValue(run.finished_at)})
            .status());
    for (const RunStreamRecord& s : run.streams) {
      SL_RETURN_IF_ERROR(
          db_.Execute(
                 "INSERT INTO sync_run_streams (run_id, stream, state, objects, error, "
                 "missing_permission) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (run_id, "
                 "stream) DO UPDATE SET state = excluded.state, objects = excluded.objects, "
                 "error = excluded.error, missing_permission = excluded.missing_permission",
                 {run.id, s.stream, std::string(Name(s.state)), s.objects, s.error,
                  OptionalValue(s.missing_permission)})
              .status());
    }
    return Status::OK();
  });
}

Result<int64_t> SyncStateStore::MarkInterruptedRuns(const std::string& integration_id,
                                                    int64_t now) {
  return db_.Execute(
      "UPDATE sync_runs SET status = $3, finished_at = $2, error = 'interrupted: the "
      "process stopped during the run; the next run resumed from the checkpoints' "
      "WHERE integration_id = $1 AND status = $4",
      {integration_id, now, std::string(Name(RunStatus::kFailed)),
       std::string(Name(RunStatus::kRunning))});
}

Result<std::vector<RunStreamRecord>> SyncStateStore::RunStreams(const std::string& run_id) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query("SELECT stream, state, objects, error, "
                                           "missing_permission FROM sync_run_streams WHERE "
                                           "run_id = $1 ORDER BY stream",
                                           {run_id}));
  std::vector<RunStreamRecord> out;
  for (const Row& row : rows) {
    SL_ASSIGN_OR_RETURN(StreamState state, ParseStreamState(row.GetString(1)));
    out.push_back({row.GetString(0), state, row.GetInt(2), row.GetString(3),
                   row.GetOptionalString(4)});
  }
  return out;
}

Result<std::vector<RunRecord>> SyncStateStore::Runs(const std::string& integration_id,
                                                    int limit) {
  SL_ASSIGN_OR_RETURN(Rows rows,
                      db_.Query(std::string("SELECT ") + kRunColumns +
                                    " FROM sync_runs WHERE integration_id = $1 "
                                    "ORDER BY started_at DESC, rowid DESC LIMIT $2",
                                {integration_id, int64_t{limit}}));
  std::vector<RunRecord> out;
  for (const Row& row : rows) {
    SL_ASSIGN_OR_RETURN(RunRecord run, RunFromRow(row));
    SL_ASSIGN_OR_RETURN(run.streams, RunStreams(run.id));
    out.push_back(std::move(run));
  }
  return out;
}

Result<std::optional<RunRecord>> SyncStateStore::GetRun(const std::string& run_id) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query(std::string("SELECT ") + kRunColumns +
                                               " FROM sync_runs WHERE id = $1",
                                           {run_id}));
  if (rows.empty()) return std::optional<RunRecord>();
  SL_ASSIGN_OR_RETURN(RunRecord run, RunFromRow(rows[0]));
  SL_ASSIGN_OR_RETURN(run.streams, RunStreams(run.id));
  return std::optional<RunRecord>(std::move(run));
}

Result<bool> SyncStateStore::IsProcessed(const DataScope& scope, const std::string& event_id) {
  SL_ASSIGN_OR_RETURN(Rows rows, db_.Query("SELECT 1 FROM sync_processed_events WHERE "
                                           "account_id = $1 AND livemode = $2 AND event_id = $3",
                                           {scope.account_id, int64_t{scope.livemode}, event_id}));
  return !rows.empty();
}

Result<bool> SyncStateStore::MarkProcessed(const DataScope& scope, const std::string& event_id,
                                           int64_t event_created, int64_t now) {
  SL_ASSIGN_OR_RETURN(
      int64_t changed,
      db_.Execute("INSERT INTO sync_processed_events (account_id, livemode, event_id, "
                  "event_created, processed_at) VALUES ($1, $2, $3, $4, $5) "
                  "ON CONFLICT (account_id, livemode, event_id) DO NOTHING",
                  {scope.account_id, int64_t{scope.livemode}, event_id, event_created, now}));
  return changed > 0;
}

Status SyncStateStore::DeleteProcessedEvents(const DataScope& scope) {
  return db_
      .Execute("DELETE FROM sync_processed_events WHERE account_id = $1 AND livemode = $2",
               {scope.account_id, int64_t{scope.livemode}})
      .status();
}

}  // namespace stripeline::sync
