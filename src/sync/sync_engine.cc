#include "sync/sync_engine.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>

#include "common/log.h"
#include "common/secrets.h"
#include "integrations/connection_check.h"
#include "stripe/list_pager.h"
#include "sync/backfill.h"
#include "sync/incremental.h"
#include "sync/sync_state.h"

namespace stripeline::sync {

namespace json = boost::json;

struct SyncEngine::Prepared {
  store::Integration integration;
  SyncTarget target;
};

struct SyncEngine::Live {
  std::shared_ptr<RunContext> context;  // null until Execute has set the run up
  int64_t started_at = 0;
  std::string kind;
  std::string run_id;
};

namespace {

std::string Describe(const stripe::StripeError& error) {
  std::string text = error.message;
  if (error.http_status != 0) text += " (HTTP " + std::to_string(error.http_status) + ")";
  return text;
}

SyncRunResult FromRecord(const RunRecord& run) {
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

void CsvField(std::ostream& out, const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) {
    out << value;
    return;
  }
  out << '"';
  for (char c : value) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

std::string ValueText(const store::Row& row, size_t i) {
  if (row.IsNull(i)) return "";
  const store::Value& v = row.at(i);
  if (std::holds_alternative<double>(v)) {
    // The shortest text that reads back as the same double, in plain notation ("5", "0.25"):
    // JSON serialisation would write 5.0 as "5E0", which spreadsheets do not read as 5.
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, std::get<double>(v),
                                   std::chars_format::fixed);
    return ec == std::errc() ? std::string(buffer, end) : std::to_string(std::get<double>(v));
  }
  return row.GetString(i);
}

// The Stripe account an integration's rows belong to (docs/schema.md: account_id): the
// connected account it acts for, else its own.
std::string DataAccountOf(const store::Integration& integration) {
  return integration.account_id.value_or(integration.stripe_account_id);
}

}  // namespace

SyncEngine::SyncEngine(store::Store& store, integrations::IntegrationService& integrations,
                       const stripe::Client& client, stripe::RateLimiterRegistry& limiters,
                       Clock& clock, SyncOptions options)
    : store_(store),
      integrations_(integrations),
      client_(client),
      limiters_(limiters),
      clock_(clock),
      options_(std::move(options)),
      applier_(store, integrations, clock,
               [this](const std::string& id, const StreamSpec& stream, const std::string& object) {
                 return Refetch(id, stream, object);
               }),
      leases_(store.database(), clock, options_.lease_ttl),
      lease_keeper_([this] { KeepLeases(); }) {}

SyncEngine::~SyncEngine() {
  Stop();
  {
    std::lock_guard lock(mu_);
    lease_keeper_stop_ = true;
    cv_.notify_all();
  }
  lease_keeper_.join();
}

void SyncEngine::KeepLeases() {
  const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(options_.lease_ttl) / 3;
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, period, [this] { return lease_keeper_stop_; })) {
    if (running_.empty()) continue;
    lock.unlock();
    if (::stripeline::Status renewed = leases_.RenewAll(); !renewed.ok()) {
      log::Warn("sync.lease_renewal_failed", {{"error", renewed.ToString()}});
    }
    lock.lock();
  }
}

std::vector<const StreamSpec*> SyncEngine::SelectedStreams() const {
  std::vector<const StreamSpec*> out;
  for (const StreamSpec& stream : Streams()) {
    if (options_.streams.empty() ||
        std::find(options_.streams.begin(), options_.streams.end(), stream.name) !=
            options_.streams.end()) {
      out.push_back(&stream);
    }
  }
  return out;
}

Result<SyncEngine::Prepared> SyncEngine::Prepare(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, store_.GetIntegration(integration_id));
  if (!integration.active) {
    return ::stripeline::Status::FailedPrecondition(
        "Integration '" + integration.name +
            "' is inactive, and inactive integrations are never called. Activate it first.",
        "integration_inactive");
  }
  std::string account_id = DataAccountOf(integration);
  if (account_id.empty()) {
    return ::stripeline::Status::FailedPrecondition(
        "The Stripe account of integration '" + integration.name +
            "' is not known yet; test the connection first.",
        "sync_account_unknown");
  }
  SL_ASSIGN_OR_RETURN(integrations::StripeCredentials credentials,
                      integrations_.Credentials(integration));
  Prepared prepared;
  prepared.target.integration_id = integration.id;
  prepared.target.account_id = account_id;
  prepared.target.livemode = integration.livemode;
  prepared.target.session = std::make_shared<const stripe::AccountSession>(
      stripe::AccountSession::Open(client_, limiters_, account_id, integration.livemode,
                                   {.api_key = credentials.secret_key,
                                    .stripe_account = integration.account_id}));
  prepared.integration = std::move(integration);
  return prepared;
}

::stripeline::Status SyncEngine::Claim(const std::string& integration_id) {
  std::unique_lock lock(mu_);
  if (shutdown_.load()) {
    return ::stripeline::Status::FailedPrecondition("The sync engine is stopping",
                                                    "sync_stopping");
  }
  if (!running_.insert(integration_id).second) {
    return ::stripeline::Status::FailedPrecondition(
        "A sync of integration " + integration_id + " is already running", "sync_running");
  }
  lock.unlock();
  // Other processes on the same database (the CLI beside the server) are kept out by a lease.
  ::stripeline::Status leased = leases_.Acquire(integration_id);
  if (!leased.ok()) {
    lock.lock();
    running_.erase(integration_id);
    cv_.notify_all();
  }
  return leased;
}

void SyncEngine::Release(const std::string& integration_id) {
  if (::stripeline::Status released = leases_.Release(integration_id); !released.ok()) {
    // It expires after lease_ttl anyway.
    log::Warn("sync.lease_release_failed",
              {{"integration", integration_id}, {"error", released.ToString()}});
  }
  std::lock_guard lock(mu_);
  running_.erase(integration_id);
  live_.erase(integration_id);
  cv_.notify_all();
}

Result<SyncRunResult> SyncEngine::Run(const std::string& integration_id,
                                      const ProgressCallback& progress) {
  SL_ASSIGN_OR_RETURN(Prepared prepared, Prepare(integration_id));
  SL_RETURN_IF_ERROR(Claim(integration_id));
  Result<SyncRunResult> result = Execute(prepared, NewId("run"), progress);
  Release(integration_id);
  return result;
}

Result<std::string> SyncEngine::Start(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(Prepared prepared, Prepare(integration_id));
  SL_RETURN_IF_ERROR(Claim(integration_id));
  std::string run_id = NewId("run");
  std::lock_guard lock(mu_);
  // Visible to Status() from now on, before the thread has set the run up: whoever started it
  // and asks at once must see it running, not "running" without a current run.
  live_[integration_id] =
      std::make_shared<Live>(Live{nullptr, clock_.NowUnix(), "incremental", run_id});
  ReapFinished();
  auto finished = std::make_shared<std::atomic<bool>>(false);
  threads_.emplace_back(finished, std::thread([this, prepared, run_id, finished] {
                          Result<SyncRunResult> result = Execute(prepared, run_id, {});
                          if (!result.ok()) {
                            log::Error("sync.run_error",
                                       {{"integration", prepared.target.integration_id},
                                        {"run", run_id},
                                        {"error", result.status().ToString()}});
                          }
                          Release(prepared.target.integration_id);
                          finished->store(true);
                          std::lock_guard inner(mu_);
                          cv_.notify_all();
                        }));
  return run_id;
}

void SyncEngine::ReapFinished() {
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (it->first->load()) {
      it->second.join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
}

void SyncEngine::WaitForBackgroundRuns() {
  std::vector<std::thread> to_join;
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] {
      return std::all_of(threads_.begin(), threads_.end(),
                         [](const auto& t) { return t.first->load(); });
    });
    for (auto& t : threads_) to_join.push_back(std::move(t.second));
    threads_.clear();
  }
  for (std::thread& t : to_join) t.join();
}

Result<SyncRunResult> SyncEngine::Execute(const Prepared& prepared, const std::string& run_id,
                                          const ProgressCallback& progress) {
  const SyncTarget& target = prepared.target;
  const std::string& integration_id = target.integration_id;
  store::Database& db = store_.database();
  SyncStateStore state(db);
  const int64_t started_at = clock_.NowUnix();
  SL_RETURN_IF_ERROR(state.MarkInterruptedRuns(integration_id, started_at).status());

  RunRecord run;
  run.id = run_id;
  run.integration_id = integration_id;
  run.kind = "incremental";
  run.status = kRunRunning;
  run.started_at = started_at;
  SL_RETURN_IF_ERROR(state.CreateRun(run));
  auto context = std::make_shared<RunContext>(run_id, clock_, progress, &shutdown_);
  {
    std::lock_guard lock(mu_);
    live_[integration_id] = std::make_shared<Live>(Live{context, started_at, run.kind, run_id});
  }
  log::Info("sync.run_started", {{"integration", integration_id}, {"run", run_id}});

  const std::vector<const StreamSpec*> selected = SelectedStreams();
  std::optional<stripe::StripeError> auth_error;
  std::vector<std::string> failures;
  std::vector<std::string> notes;
  bool events_unreadable = false;

  auto load_states = [&]() -> Result<std::map<std::string, StreamRecord>> {
    SL_ASSIGN_OR_RETURN(std::vector<StreamRecord> records, state.Streams(integration_id));
    std::map<std::string, StreamRecord> by_name;
    for (StreamRecord& r : records) by_name[r.stream] = std::move(r);
    return by_name;
  };

  // Backfills `streams`; sets the cursor first if there is none.
  auto backfill = [&](const std::vector<const StreamSpec*>& streams) -> Result<bool> {
    run.kind = "backfill";
    {
      std::lock_guard lock(mu_);
      if (live_.count(integration_id)) live_[integration_id]->kind = run.kind;
    }
    SL_ASSIGN_OR_RETURN(std::optional<CursorRecord> cursor, state.Cursor(integration_id));
    if (!cursor) {
      IncrementalSync probe(state, applier_, options_, clock_, target, *context);
      auto newest = probe.NewestEvent();
      if (newest.ok()) {
        CursorRecord c{.account_id = target.account_id};
        if (newest.value()) {
          c.last_event_id = std::string(newest.value()->at("id").as_string());
          c.last_event_created = newest.value()->at("created").to_number<int64_t>();
        }
        SL_RETURN_IF_ERROR(state.PutCursor(integration_id, c, clock_.NowUnix()));
        cursor = c;
      } else if (IsAuthFailure(newest.error())) {
        auth_error = newest.error();
        return false;
      } else if (newest.error().kind == stripe::ErrorKind::kPermission) {
        events_unreadable = true;
      } else {
        failures.push_back("reading the newest event failed: " + Describe(newest.error()));
        return false;
      }
    }
    const int64_t version = cursor ? cursor->last_event_created.value_or(0) : 0;
    Backfill job(db, options_, clock_, target, *context, version);
    SL_ASSIGN_OR_RETURN(Backfill::Outcome outcome, job.Run(streams));
    if (outcome.crashed) return ::stripeline::Status::Internal("simulated crash", "sync_crash");
    if (outcome.auth_error) auth_error = outcome.auth_error;
    return !outcome.stopped;
  };

  auto body = [&]() -> ::stripeline::Status {
    SL_ASSIGN_OR_RETURN(auto states, load_states());
    std::vector<const StreamSpec*> to_backfill;
    bool needed = false;
    for (const StreamSpec* stream : selected) {
      auto it = states.find(std::string(stream->name));
      const std::string current = it == states.end() ? kStatePending : it->second.state;
      if (current == kStateSynced) continue;
      to_backfill.push_back(stream);
      if (current != kStateUnavailableToKey) needed = true;
    }
    if (needed) {
      SL_ASSIGN_OR_RETURN(bool completed, backfill(to_backfill));
      if (!completed) return ::stripeline::Status::OK();
    }
    SL_ASSIGN_OR_RETURN(states, load_states());
    auto events_state = states.find("events");
    if (events_unreadable ||
        (events_state != states.end() && events_state->second.state == kStateMissingPermission)) {
      notes.push_back("events are not readable with this key (rak_event_read): changes after "
                      "the backfill are not followed");
      return ::stripeline::Status::OK();
    }
    SL_ASSIGN_OR_RETURN(std::optional<CursorRecord> cursor, state.Cursor(integration_id));
    if (!cursor || context->stopped()) return ::stripeline::Status::OK();

    for (int pass = 0; pass < 2; ++pass) {
      IncrementalSync incremental(state, applier_, options_, clock_, target, *context);
      SL_ASSIGN_OR_RETURN(IncrementalSync::Outcome outcome, incremental.Run());
      run.events += outcome.applied;
      if (outcome.error) {
        if (IsAuthFailure(*outcome.error)) {
          auth_error = outcome.error;
        } else {
          failures.push_back("polling events failed: " + Describe(*outcome.error));
        }
        return ::stripeline::Status::OK();
      }
      if (!outcome.stale_reason || pass == 1) break;
      // Events were lost: re-backfill every stream from a fresh cursor, then poll again.
      notes.push_back("re-backfill of every stream: " + *outcome.stale_reason);
      log::Warn("sync.rebackfill", {{"integration", integration_id},
                                    {"reason", *outcome.stale_reason}});
      SL_RETURN_IF_ERROR(db.Transaction([&]() -> ::stripeline::Status {
        for (const StreamSpec* stream : selected) {
          const std::string name(stream->name);
          SL_RETURN_IF_ERROR(state.DeleteSlices(integration_id, name));
          SL_RETURN_IF_ERROR(state.PutStream(
              integration_id, {.stream = name, .state = kStatePending,
                               .updated_at = clock_.NowUnix()}));
        }
        return db.Execute("DELETE FROM sync_cursors WHERE integration_id = $1",
                          {integration_id})
            .status();
      }));
      SL_ASSIGN_OR_RETURN(bool completed, backfill(selected));
      if (!completed) return ::stripeline::Status::OK();
    }
    return ::stripeline::Status::OK();
  };
  ::stripeline::Status outcome = body();
  if (!outcome.ok() && outcome.error_code() == "sync_crash") return outcome;  // row stays running

  // Per-stream results, from the stored states (streams untouched by this run keep theirs).
  SyncStateStore fresh(db);
  Result<std::vector<StreamRecord>> records = fresh.Streams(integration_id);
  std::map<std::string, StreamRecord> by_name;
  if (records.ok()) {
    for (StreamRecord& r : records.value()) by_name[r.stream] = std::move(r);
  }
  bool missing_permission = false;
  for (const StreamSpec* stream : selected) {
    const std::string name(stream->name);
    StreamProgress p = context->Stream(name);
    auto it = by_name.find(name);
    RunStreamRecord rs;
    rs.stream = name;
    rs.state = it != by_name.end() ? it->second.state : std::string(kStatePending);
    rs.objects = p.objects;
    rs.error = it != by_name.end() ? it->second.last_error : "";
    rs.missing_permission = it != by_name.end() ? it->second.missing_permission : std::nullopt;
    if (rs.state == kStateFailed) failures.push_back(name + ": " + rs.error);
    if (rs.state == kStateMissingPermission) missing_permission = true;
    context->SetState(name, rs.state, rs.error, rs.missing_permission);
    run.streams.push_back(std::move(rs));
  }

  run.objects = context->objects();
  run.finished_at = clock_.NowUnix();
  if (!outcome.ok()) {
    run.status = kRunFailed;
    run.error = outcome.ToString();
  } else if (auth_error) {
    run.status = kRunPaused;
    run.error = "paused: Stripe refused the key (" + Describe(*auth_error) +
                "); reconnect the integration, then sync again to resume";
    ::stripeline::Status recorded =
        integrations_.RecordCheck(integration_id, integrations::CheckFromError(*auth_error));
    if (!recorded.ok()) run.error += "; recording health failed: " + recorded.ToString();
  } else if (!failures.empty()) {
    run.status = kRunFailed;
    for (const std::string& f : failures) run.error += (run.error.empty() ? "" : "; ") + f;
  } else if (shutdown_.load()) {
    run.status = kRunFailed;
    run.error = "stopped: Stripeline was shutting down; the next run resumes from the checkpoints";
  } else {
    run.status = missing_permission ? kRunSucceededWithErrors : kRunSucceeded;
    if (missing_permission) {
      for (const RunStreamRecord& s : run.streams) {
        if (s.state != kStateMissingPermission) continue;
        run.error += (run.error.empty() ? "" : "; ") + s.stream + " not readable: missing " +
                     s.missing_permission.value_or("a permission");
      }
    }
  }
  for (const std::string& n : notes) run.note += (run.note.empty() ? "" : "; ") + n;

  // Completed backfill: remember when (the cursor row says the incremental phase began).
  if (run.status == kRunSucceeded || run.status == kRunSucceededWithErrors) {
    Result<std::optional<CursorRecord>> cursor = fresh.Cursor(integration_id);
    if (cursor.ok() && cursor.value() && !cursor.value()->backfill_completed_at) {
      CursorRecord c = *cursor.value();
      c.backfill_completed_at = run.finished_at;
      (void)fresh.PutCursor(integration_id, c, *run.finished_at);
    }
    // Best effort: the integration may have been deleted while its run finished.
    (void)store_.SetIntegrationLastSync(integration_id, *run.finished_at);
  }
  SL_RETURN_IF_ERROR(state.FinishRun(run));
  context->Report();
  log::Info("sync.run_finished", {{"integration", integration_id},
                                  {"run", run_id},
                                  {"status", run.status},
                                  {"objects", std::to_string(run.objects)},
                                  {"events", std::to_string(run.events)}});

  SyncRunResult result = FromRecord(run);
  result.requests = context->requests();
  result.seconds = context->Seconds();
  result.objects_per_second =
      result.seconds > 0 ? static_cast<double>(result.objects) / result.seconds : 0;
  for (StreamProgress& p : result.streams) {
    StreamProgress live = context->Stream(p.stream);
    p.slices_done = live.slices_done;
    p.slices_total = live.slices_total;
  }
  return result;
}

stripe::StripeResult<std::optional<json::object>> SyncEngine::Refetch(
    const std::string& integration_id, const StreamSpec& stream, const std::string& id) {
  Result<Prepared> prepared = Prepare(integration_id);
  if (!prepared.ok()) {
    return stripe::StripeError{.kind = stripe::ErrorKind::kApi,
                               .message = prepared.status().message()};
  }
  std::string path(stream.endpoint);
  if (stream.kind != StreamKind::kSingleton) path += "/" + PercentEncode(id);
  auto response = prepared.value().target.session->Request("GET", path);
  if (!response.ok()) {
    if (response.error().http_status == 404) return std::optional<json::object>();
    return std::move(response).error();
  }
  if (!response.value().body.is_object()) {
    return stripe::StripeError{.kind = stripe::ErrorKind::kApi,
                               .message = "GET " + path + " did not answer an object"};
  }
  json::object& object = response.value().body.get_object();
  if (const json::value* deleted = object.if_contains("deleted");
      deleted != nullptr && deleted->is_bool() && deleted->get_bool()) {
    return std::optional<json::object>();
  }
  return std::optional<json::object>(std::move(object));
}

Result<SyncStatus> SyncEngine::Status(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, store_.GetIntegration(integration_id));
  SyncStateStore state(store_.database());
  SyncStatus status;
  status.integration_id = integration.id;
  SL_ASSIGN_OR_RETURN(std::vector<StreamRecord> records, state.Streams(integration_id));
  SL_ASSIGN_OR_RETURN(std::vector<SliceRecord> slices, state.Slices(integration_id));
  std::shared_ptr<Live> live;
  std::string live_kind;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(integration_id);
    if (it != live_.end()) {
      live = it->second;
      live_kind = live->kind;
    }
    status.running = running_.count(integration_id) > 0;
  }
  for (const StreamSpec* stream : SelectedStreams()) {
    StreamProgress p;
    p.stream = std::string(stream->name);
    p.state = kStatePending;
    for (const StreamRecord& r : records) {
      if (r.stream != p.stream) continue;
      p.state = r.state;
      p.objects = r.objects_synced;
      p.error = r.last_error;
      p.missing_permission = r.missing_permission;
    }
    for (const SliceRecord& s : slices) {
      if (s.stream != p.stream) continue;
      ++p.slices_total;
      if (s.done) ++p.slices_done;
    }
    status.streams.push_back(std::move(p));
  }
  if (live) {
    SyncRunResult current;
    current.run_id = live->run_id;
    current.integration_id = integration_id;
    current.kind = live_kind;
    current.status = kRunRunning;
    current.started_at = live->started_at;
    if (live->context) {
      SyncProgress progress = live->context->Snapshot();
      current.objects = progress.objects;
      current.requests = progress.requests;
      current.seconds = live->context->Seconds();
      current.objects_per_second = progress.objects_per_second;
      current.streams = progress.streams;
    }
    status.objects_per_second = current.objects_per_second;
    status.current_run = std::move(current);
  }
  SL_ASSIGN_OR_RETURN(std::vector<RunRecord> runs, state.Runs(integration_id, 5));
  for (const RunRecord& run : runs) {
    if (run.status == kRunRunning) continue;
    status.last_run = FromRecord(run);
    if (!live) status.objects_per_second = status.last_run->objects_per_second;
    break;
  }
  SL_ASSIGN_OR_RETURN(std::optional<CursorRecord> cursor, state.Cursor(integration_id));
  if (cursor) {
    status.last_event_id = cursor->last_event_id;
    status.last_event_created = cursor->last_event_created;
    status.backfill_completed_at = cursor->backfill_completed_at;
  }
  return status;
}

Result<std::vector<SyncRunResult>> SyncEngine::Runs(const std::string& integration_id,
                                                    int limit) {
  SyncStateStore state(store_.database());
  SL_ASSIGN_OR_RETURN(std::vector<RunRecord> runs, state.Runs(integration_id, limit));
  std::vector<SyncRunResult> out;
  for (const RunRecord& run : runs) out.push_back(FromRecord(run));
  return out;
}

void SyncEngine::StartScheduler(std::chrono::milliseconds interval) {
  {
    std::lock_guard lock(mu_);
    scheduler_stop_ = true;
    cv_.notify_all();
  }
  if (scheduler_.joinable()) scheduler_.join();
  {
    std::lock_guard lock(mu_);
    scheduler_stop_ = false;
  }
  scheduler_ = std::thread([this, interval] { SchedulerLoop(interval); });
}

void SyncEngine::SchedulerLoop(std::chrono::milliseconds interval) {
  while (true) {
    Result<std::vector<std::string>> started = SyncActiveIntegrations();
    if (!started.ok()) {
      log::Warn("sync.scheduler_error", {{"error", started.status().ToString()}});
    }
    // The scheduler waits on real time: it is wiring, not logic (SyncActiveIntegrations is).
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, interval, [&] { return scheduler_stop_; })) return;
  }
}

Result<std::vector<std::string>> SyncEngine::SyncActiveIntegrations() {
  SL_ASSIGN_OR_RETURN(std::vector<store::Integration> integrations,
                      store_.ListIntegrations(std::nullopt));
  std::vector<std::string> started;
  for (const store::Integration& integration : integrations) {
    if (!integration.active) continue;
    {
      std::lock_guard lock(mu_);
      if (running_.count(integration.id)) continue;
    }
    Result<std::string> run = Start(integration.id);
    if (run.ok()) {
      started.push_back(integration.id);
    } else {
      log::Warn("sync.scheduled_run_refused", {{"integration", integration.id},
                                               {"error", run.status().ToString()}});
    }
  }
  return started;
}

void SyncEngine::Stop() {
  {
    std::lock_guard lock(mu_);
    scheduler_stop_ = true;
    shutdown_.store(true);
    cv_.notify_all();
  }
  if (scheduler_.joinable()) scheduler_.join();
  WaitForBackgroundRuns();
}

Result<VerifyReport> SyncEngine::Verify(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(Prepared prepared, Prepare(integration_id));
  const SyncTarget& target = prepared.target;
  store::Database& db = store_.database();
  VerifyReport report;
  report.integration_id = integration_id;
  for (const StreamSpec* stream : SelectedStreams()) {
    StreamVerification v;
    v.stream = std::string(stream->name);
    std::set<std::string> remote;
    std::optional<int64_t> oldest_remote;
    std::optional<stripe::StripeError> error;
    if (stream->kind == StreamKind::kSingleton) {
      auto response = target.session->Request("GET", stream->endpoint);
      if (response.ok() && response.value().body.is_object()) {
        const json::value* id = response.value().body.get_object().if_contains("id");
        if (id != nullptr && id->is_string()) remote.insert(std::string(id->get_string()));
      } else if (!response.ok()) {
        error = response.error();
      }
    } else {
      stripe::ListPager pager =
          target.session->Pager(std::string(stream->endpoint), ListParams(*stream, 100, {}));
      while (std::optional<stripe::StripeResult<stripe::ListPage>> page = pager.Next()) {
        if (!page->ok()) {
          error = page->error();
          break;
        }
        for (const json::object& object : page->value().data) {
          remote.insert(std::string(object.at("id").as_string()));
          if (const json::value* c = object.if_contains("created"); c && c->is_int64()) {
            oldest_remote = std::min(oldest_remote.value_or(c->get_int64()), c->get_int64());
          }
        }
      }
    }
    if (error) {
      v.result = "unreadable";
      v.error = Describe(*error);
      report.streams.push_back(std::move(v));
      continue;
    }
    std::string sql = "SELECT id FROM " + std::string(stream->table) +
                      " WHERE account_id = $1 AND deleted = 0";
    std::vector<store::Value> params{target.account_id};
    if (stream->kind == StreamKind::kEvents) {
      // Stripe lists only the last 30 days of events; older local events are expected.
      sql += " AND created >= $2";
      params.emplace_back(oldest_remote.value_or(clock_.NowUnix()));
    }
    SL_ASSIGN_OR_RETURN(store::Rows rows, db.Query(sql, params));
    std::set<std::string> local;
    for (const store::Row& row : rows) local.insert(row.GetString(0));
    v.local_count = static_cast<int64_t>(local.size());
    v.remote_count = static_cast<int64_t>(remote.size());
    for (const std::string& id : remote) {
      if (!local.count(id) && v.missing_locally.size() < 20) v.missing_locally.push_back(id);
    }
    for (const std::string& id : local) {
      if (!remote.count(id) && v.extra_locally.size() < 20) v.extra_locally.push_back(id);
    }
    v.result = local == remote ? "equal" : "different";
    if (v.result != "equal") report.equal = false;
    report.streams.push_back(std::move(v));
  }
  return report;
}

::stripeline::Status SyncEngine::Export(const std::string& integration_id,
                                        const std::string& stream_name, ExportFormat format,
                                        std::ostream& out) {
  const StreamSpec* stream = FindStream(stream_name);
  if (stream == nullptr) {
    return ::stripeline::Status::InvalidArgument("Unknown stream '" + stream_name + "'",
                                                 "sync_unknown_stream");
  }
  SL_ASSIGN_OR_RETURN(store::Integration integration, store_.GetIntegration(integration_id));
  std::string account_id = DataAccountOf(integration);
  std::vector<std::string> columns{"id", "livemode", "created"};
  for (const Column& c : stream->columns) columns.emplace_back(c.name);
  columns.emplace_back("version");
  std::string sql = "SELECT raw";
  for (const std::string& c : columns) sql += ", " + c;
  sql += " FROM " + std::string(stream->table) +
         " WHERE account_id = $1 AND deleted = 0 ORDER BY created, id";
  SL_ASSIGN_OR_RETURN(store::Rows rows, store_.database().Query(sql, {account_id}));
  if (format == ExportFormat::kJsonLines) {
    for (const store::Row& row : rows) out << row.GetString(0) << '\n';
  } else {
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i];
    out << "\r\n";
    for (const store::Row& row : rows) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i) out << ',';
        CsvField(out, ValueText(row, i + 1));
      }
      out << "\r\n";
    }
  }
  if (!out) return ::stripeline::Status::Internal("Writing the export failed", "export_failed");
  return ::stripeline::Status::OK();
}

Result<std::string> SyncEngine::DeleteSyncedData(const store::Integration& integration) {
  SL_RETURN_IF_ERROR(Claim(integration.id));
  struct ReleaseOnExit {
    SyncEngine* engine;
    const std::string& id;
    ~ReleaseOnExit() { engine->Release(id); }
  } release{this, integration.id};

  store::Database& db = store_.database();
  const std::string account_id = DataAccountOf(integration);
  std::vector<std::string> sharing;  // other integrations whose rows are the same rows
  SL_ASSIGN_OR_RETURN(std::vector<store::Integration> all, store_.ListIntegrations(std::nullopt));
  for (const store::Integration& other : all) {
    if (other.id != integration.id && !account_id.empty() && DataAccountOf(other) == account_id) {
      sharing.push_back(other.id);
    }
  }
  int64_t rows_removed = 0;
  SL_RETURN_IF_ERROR(db.Transaction([&]() -> ::stripeline::Status {
    for (const char* table : {"sync_streams", "sync_slices", "sync_cursors"}) {
      SL_RETURN_IF_ERROR(db.Execute("DELETE FROM " + std::string(table) +
                                        " WHERE integration_id = $1",
                                    {integration.id})
                             .status());
    }
    SL_RETURN_IF_ERROR(db.Execute("DELETE FROM sync_run_streams WHERE run_id IN "
                                  "(SELECT id FROM sync_runs WHERE integration_id = $1)",
                                  {integration.id})
                           .status());
    SL_RETURN_IF_ERROR(
        db.Execute("DELETE FROM sync_runs WHERE integration_id = $1", {integration.id}).status());
    if (!sharing.empty() || account_id.empty()) return ::stripeline::Status::OK();
    for (const StreamSpec& stream : Streams()) {
      SL_ASSIGN_OR_RETURN(int64_t removed,
                          db.Execute("DELETE FROM " + std::string(stream.table) +
                                         " WHERE account_id = $1",
                                     {account_id}));
      rows_removed += removed;
    }
    return db.Execute("DELETE FROM sync_processed_events WHERE account_id = $1", {account_id})
        .status();
  }));
  log::Info("sync.data_deleted", {{"integration", integration.id},
                                  {"account", account_id},
                                  {"rows", std::to_string(rows_removed)}});
  if (!sharing.empty()) {
    return "its sync state was removed; the synced rows of " + account_id +
           " were kept because integration " + sharing.front() + " uses the same Stripe account";
  }
  return "its sync state and " + std::to_string(rows_removed) + " synced rows of " +
         (account_id.empty() ? std::string("its account") : account_id) + " were removed";
}

}  // namespace stripeline::sync
