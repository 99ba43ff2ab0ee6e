#include "sync/sync_run.h"

#include <boost/json.hpp>

#include "common/log.h"
#include "integrations/connection_check.h"
#include "sync/backfill.h"
#include "sync/incremental.h"

namespace stripeline::sync {

SyncRunResult ResultOf(const RunRecord& run) {
  SyncRunResult r;
  r.run_id = run.id;
  r.integration_id = run.integration_id;
  r.kind = run.kind;
  r.status = run.status;
  r.error = run.error;
  r.note = run.note;
  r.started_at = run.started_at;
  r.finished_at = run.finished_at;
  r.objects = run.objects;
  r.events = run.events;
  if (run.finished_at) {
    r.seconds = static_cast<double>(*run.finished_at - run.started_at);
    if (r.seconds > 0) r.objects_per_second = static_cast<double>(r.objects) / r.seconds;
  }
  for (const RunStreamRecord& s : run.streams) {
    StreamProgress p;
    p.stream = s.stream;
    p.state = s.state;
    p.objects = s.objects;
    p.error = s.error;
    p.missing_permission = s.missing_permission;
    r.streams.push_back(std::move(p));
  }
  return r;
}

SyncRun::SyncRun(const RunServices& services, SyncTarget target, std::string run_id,
                 std::vector<const StreamSpec*> streams, ProgressCallback progress)
    : services_(services),
      target_(std::move(target)),
      run_id_(std::move(run_id)),
      streams_(std::move(streams)),
      started_at_(services.clock.NowUnix()),
      context_(run_id_, services.clock, std::move(progress), &services.shutdown) {}

Result<SyncRunResult> SyncRun::Execute() {
  SL_RETURN_IF_ERROR(Prepare());
  return Outcome(Phases());
}

Status SyncRun::Prepare() {
  const std::string& integration_id = target_.integration_id;
  SL_RETURN_IF_ERROR(services_.state.MarkInterruptedRuns(integration_id, started_at_).status());
  run_.id = run_id_;
  run_.integration_id = integration_id;
  run_.kind = RunKind::kIncremental;
  run_.status = RunStatus::kRunning;
  run_.started_at = started_at_;
  SL_RETURN_IF_ERROR(services_.state.CreateRun(run_));
  log::Info("sync.run_started", {{"integration", integration_id}, {"run", run_id_}});
  return Status::OK();
}

Result<std::map<std::string, StreamRecord>> SyncRun::LoadStates() {
  SL_ASSIGN_OR_RETURN(std::vector<StreamRecord> records,
                      services_.state.Streams(target_.integration_id));
  std::map<std::string, StreamRecord> by_name;
  for (StreamRecord& r : records) by_name[r.stream] = std::move(r);
  return by_name;
}

Status SyncRun::Phases() {
  SL_ASSIGN_OR_RETURN(auto states, LoadStates());
  std::vector<const StreamSpec*> to_backfill;
  bool needed = false;
  for (const StreamSpec* stream : streams_) {
    auto it = states.find(std::string(stream->name));
    const StreamState current = it == states.end() ? StreamState::kPending : it->second.state;
    if (current == StreamState::kSynced) continue;
    to_backfill.push_back(stream);
    if (current != StreamState::kUnavailableToKey) needed = true;
  }
  if (needed) {
    SL_ASSIGN_OR_RETURN(bool completed, BackfillPhase(to_backfill));
    if (!completed) return Status::OK();
  }
  return EventsPhase();
}

Result<bool> SyncRun::BackfillPhase(const std::vector<const StreamSpec*>& streams) {
  const std::string& integration_id = target_.integration_id;
  SyncStateStore& state = services_.state;
  if (run_.kind != RunKind::kBackfill) {
    run_.kind = RunKind::kBackfill;
    kind_.store(RunKind::kBackfill);
    SL_RETURN_IF_ERROR(state.SetRunKind(run_id_, RunKind::kBackfill));
  }
  SL_ASSIGN_OR_RETURN(std::optional<CursorRecord> cursor, state.Cursor(integration_id));
  if (!cursor) {
    IncrementalSync probe(state, services_.applier, services_.options, services_.clock, target_,
                          context_);
    auto newest = probe.NewestEvent();
    if (newest.ok()) {
      CursorRecord c{.account_id = target_.account_id};
      if (newest.value()) {
        c.last_event_id = std::string(newest.value()->at("id").as_string());
        c.last_event_created = newest.value()->at("created").to_number<int64_t>();
      }
      SL_RETURN_IF_ERROR(state.PutCursor(integration_id, c, services_.clock.NowUnix()));
      cursor = c;
    } else if (IsAuthFailure(newest.error())) {
      auth_error_ = newest.error();
      return false;
    } else if (newest.error().kind == stripe::ErrorKind::kPermission) {
      events_unreadable_ = true;
    } else {
      failures_.push_back("reading the newest event failed: " + ErrorText(newest.error()));
      return false;
    }
  }
  const int64_t version = cursor ? cursor->last_event_created.value_or(0) : 0;
  Backfill job(services_.db, services_.options, services_.clock, target_, context_, version);
  SL_ASSIGN_OR_RETURN(Backfill::Outcome outcome, job.Run(streams));
  if (outcome.auth_error) auth_error_ = outcome.auth_error;
  return !outcome.stopped;
}

Status SyncRun::EventsPhase() {
  const std::string& integration_id = target_.integration_id;
  SL_ASSIGN_OR_RETURN(auto states, LoadStates());
  auto events_state = states.find("events");
  if (events_unreadable_ || (events_state != states.end() &&
                             events_state->second.state == StreamState::kMissingPermission)) {
    notes_.push_back("events are not readable with this key (rak_event_read): changes after "
                     "the backfill are not followed");
    return Status::OK();
  }
  SL_ASSIGN_OR_RETURN(std::optional<CursorRecord> cursor,
                      services_.state.Cursor(integration_id));
  if (!cursor || context_.stopped()) return Status::OK();

  for (int pass = 0; pass < 2; ++pass) {
    IncrementalSync incremental(services_.state, services_.applier, services_.options,
                                services_.clock, target_, context_);
    SL_ASSIGN_OR_RETURN(IncrementalSync::Outcome outcome, incremental.Run());
    run_.events += outcome.applied;
    if (outcome.error) {
      if (IsAuthFailure(*outcome.error)) {
        auth_error_ = outcome.error;
      } else {
        failures_.push_back("polling events failed: " + ErrorText(*outcome.error));
      }
      return Status::OK();
    }
    if (!outcome.stale_reason || pass == 1) break;
    // Events were lost: re-backfill every stream from a fresh cursor, then poll again.
    notes_.push_back("re-backfill of every stream: " + *outcome.stale_reason);
    log::Warn("sync.rebackfill", {{"integration", integration_id},
                                  {"reason", *outcome.stale_reason}});
    SL_RETURN_IF_ERROR(ResetForRebackfill());
    SL_ASSIGN_OR_RETURN(bool completed, BackfillPhase(streams_));
    if (!completed) return Status::OK();
  }
  return Status::OK();
}

Status SyncRun::ResetForRebackfill() {
  const std::string& integration_id = target_.integration_id;
  SyncStateStore& state = services_.state;
  return services_.db.Transaction([&]() -> Status {
    for (const StreamSpec* stream : streams_) {
      const std::string name(stream->name);
      SL_RETURN_IF_ERROR(state.DeleteSlices(integration_id, name));
      SL_RETURN_IF_ERROR(state.PutStream(integration_id,
                                         {.stream = name,
                                          .state = StreamState::kPending,
                                          .updated_at = services_.clock.NowUnix()}));
    }
    return state.DeleteCursor(integration_id);
  });
}

Result<SyncRunResult> SyncRun::Outcome(const Status& phases) {
  const std::string& integration_id = target_.integration_id;
  SyncStateStore& state = services_.state;
  // Per-stream results, from the stored states (streams untouched by this run keep theirs).
  Result<std::map<std::string, StreamRecord>> loaded = LoadStates();
  std::map<std::string, StreamRecord> by_name;
  if (loaded.ok()) by_name = std::move(loaded).value();
  bool missing_permission = false;
  for (const StreamSpec* stream : streams_) {
    const std::string name(stream->name);
    StreamProgress p = context_.Stream(name);
    auto it = by_name.find(name);
    RunStreamRecord rs;
    rs.stream = name;
    rs.state = it != by_name.end() ? it->second.state : StreamState::kPending;
    rs.objects = p.objects;
    rs.error = it != by_name.end() ? it->second.last_error : "";
    rs.missing_permission = it != by_name.end() ? it->second.missing_permission : std::nullopt;
    if (rs.state == StreamState::kFailed) failures_.push_back(name + ": " + rs.error);
    if (rs.state == StreamState::kMissingPermission) missing_permission = true;
    context_.SetState(name, rs.state, rs.error, rs.missing_permission);
    run_.streams.push_back(std::move(rs));
  }

  run_.objects = context_.objects();
  run_.finished_at = services_.clock.NowUnix();
  if (!phases.ok()) {
    run_.status = RunStatus::kFailed;
    run_.error = phases.ToString();
  } else if (auth_error_) {
    run_.status = RunStatus::kPaused;
    run_.error = "paused: Stripe refused the key (" + ErrorText(*auth_error_) +
                 "); reconnect the integration, then sync again to resume";
    Status recorded = services_.integrations.RecordCheck(
        integration_id, integrations::CheckFromError(*auth_error_));
    if (!recorded.ok()) run_.error += "; recording health failed: " + recorded.ToString();
  } else if (!failures_.empty()) {
    run_.status = RunStatus::kFailed;
    for (const std::string& f : failures_) run_.error += (run_.error.empty() ? "" : "; ") + f;
  } else if (services_.shutdown.load()) {
    run_.status = RunStatus::kFailed;
    run_.error =
        "stopped: Stripeline was shutting down; the next run resumes from the checkpoints";
  } else {
    run_.status = missing_permission ? RunStatus::kSucceededWithErrors : RunStatus::kSucceeded;
    if (missing_permission) {
      for (const RunStreamRecord& s : run_.streams) {
        if (s.state != StreamState::kMissingPermission) continue;
        run_.error += (run_.error.empty() ? "" : "; ") + s.stream + " not readable: missing " +
                      s.missing_permission.value_or("a permission");
      }
    }
  }
  for (const std::string& n : notes_) run_.note += (run_.note.empty() ? "" : "; ") + n;

  // Completed backfill: remember when (the cursor row says the incremental phase began).
  if (run_.status == RunStatus::kSucceeded || run_.status == RunStatus::kSucceededWithErrors) {
    Result<std::optional<CursorRecord>> cursor = state.Cursor(integration_id);
    if (cursor.ok() && cursor.value() && !cursor.value()->backfill_completed_at) {
      CursorRecord c = *cursor.value();
      c.backfill_completed_at = run_.finished_at;
      (void)state.PutCursor(integration_id, c, *run_.finished_at);
    }
    // Best effort: the integration may have been deleted while its run finished.
    (void)services_.store.SetIntegrationLastSync(integration_id, *run_.finished_at);
  }
  if (Status recorded = state.FinishRun(run_); !recorded.ok()) {
    // E.g. a full disk: the run's row still says 'running'. The engine keeps the outcome and
    // records it as soon as the database takes it (before the next run, which would otherwise
    // take the row for a process that died).
    unrecorded_ = run_;
    log::Error("sync.outcome_not_recorded", {{"integration", integration_id},
                                             {"run", run_id_},
                                             {"status", std::string(Name(run_.status))},
                                             {"run_error", run_.error},
                                             {"error", recorded.ToString()}});
    return recorded;
  }
  context_.Report();
  log::Info("sync.run_finished", {{"integration", integration_id},
                                  {"run", run_id_},
                                  {"status", std::string(Name(run_.status))},
                                  {"objects", std::to_string(run_.objects)},
                                  {"events", std::to_string(run_.events)}});

  SyncRunResult result = ResultOf(run_);
  result.requests = context_.requests();
  result.seconds = context_.Seconds();
  result.objects_per_second =
      result.seconds > 0 ? static_cast<double>(result.objects) / result.seconds : 0;
  for (StreamProgress& p : result.streams) {
    StreamProgress live = context_.Stream(p.stream);
    p.slices_done = live.slices_done;
    p.slices_total = live.slices_total;
  }
  return result;
}

}  // namespace stripeline::sync
