#pragma once
// Internal to src/sync: what one run shares between its steps (backfill, incremental) and its
// worker threads — the target account, the stop flag, counters and per-stream progress.
//
// Thread-safety: thread-safe; the progress callback is invoked under the context's lock, so
// callers see one call at a time.

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "stripe/account_session.h"
#include "sync/data_scope.h"
#include "sync/stream_table.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

// Whom a run talks to.
struct SyncTarget {
  std::string integration_id;
  std::string account_id;  // the Stripe account rows belong to
  bool livemode = false;     // the key's mode: with account_id, the rows' scope
  // Key and Stripe-Account, over a client paced by the account's limiter: every request of
  // the run, retries included, is paced there, not by the run.
  std::shared_ptr<const stripe::AccountSession> session;

  DataScope scope() const { return {account_id, livemode}; }
};

// An error as runs, verifications and their records show it: the message and the HTTP status.
inline std::string ErrorText(const stripe::StripeError& error) {
  std::string text = error.message;
  if (error.http_status != 0) text += " (HTTP " + std::to_string(error.http_status) + ")";
  return text;
}

class RunContext {
 public:
  RunContext(std::string run_id, Clock& clock, ProgressCallback progress,
             const std::atomic<bool>* shutdown)
      : run_id_(std::move(run_id)),
        clock_(clock),
        progress_(std::move(progress)),
        shutdown_(shutdown),
        started_(clock.Monotonic()) {
    for (const StreamSpec& s : Streams()) {
      StreamProgress p;
      p.stream = std::string(s.name);
      p.state = StreamState::kPending;
      streams_.emplace(p.stream, p);
    }
  }

  const std::string& run_id() const { return run_id_; }

  // Stop everything after the current page: a pause (401), a database error, or shutdown.
  void RequestStop() { stop_.store(true); }
  bool stopped() const { return stop_.load() || (shutdown_ != nullptr && shutdown_->load()); }

  void CountRequest() { requests_.fetch_add(1); }
  int64_t requests() const { return requests_.load(); }
  int64_t objects() const { return objects_.load(); }

  void AddObjects(const std::string& stream, int64_t n) {
    objects_.fetch_add(n);
    std::lock_guard lock(mu_);
    streams_[stream].objects += n;
  }
  void SetSlices(const std::string& stream, int64_t done, int64_t total) {
    std::lock_guard lock(mu_);
    streams_[stream].slices_done = done;
    streams_[stream].slices_total = total;
  }
  void SetState(const std::string& stream, StreamState state, const std::string& error = {},
                std::optional<std::string> missing_permission = std::nullopt) {
    std::lock_guard lock(mu_);
    StreamProgress& p = streams_[stream];
    p.state = state;
    p.error = error;
    p.missing_permission = std::move(missing_permission);
  }
  StreamProgress Stream(const std::string& stream) const {
    std::lock_guard lock(mu_);
    return streams_.at(stream);
  }

  double Seconds() const {
    return std::chrono::duration<double>(clock_.Monotonic() - started_).count();
  }

  SyncProgress Snapshot() const {
    std::lock_guard lock(mu_);
    return SnapshotLocked();
  }

  // Calls the progress callback with a snapshot.
  void Report() {
    if (!progress_) return;
    std::lock_guard lock(mu_);
    progress_(SnapshotLocked());
  }

 private:
  SyncProgress SnapshotLocked() const {
    SyncProgress p;
    p.run_id = run_id_;
    for (const StreamSpec& s : Streams()) p.streams.push_back(streams_.at(std::string(s.name)));
    p.objects = objects_.load();
    p.requests = requests_.load();
    double seconds = Seconds();
    p.objects_per_second = seconds > 0 ? static_cast<double>(p.objects) / seconds : 0;
    return p;
  }

  const std::string run_id_;
  Clock& clock_;
  const ProgressCallback progress_;
  const std::atomic<bool>* shutdown_;
  const std::chrono::steady_clock::time_point started_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> requests_{0}, objects_{0};
  mutable std::mutex mu_;
  std::map<std::string, StreamProgress> streams_;  // guarded by mu_
};

}  // namespace stripeline::sync
