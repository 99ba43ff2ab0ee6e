#include "sync/sync_engine.h"

#include <boost/json.hpp>

#include <algorithm>

#include "common/log.h"
#include "common/secrets.h"

namespace stripeline::sync {

namespace json = boost::json;

struct SyncEngine::Prepared {
  store::Integration integration;
  SyncTarget target;
};

// The run in progress of an integration, for Status.
struct SyncEngine::Live {
  std::shared_ptr<const SyncRun> run;  // null until Execute has made it
  int64_t started_at = 0;
  std::string run_id;
};

SyncEngine::SyncEngine(store::Database& db, store::Store& store,
                       integrations::IntegrationService& integrations,
                       const stripe::Client& client, stripe::RateLimiterRegistry& limiters,
                       Clock& clock, SyncOptions options)
    : store_(store),
      db_(db),
      integrations_(integrations),
      client_(client),
      limiters_(limiters),
      clock_(clock),
      options_(std::move(options)),
      state_(db_),
      data_(db_),
      applier_(db_, store, integrations, clock,
               [this](const std::string& id, const StreamSpec& stream, const std::string& object) {
                 return Refetch(id, stream, object);
               }),
      verifier_(data_, clock),
      exporter_(data_),
      verification_store_(db_),
      verifications_(verification_store_, verifier_, clock, options_.verify_workers),
      services_{.store = store,
                .db = db_,
                .state = state_,
                .integrations = integrations,
                .applier = applier_,
                .options = options_,
                .clock = clock,
                .shutdown = shutdown_},
      scheduler_(
          store, [this](const std::string& id) { return Start(id); },
          [this](const std::string& id) { return IsRunning(id); }),
      leases_(db_, clock, options_.lease_ttl),
      lease_keeper_(leases_, [this] {
        std::lock_guard lock(mu_);
        return !running_.empty();
      }) {}

SyncEngine::~SyncEngine() { Stop(); }

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
  std::string account_id = DataScopeOf(integration).account_id;
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
                                    .stripe_account = integration.account_id,
                                    .cancelled = &shutdown_}));
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
  live_[integration_id] = std::make_shared<Live>(Live{nullptr, clock_.NowUnix(), run_id});
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
  const std::string& integration_id = prepared.target.integration_id;
  // Before the new run marks what is left 'running' as interrupted.
  SL_RETURN_IF_ERROR(RecordUnrecorded(integration_id));
  auto run = std::make_shared<SyncRun>(services_, prepared.target, run_id, SelectedStreams(),
                                       progress);
  {
    std::lock_guard lock(mu_);
    live_[integration_id] = std::make_shared<Live>(Live{run, run->started_at(), run_id});
  }
  Result<SyncRunResult> result = run->Execute();
  if (run->unrecorded()) {
    std::lock_guard lock(mu_);
    unrecorded_[integration_id] = *run->unrecorded();
  }
  return result;
}

::stripeline::Status SyncEngine::RecordUnrecorded(const std::string& integration_id) {
  std::optional<RunRecord> pending;
  {
    std::lock_guard lock(mu_);
    auto it = unrecorded_.find(integration_id);
    if (it == unrecorded_.end()) return ::stripeline::Status::OK();
    pending = it->second;
  }
  SL_RETURN_IF_ERROR(state_.FinishRun(*pending));
  log::Info("sync.outcome_recorded", {{"integration", integration_id}, {"run", pending->id}});
  std::lock_guard lock(mu_);
  if (auto it = unrecorded_.find(integration_id); it != unrecorded_.end() &&
                                                  it->second.id == pending->id) {
    unrecorded_.erase(it);
  }
  return ::stripeline::Status::OK();
}

RunRecord SyncEngine::WithOutcome(RunRecord run) {
  std::lock_guard lock(mu_);
  auto it = unrecorded_.find(run.integration_id);
  return it != unrecorded_.end() && it->second.id == run.id ? it->second : run;
}

bool SyncEngine::IsRunning(const std::string& integration_id) {
  std::lock_guard lock(mu_);
  return running_.count(integration_id) > 0;
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
  SyncStateStore& state = state_;
  SyncStatus status;
  status.integration_id = integration.id;
  SL_ASSIGN_OR_RETURN(std::vector<StreamRecord> records, state.Streams(integration_id));
  SL_ASSIGN_OR_RETURN(std::vector<SliceRecord> slices, state.Slices(integration_id));
  std::shared_ptr<Live> live;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(integration_id);
    if (it != live_.end()) live = it->second;
    status.running = running_.count(integration_id) > 0;
  }
  for (const StreamSpec* stream : SelectedStreams()) {
    StreamProgress p;
    p.stream = std::string(stream->name);
    p.state = StreamState::kPending;
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
    current.kind = live->run ? live->run->kind() : RunKind::kIncremental;
    current.status = RunStatus::kRunning;
    current.started_at = live->started_at;
    if (live->run) {
      const RunContext& context = live->run->context();
      SyncProgress progress = context.Snapshot();
      current.objects = progress.objects;
      current.requests = progress.requests;
      current.seconds = context.Seconds();
      current.objects_per_second = progress.objects_per_second;
      current.streams = progress.streams;
    }
    status.objects_per_second = current.objects_per_second;
    status.current_run = std::move(current);
  }
  SL_ASSIGN_OR_RETURN(std::vector<RunRecord> runs, state.Runs(integration_id, 5));
  for (RunRecord& run : runs) {
    run = WithOutcome(std::move(run));
    if (run.status == RunStatus::kRunning) continue;
    status.last_run = ResultOf(run);
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
  SL_ASSIGN_OR_RETURN(std::vector<RunRecord> runs, state_.Runs(integration_id, limit));
  std::vector<SyncRunResult> out;
  for (RunRecord& run : runs) out.push_back(ResultOf(WithOutcome(std::move(run))));
  return out;
}

void SyncEngine::StartScheduler(std::chrono::milliseconds interval) {
  scheduler_.Start(interval);
}

Result<std::vector<std::string>> SyncEngine::SyncActiveIntegrations() {
  return scheduler_.Tick();
}

void SyncEngine::RequestStop() {
  scheduler_.Stop();
  std::lock_guard lock(mu_);
  shutdown_.store(true);
  cv_.notify_all();
}

void SyncEngine::Stop() {
  RequestStop();
  verifications_.Stop();  // cancels them; each ends before its next request to Stripe
  WaitForBackgroundRuns();
  // A last chance for outcomes the database refused (it may take them now).
  std::vector<std::string> unrecorded;
  {
    std::lock_guard lock(mu_);
    for (const auto& [integration_id, run] : unrecorded_) unrecorded.push_back(integration_id);
  }
  for (const std::string& integration_id : unrecorded) {
    if (::stripeline::Status recorded = RecordUnrecorded(integration_id); !recorded.ok()) {
      log::Warn("sync.outcome_lost", {{"integration", integration_id},
                                      {"error", recorded.ToString()}});
    }
  }
}

Result<VerifyReport> SyncEngine::Verify(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(Prepared prepared, Prepare(integration_id));
  return verifier_.Verify(prepared.target, SelectedStreams());
}

Result<VerificationStart> SyncEngine::StartVerification(const std::string& integration_id) {
  SL_ASSIGN_OR_RETURN(Prepared prepared, Prepare(integration_id));
  if (IsRunning(integration_id)) {
    return ::stripeline::Status::FailedPrecondition(
        "A sync of integration " + integration_id +
            " is running; verify once it has finished (the tables are changing).",
        "sync_running");
  }
  return verifications_.Start(std::move(prepared.target), SelectedStreams());
}

Result<std::optional<Verification>> SyncEngine::LatestVerification(
    const std::string& integration_id) {
  return verification_store_.Latest(integration_id);
}

Result<Verification> SyncEngine::CancelVerification(const std::string& integration_id) {
  return verifications_.Cancel(integration_id);
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
  return exporter_.Export(DataScopeOf(integration), *stream, format, out);
}

Result<std::string> SyncEngine::DeleteSyncedData(const store::Integration& integration) {
  SL_RETURN_IF_ERROR(Claim(integration.id));
  struct ReleaseOnExit {
    SyncEngine* engine;
    const std::string& id;
    ~ReleaseOnExit() { engine->Release(id); }
  } release{this, integration.id};

  // A verification still running would write its result after the rows below are gone.
  if (Result<Verification> canceled = verifications_.Cancel(integration.id); canceled.ok()) {
    log::Info("sync.verify_canceled_by_delete", {{"integration", integration.id}});
  }
  // Only this integration's scope goes: the account's rows of the other mode belong to other
  // integrations (or to none yet) and stay.
  const DataScope scope = DataScopeOf(integration);
  std::vector<std::string> sharing;  // other integrations whose rows are the same rows
  if (!scope.account_id.empty()) {
    SL_ASSIGN_OR_RETURN(sharing, data_.OtherIntegrationsOfScope(integration.id, scope));
  }
  int64_t rows_removed = 0;
  SL_RETURN_IF_ERROR(db_.Transaction([&]() -> ::stripeline::Status {
    SL_RETURN_IF_ERROR(state_.DeleteIntegration(integration.id));
    SL_RETURN_IF_ERROR(verification_store_.DeleteIntegration(integration.id));
    if (!sharing.empty() || scope.account_id.empty()) return ::stripeline::Status::OK();
    SL_ASSIGN_OR_RETURN(rows_removed, data_.DeleteScope(scope));
    return state_.DeleteProcessedEvents(scope);
  }));
  log::Info("sync.data_deleted", {{"integration", integration.id},
                                  {"account", scope.account_id},
                                  {"livemode", scope.livemode ? "true" : "false"},
                                  {"rows", std::to_string(rows_removed)}});
  const std::string mode = scope.ModeName();
  if (!sharing.empty()) {
    return "its sync state was removed; the synced " + mode + "-mode rows of " +
           scope.account_id + " were kept because integration " + sharing.front() +
           " uses the same Stripe account in " + mode + " mode";
  }
  return "its sync state and " + std::to_string(rows_removed) + " synced rows of " +
         (scope.account_id.empty() ? std::string("its account") : scope.account_id) +
         " were removed (" + mode + " mode only)";
}

}  // namespace stripeline::sync
