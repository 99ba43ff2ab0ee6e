#include "sync/backfill.h"

#include <boost/json.hpp>

#include <algorithm>
#include <thread>

#include "common/log.h"
#include "stripe/permissions.h"

namespace stripeline::sync {

namespace json = boost::json;

bool IsAuthFailure(const stripe::StripeError& error) {
  return error.kind == stripe::ErrorKind::kAuthentication ||
         (error.kind == stripe::ErrorKind::kPermission && error.code == "account_invalid");
}

namespace {

std::optional<int64_t> CreatedOf(const json::object& object) {
  const json::value* created = object.if_contains("created");
  if (created != nullptr && created->is_int64()) return created->get_int64();
  return std::nullopt;
}

std::string Describe(const stripe::StripeError& error) {
  std::string text = error.message;
  if (error.http_status != 0) text += " (HTTP " + std::to_string(error.http_status) + ")";
  if (!error.request_id.empty()) text += " [" + error.request_id + "]";
  return text;
}

}  // namespace

Backfill::Backfill(store::Database& db, const SyncOptions& options, Clock& clock,
                   const SyncTarget& target, RunContext& context, int64_t version)
    : db_(db),
      state_(db),
      data_(db),
      writer_(db),
      options_(options),
      clock_(clock),
      target_(target),
      context_(context),
      version_(version) {}

Result<Backfill::Outcome> Backfill::Run(const std::vector<const StreamSpec*>& streams) {
  const int64_t now = clock_.NowUnix();
  int64_t floor = options_.backfill_floor;
  std::vector<const StreamSpec*> sliced;
  for (const StreamSpec* stream : streams) {
    SL_ASSIGN_OR_RETURN(std::optional<StreamRecord> record,
                        state_.Stream(target_.integration_id, std::string(stream->name)));
    StreamRecord r = record.value_or(StreamRecord{.stream = std::string(stream->name)});
    r.state = StreamState::kRunning;
    r.last_error.clear();
    r.missing_permission.reset();
    r.updated_at = now;
    SL_RETURN_IF_ERROR(state_.PutStream(target_.integration_id, r));
    context_.SetState(r.stream, StreamState::kRunning);
    if (stream->kind == StreamKind::kSingleton) {
      SL_RETURN_IF_ERROR(SyncAccount(*stream, &floor));
    } else {
      sliced.push_back(stream);
    }
  }
  if (!context_.stopped() && !sliced.empty()) {
    floor_ = floor;
    SL_RETURN_IF_ERROR(Plan(sliced, floor));
    int workers = std::max(1, options_.workers);
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (int i = 0; i < workers; ++i) threads.emplace_back([this] { Worker(); });
    for (std::thread& thread : threads) thread.join();
  }

  std::lock_guard lock(mu_);
  SL_RETURN_IF_ERROR(db_error_);
  Outcome outcome;
  outcome.auth_error = auth_error_;
  outcome.stopped = context_.stopped();
  for (const StreamSpec* stream : sliced) {
    const std::string name(stream->name);
    StreamRun& run = streams_[name];
    if (run.stopped) continue;
    SL_ASSIGN_OR_RETURN(std::optional<StreamRecord> record,
                        state_.Stream(target_.integration_id, name));
    StreamRecord r = record.value_or(StreamRecord{.stream = name});
    r.updated_at = clock_.NowUnix();
    if (run.planned && run.done == run.total) {
      r.state = StreamState::kSynced;
      r.last_error.clear();
      SL_ASSIGN_OR_RETURN(int64_t swept, SweepDeleted(*stream, run.version));
      if (swept > 0) {
        log::Info("sync.deletions_found", {{"integration", target_.integration_id},
                                           {"stream", name},
                                           {"rows", std::to_string(swept)}});
      }
    } else {
      r.state = auth_error_ ? StreamState::kPaused : StreamState::kPending;
      r.last_error = auth_error_ ? "paused: " + auth_error_->message : "";
    }
    SL_RETURN_IF_ERROR(state_.PutStream(target_.integration_id, r));
    context_.SetState(name, r.state, r.last_error);
  }
  context_.Report();
  return outcome;
}

Status Backfill::SyncAccount(const StreamSpec& stream, int64_t* floor) {
  const std::string name(stream.name);
  context_.CountRequest();
  stripe::StripeResult<stripe::ApiResponse> response =
      target_.session->Request("GET", stream.endpoint);
  if (!response.ok()) {
    const stripe::StripeError& error = response.error();
    if (IsAuthFailure(error)) {
      PauseForAuth(error);
      return state_.PutStream(target_.integration_id,
                              {.stream = name,
                               .state = StreamState::kPaused,
                               .last_error = "paused: " + error.message,
                               .updated_at = clock_.NowUnix()});
    }
    if (error.kind == stripe::ErrorKind::kPermission) {
      auto permission = stripe::ParseMissingPermission(error.message);
      if (permission) {
        StopStream(stream, StreamState::kMissingPermission, Describe(error), permission);
      } else {
        // Stripe closes /v1/account to restricted keys (stripe-api.md §1): nothing to grant.
        StopStream(stream, StreamState::kUnavailableToKey,
                   "GET /v1/account is not available to this key: " + Describe(error), {});
      }
    } else {
      StopStream(stream, StreamState::kFailed, Describe(error), {});
    }
    std::lock_guard lock(mu_);
    return db_error_;
  }
  const json::value& body = response.value().body;
  if (!body.is_object()) {
    StopStream(stream, StreamState::kFailed, "GET /v1/account did not answer an object", {});
    return Status::OK();
  }
  const json::object& account = body.get_object();
  if (auto created = CreatedOf(account); created && *created > 0) *floor = *created;
  WriteMeta meta{.account_id = target_.account_id,
                 .default_livemode = target_.livemode,
                 .version = version_,
                 .synced_at = clock_.NowUnix()};
  SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(writer_.Upsert(stream, account, meta).status());
    return state_.PutStream(target_.integration_id, {.stream = name,
                                                     .state = StreamState::kSynced,
                                                     .objects_synced = 1,
                                                     .updated_at = clock_.NowUnix()});
  }));
  context_.AddObjects(name, 1);
  context_.SetState(name, StreamState::kSynced);
  context_.Report();
  return Status::OK();
}

Status Backfill::Plan(const std::vector<const StreamSpec*>& streams, int64_t floor) {
  SL_ASSIGN_OR_RETURN(std::vector<SliceRecord> existing, state_.Slices(target_.integration_id));
  const int64_t now = clock_.NowUnix();
  std::lock_guard lock(mu_);
  for (const StreamSpec* stream : streams) {
    const std::string name(stream->name);
    StreamRun& run = streams_[name];
    run.planned = true;
    run.version = version_;
    bool any = false;
    for (const SliceRecord& s : existing) {
      if (s.stream != name) continue;
      any = true;
      ++run.total;
      if (s.done) {
        ++run.done;
        continue;
      }
      auto live = std::make_unique<LiveSlice>();
      live->stream = stream;
      live->start = s.start;
      live->end = s.end;
      live->cursor = s.cursor;
      pending_.push_back(live.get());
      slices_.push_back(std::move(live));
    }
    if (any) {
      // Resuming: keep writing the version the plan started with.
      SL_ASSIGN_OR_RETURN(std::optional<StreamRecord> record,
                          state_.Stream(target_.integration_id, name));
      if (record && record->backfill_version) run.version = *record->backfill_version;
    } else {
      // A fresh backfill of this stream: its count starts again, its version is fixed. It
      // starts as one slice over everything; its first page (the newest objects) shows the
      // stream's density, and the slice is then split to fit (PlanFromFirstPageLocked).
      std::vector<SliceRecord> planned{{.stream = name, .start = 0, .end = kOpenEnd}};
      SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
        SL_RETURN_IF_ERROR(state_.ResetStreamBackfill(target_.integration_id, name, version_));
        for (const SliceRecord& s : planned) {
          SL_RETURN_IF_ERROR(state_.InsertSlice(target_.integration_id, s, now));
        }
        return Status::OK();
      }));
      // Newest slices first: recent data is what people look at first.
      for (auto it = planned.rbegin(); it != planned.rend(); ++it) {
        auto live = std::make_unique<LiveSlice>();
        live->stream = stream;
        live->start = it->start;
        live->end = it->end;
        live->plan_from_first_page = true;
        pending_.push_back(live.get());
        slices_.push_back(std::move(live));
        ++run.total;
      }
    }
    ReportSlices(name);
  }
  return Status::OK();
}

void Backfill::ReportSlices(const std::string& stream) {
  const StreamRun& run = streams_[stream];
  context_.SetSlices(stream, run.done, run.total);
}

Result<int64_t> Backfill::SweepDeleted(const StreamSpec& stream, int64_t version) {
  if (stream.kind != StreamKind::kList || version <= 0) return int64_t{0};
  return data_.MarkDeletedBelowVersion(stream, target_.scope(), version, clock_.NowUnix());
}

int64_t Backfill::EstimatedRemaining(const LiveSlice& slice) const {
  if (!slice.first_created || !slice.last_created || slice.seen == 0) return 0;
  // Objects per second of `created` seen so far, over at least one second.
  const double span = static_cast<double>(std::max<int64_t>(1, *slice.first_created -
                                                                   *slice.last_created + 1));
  // Nothing is older than the account: a slice starting at 0 holds data only from the floor.
  const double remaining_range =
      static_cast<double>(*slice.last_created - std::max(slice.start, floor_));
  const double estimate = static_cast<double>(slice.seen) * remaining_range / span;
  return estimate > 1e15 ? int64_t{1'000'000'000'000'000} : static_cast<int64_t>(estimate);
}

void Backfill::PlanFromFirstPageLocked(LiveSlice* slice) {
  // Equal shares of what the stream probably still holds below its first page, at its
  // first page's density, each worth at least kMinPagesPerPlannedSlice pages: a small
  // stream stays one slice, a large one gets up to initial_slices from the start, and the
  // few nearly empty slices an equal split of [floor, now] gives a small account are gone.
  constexpr int64_t kMinPagesPerPlannedSlice = 4;
  const int64_t page_size = std::max(1, options_.page_size);
  const int64_t wanted =
      std::min<int64_t>(std::max(1, options_.initial_slices),
                        EstimatedRemaining(*slice) / (kMinPagesPerPlannedSlice * page_size));
  if (wanted < 2 || !slice->last_created) return;
  const int64_t low = std::max(slice->start, floor_);
  const int64_t high = *slice->last_created;  // the slice keeps going down from here
  if (high - low < wanted) return;
  std::vector<int64_t> bounds{slice->start};  // the lowest slice starts where this one did
  for (int64_t i = 1; i < wanted; ++i) bounds.push_back(low + (high - low) * i / wanted);
  const std::string name(slice->stream->name);
  const int64_t now = clock_.NowUnix();
  Status saved = db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(
        state_.SetSliceStart(target_.integration_id, name, slice->end, bounds.back(), now));
    for (size_t i = 0; i + 1 < bounds.size(); ++i) {
      SL_RETURN_IF_ERROR(state_.InsertSlice(
          target_.integration_id, {.stream = name, .start = bounds[i], .end = bounds[i + 1]},
          now));
    }
    return Status::OK();
  });
  if (!saved.ok()) {
    db_error_ = saved;
    context_.RequestStop();
    return;
  }
  slice->start = bounds.back();
  // Newest first, as planned slices are.
  for (size_t i = bounds.size() - 1; i-- > 0;) {
    auto lower = std::make_unique<LiveSlice>();
    lower->stream = slice->stream;
    lower->start = bounds[i];
    lower->end = bounds[i + 1];
    pending_.push_back(lower.get());
    slices_.push_back(std::move(lower));
    ++streams_[name].total;
  }
  ReportSlices(name);
}

void Backfill::Worker() {
  while (LiveSlice* slice = Take()) {
    ProcessSlice(slice);
    std::lock_guard lock(mu_);
    slice->active = false;
    --active_;
    cv_.notify_all();
  }
}

Backfill::LiveSlice* Backfill::Take() {
  std::unique_lock lock(mu_);
  while (true) {
    if (context_.stopped() || !db_error_.ok()) return nullptr;
    while (!pending_.empty()) {
      LiveSlice* slice = pending_.front();
      pending_.pop_front();
      if (streams_[std::string(slice->stream->name)].stopped) continue;
      slice->active = true;
      ++active_;
      return slice;
    }
    // Nothing pending: split the active slice with the most work left.
    LiveSlice* best = nullptr;
    int64_t best_remaining = 0;
    const int64_t threshold = 4 * static_cast<int64_t>(std::max(1, options_.page_size));
    for (const auto& s : slices_) {
      if (!s->active || s->finished || !s->last_created ||
          streams_[std::string(s->stream->name)].stopped) {
        continue;
      }
      if (*s->last_created - std::max(s->start, floor_) < 2) continue;
      int64_t remaining = EstimatedRemaining(*s);
      if (remaining < threshold) continue;
      if (best == nullptr || remaining > best_remaining) {
        best = s.get();
        best_remaining = remaining;
      }
    }
    if (best != nullptr) {
      const int64_t low = std::max(best->start, floor_);
      int64_t mid = low + (*best->last_created - low) / 2;
      auto lower = std::make_unique<LiveSlice>();
      lower->stream = best->stream;
      lower->start = best->start;
      lower->end = mid;
      const std::string name(best->stream->name);
      const int64_t now = clock_.NowUnix();
      Status saved = db_.Transaction([&]() -> Status {
        SL_RETURN_IF_ERROR(state_.SetSliceStart(target_.integration_id, name, best->end, mid, now));
        return state_.InsertSlice(target_.integration_id,
                                  {.stream = name, .start = lower->start, .end = lower->end}, now);
      });
      if (!saved.ok()) {
        db_error_ = saved;
        context_.RequestStop();
        return nullptr;
      }
      best->start = mid;
      lower->active = true;
      ++active_;
      ++streams_[name].total;
      ReportSlices(name);
      LiveSlice* taken = lower.get();
      slices_.push_back(std::move(lower));
      return taken;
    }
    if (active_ == 0) return nullptr;
    cv_.wait(lock);
  }
}

void Backfill::ProcessSlice(LiveSlice* slice) {
  const StreamSpec& stream = *slice->stream;
  const std::string name(stream.name);
  int64_t version = 0;
  {
    std::lock_guard lock(mu_);
    version = streams_[name].version;  // fixed by Plan() for the whole run
  }
  stripe::ListPager pager = target_.session->Pager(std::string(stream.endpoint),
                                                   ListParams(stream, options_.page_size, {}));
  while (true) {
    {
      // The slice's checkpoint, not the pager, is where the walk stands: a split may have
      // moved its start, and only objects kept (inside the slice) move its cursor.
      std::lock_guard lock(mu_);
      if (context_.stopped() || streams_[name].stopped || !db_error_.ok()) return;
      pager.Seek({.created_gte = slice->start,
                  .created_lt = slice->end != kOpenEnd ? std::optional(slice->end) : std::nullopt},
                 slice->cursor);
    }
    context_.CountRequest();
    stripe::StripeResult<stripe::ListPage> page = *pager.Next();
    if (!page.ok()) {
      const stripe::StripeError& error = page.error();
      if (IsAuthFailure(error)) {
        PauseForAuth(error);
        return;
      }
      if (error.kind == stripe::ErrorKind::kPermission) {
        auto permission = stripe::ParseMissingPermission(error.message);
        StopStream(stream, permission ? StreamState::kMissingPermission : StreamState::kFailed, Describe(error),
                   permission);
        return;
      }
      if (error.kind == stripe::ErrorKind::kInvalidRequest && error.code == "resource_missing" &&
          error.param == "starting_after") {
        // The cursor object was deleted since the last page. Restart below its time: objects of
        // the same second may be written again (idempotent), none is skipped.
        std::lock_guard lock(mu_);
        int64_t new_end = slice->last_created ? *slice->last_created + 1 : slice->end;
        if (new_end > slice->end) new_end = slice->end;
        Status saved = state_.RestartSlice(target_.integration_id, name, slice->end, new_end,
                                           clock_.NowUnix());
        if (!saved.ok()) {
          db_error_ = saved;
          context_.RequestStop();
          return;
        }
        slice->end = new_end;
        slice->cursor.reset();
        continue;
      }
      // The client has retried what was worth retrying (RetryPolicy), paced by the account's
      // limiter, 429s for as long as Stripe grants any pace at all.
      StopStream(stream, StreamState::kFailed, Describe(error), {});
      return;
    }
    const stripe::ListPage& data = page.value();

    // Rows are built before taking the lock: serialising the raw JSON and extracting the typed
    // columns is most of a page's CPU and needs nothing shared, so workers do it in parallel
    // while the lock (and the database) serve only the writes.
    const int64_t now = clock_.NowUnix();
    const WriteMeta meta{.account_id = target_.account_id,
                         .default_livemode = target_.livemode,
                         .version = version,
                         .synced_at = now};
    struct PageRow {
      const json::object* object;
      std::optional<int64_t> created;
      Result<std::vector<store::Value>> values;
    };
    std::vector<PageRow> rows;
    rows.reserve(data.data.size());
    for (const json::object& object : data.data) {
      rows.push_back({&object, CreatedOf(object), ObjectWriter::Row(stream, object, meta)});
    }

    bool done = false;
    {
      std::lock_guard lock(mu_);
      if (context_.stopped() || streams_[name].stopped || !db_error_.ok()) return;
      std::vector<const PageRow*> kept;
      bool below_start = false;
      for (const PageRow& row : rows) {
        if (row.created && *row.created < slice->start) {
          below_start = true;  // the rest belongs to a slice split off below this one
          continue;
        }
        if (row.created && *row.created >= slice->end) continue;
        kept.push_back(&row);
      }
      done = !data.has_more || below_start || kept.empty();
      std::optional<std::string> cursor = slice->cursor;
      if (!kept.empty()) cursor = std::string(kept.back()->object->at("id").as_string());
      Status written = db_.Transaction([&]() -> Status {
        for (const PageRow* row : kept) {
          SL_RETURN_IF_ERROR(row->values.status());
          SL_RETURN_IF_ERROR(writer_.Write(stream, *row->values).status());
        }
        SL_RETURN_IF_ERROR(state_.CheckpointSlice(target_.integration_id, name, slice->end,
                                                  cursor, done,
                                                  static_cast<int64_t>(kept.size()), now));
        return state_.AddStreamObjects(target_.integration_id, name,
                                       static_cast<int64_t>(kept.size()), now);
      });
      if (!written.ok()) {
        db_error_ = written;
        context_.RequestStop();
        cv_.notify_all();
        return;
      }
      slice->cursor = cursor;
      if (!kept.empty()) {
        slice->last_created = kept.back()->created;
        if (!slice->first_created) slice->first_created = kept.front()->created;
        slice->seen += static_cast<int64_t>(kept.size());
      }
      context_.AddObjects(name, static_cast<int64_t>(kept.size()));
      if (slice->plan_from_first_page) {
        slice->plan_from_first_page = false;
        if (!done) PlanFromFirstPageLocked(slice);
      }
      if (done) {
        slice->finished = true;
        ++streams_[name].done;
        ReportSlices(name);
      }
      cv_.notify_all();
    }
    context_.Report();
    if (done) return;
  }
}

void Backfill::StopStream(const StreamSpec& stream, StreamState state,
                          const std::string& error, std::optional<std::string> permission) {
  const std::string name(stream.name);
  std::lock_guard lock(mu_);
  StreamRun& run = streams_[name];
  if (run.stopped) return;
  run.stopped = true;
  log::Warn("sync.stream_stopped", {{"integration", target_.integration_id},
                                     {"stream", name},
                                     {"state", std::string(Name(state))},
                                     {"error", error}});
  Result<std::optional<StreamRecord>> record = state_.Stream(target_.integration_id, name);
  StreamRecord r;
  if (record.ok() && record.value()) r = *record.value();
  r.stream = name;
  r.state = state;
  r.last_error = error;
  r.missing_permission = permission;
  r.updated_at = clock_.NowUnix();
  Status saved = state_.PutStream(target_.integration_id, r);
  if (!saved.ok() && db_error_.ok()) db_error_ = saved;
  context_.SetState(name, state, error, permission);
  cv_.notify_all();
}

void Backfill::PauseForAuth(const stripe::StripeError& error) {
  {
    std::lock_guard lock(mu_);
    if (!auth_error_) auth_error_ = error;
    cv_.notify_all();
  }
  context_.RequestStop();
}

}  // namespace stripeline::sync
