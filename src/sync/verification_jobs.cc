#include "sync/verification_jobs.h"

#include <algorithm>
#include <exception>

#include "common/log.h"
#include "common/secrets.h"

namespace stripeline::sync {

namespace {

constexpr char kShutdownReason[] = "canceled: the server is shutting down";

Status Stopping() {
  return Status::FailedPrecondition("The server is stopping; verify after it restarts.",
                                    "verify_stopping");
}

}  // namespace

struct VerificationJobs::Job {
  Verification verification;  // guarded by mu_
  SyncTarget target;
  std::vector<const StreamSpec*> streams;
  std::atomic<bool> canceled{false};
  std::string cancel_reason;  // guarded by mu_
};

VerificationJobs::VerificationJobs(VerificationStore& store, Verifier& verifier, Clock& clock,
                                   int workers)
    : store_(store),
      verifier_(verifier),
      clock_(clock),
      workers_wanted_(std::max(1, workers)),
      holder_(LeaseHolder::ForThisProcess()) {
  Result<int64_t> interrupted = store_.MarkInterrupted(holder_.host, clock_.NowUnix());
  if (!interrupted.ok()) {
    log::Warn("sync.verify_interrupted_unmarked", {{"error", interrupted.status().ToString()}});
  } else if (*interrupted > 0) {
    log::Info("sync.verify_interrupted", {{"verifications", std::to_string(*interrupted)}});
  }
}

VerificationJobs::~VerificationJobs() { Stop(); }

// No database call is made holding mu_: the engine cancels a verification from inside the
// transaction that deletes an integration (DeleteSyncedData), so a thread may hold the database
// and then want mu_.
Result<VerificationStart> VerificationJobs::Start(SyncTarget target,
                                                  std::vector<const StreamSpec*> streams) {
  const std::string integration_id = target.integration_id;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Stopping();
    if (auto it = jobs_.find(integration_id); it != jobs_.end()) {
      return VerificationStart{it->second->verification, false};
    }
  }
  auto job = std::make_shared<Job>();
  job->verification.id = NewId("ver");
  job->verification.integration_id = integration_id;
  job->verification.state = VerificationState::kQueued;
  job->verification.started_at = clock_.NowUnix();
  job->target = std::move(target);
  job->streams = std::move(streams);
  // Begin's transaction decides between concurrent starts, of this process (the loser finds the
  // winner's row, held by holder_) and of others.
  SL_ASSIGN_OR_RETURN(std::optional<Verification> other,
                      store_.Begin(job->verification, holder_, job->verification.started_at));
  if (other) return VerificationStart{*std::move(other), false};
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      jobs_[integration_id] = job;
      queue_.push_back(job);
      StartWorkersLocked();
      cv_.notify_all();  // one condition for workers and WaitUntilIdle: wake a worker for sure
      log::Info("sync.verify_queued",
                {{"integration", integration_id}, {"verification", job->verification.id}});
      return VerificationStart{job->verification, true};
    }
    job->canceled.store(true);
    job->cancel_reason = kShutdownReason;
  }
  Finish(job, Stopping());  // recorded, but stopped before it was queued
  return Stopping();
}

void VerificationJobs::StartWorkersLocked() {
  while (static_cast<int>(workers_.size()) < workers_wanted_) {
    workers_.emplace_back([this] { Work(); });
  }
}

Result<Verification> VerificationJobs::Cancel(const std::string& integration_id) {
  std::shared_ptr<Job> job;
  {
    std::lock_guard lock(mu_);
    auto it = jobs_.find(integration_id);
    if (it == jobs_.end()) {
      return Status::FailedPrecondition(
          "No verification of integration " + integration_id + " is running.",
          "verify_not_running");
    }
    job = it->second;
    job->canceled.store(true);
    job->cancel_reason = "canceled on request";
    auto queued = std::find(queue_.begin(), queue_.end(), job);
    if (queued == queue_.end()) return job->verification;  // its worker stops before Stripe
    queue_.erase(queued);
  }
  return Finish(job, Status::FailedPrecondition("Canceled before it started.", "verify_canceled"));
}

void VerificationJobs::Work() {
  while (true) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to end
      job = queue_.front();
      queue_.pop_front();
      job->verification.state = VerificationState::kRunning;
    }
    const std::string& id = job->verification.id;
    if (Status running = store_.SetState(id, VerificationState::kRunning); !running.ok()) {
      log::Warn("sync.verify_state_unsaved", {{"verification", id}, {"error", running.ToString()}});
    }
    log::Info("sync.verify_started",
              {{"integration", job->target.integration_id}, {"verification", id}});
    Finish(job, VerifyCatching(*job));
  }
}

Result<VerifyReport> VerificationJobs::VerifyCatching(Job& job) {
  try {
    return verifier_.Verify(job.target, job.streams, &job.canceled);
  } catch (const std::exception& e) {
    // A bug (e.g. an answer of an unexpected shape): on a request thread the server caught it;
    // here it must not take the process down.
    log::Error("sync.verify_exception", {{"verification", job.verification.id}, {"what", e.what()}});
    return Status::Internal("The verification stopped on an unexpected error; see the server log.",
                            "verify_error");
  }
}

Verification VerificationJobs::Finish(const std::shared_ptr<Job>& job,
                                      Result<VerifyReport> report) {
  Verification ended;
  {
    std::lock_guard lock(mu_);
    ended = job->verification;
    if (job->canceled.load()) {
      ended.state = VerificationState::kCanceled;
      ended.error = job->cancel_reason;
    }
  }
  ended.finished_at = clock_.NowUnix();
  if (ended.state == VerificationState::kCanceled) {
    // canceled: whatever the verifier returned
  } else if (report.ok()) {
    ended.state = VerificationState::kSucceeded;
    ended.report = std::move(report).value();
  } else {
    ended.state = VerificationState::kFailed;
    ended.error = report.status().message();
  }
  // Recorded before the job is forgotten: a start that finds no job here finds the row ended.
  if (Status saved = store_.Finish(ended); !saved.ok()) {
    log::Error("sync.verify_result_unsaved",
               {{"verification", ended.id}, {"error", saved.ToString()}});
  }
  log::Info("sync.verify_finished", {{"integration", ended.integration_id},
                                     {"verification", ended.id},
                                     {"state", std::string(Name(ended.state))}});
  std::lock_guard lock(mu_);
  job->verification = ended;
  auto it = jobs_.find(ended.integration_id);
  if (it != jobs_.end() && it->second == job) jobs_.erase(it);
  cv_.notify_all();
  return ended;
}

void VerificationJobs::WaitUntilIdle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return jobs_.empty(); });
}

void VerificationJobs::Stop() {
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [integration_id, job] : jobs_) {
      job->canceled.store(true);
      job->cancel_reason = kShutdownReason;
    }
    workers.swap(workers_);
    cv_.notify_all();
  }
  // The workers end the queued jobs too (canceled before their first request), then return.
  for (std::thread& worker : workers) worker.join();
}

}  // namespace stripeline::sync
