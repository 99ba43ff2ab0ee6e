#pragma once
// VerificationJobs: verifications of integrations as background jobs. A verification lists
// every stream from Stripe at the account's rate limit — minutes for a large account — so it
// never runs on a request thread: Start records it (queued) and returns at once, and a pool of
// worker threads of its own (`workers` of them, started with the first job) runs the queue in
// order. Each job ends succeeded (with its report), failed or canceled, and its result is kept
// in the database (VerificationStore), so it can be read later and survives a restart.
//
// One verification per integration at a time — in this process, and across processes on one
// database through the rows' holder: Start while one has not ended returns that one instead.
// Cancel stops a job before its next request to Stripe; Stop (the engine's shutdown) cancels
// every job and joins the workers. At construction the verifications that a process of this
// host left unfinished when it died are marked failed ("interrupted").
//
// Thread-safety: thread-safe. The store, verifier and clock must outlive it; the destructor
// stops.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "sync/run_context.h"
#include "sync/stream_table.h"
#include "sync/sync_lease.h"
#include "sync/sync_types.h"
#include "sync/verification_store.h"
#include "sync/verifier.h"

namespace stripeline::sync {

// What starting a verification found: the new one (started), or the one of the integration
// that had not ended yet (not started; the API answers 409 with it).
struct VerificationStart {
  Verification verification;
  bool started = false;
};

class VerificationJobs {
 public:
  VerificationJobs(VerificationStore& store, Verifier& verifier, Clock& clock, int workers);
  ~VerificationJobs();  // Stop()
  VerificationJobs(const VerificationJobs&) = delete;
  VerificationJobs& operator=(const VerificationJobs&) = delete;

  // Queues a verification of `target`'s integration over `streams`, unless one of it has not
  // ended (returned, not started). FailedPrecondition verify_stopping after Stop; database
  // errors.
  Result<VerificationStart> Start(SyncTarget target, std::vector<const StreamSpec*> streams);
  // Cancels the integration's verification that has not ended: a queued one ends canceled at
  // once, a running one before its next request to Stripe (returned as it is now, running).
  // FailedPrecondition verify_not_running when this process runs none of it.
  Result<Verification> Cancel(const std::string& integration_id);
  // Blocks until no job of this process is queued or running.
  void WaitUntilIdle();
  // Cancels every job and joins the workers; jobs end canceled ("the server is shutting down").
  // Idempotent; afterwards Start refuses.
  void Stop();

 private:
  struct Job;

  void Work();
  // The Verifier's answer for `job`, an exception turned into an error.
  Result<VerifyReport> VerifyCatching(Job& job);
  // Records how `job` ended (canceled when asked to, whatever `report` says) and forgets it;
  // returns the ended verification. Takes mu_ itself.
  Verification Finish(const std::shared_ptr<Job>& job, Result<VerifyReport> report);
  void StartWorkersLocked();  // requires mu_

  VerificationStore& store_;
  Verifier& verifier_;
  Clock& clock_;
  const int workers_wanted_;
  const LeaseHolder holder_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;                             // guarded by mu_
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // not ended, by integration; mu_
  std::deque<std::shared_ptr<Job>> queue_;            // mu_
  std::vector<std::thread> workers_;                  // mu_ (joined by Stop without it)
};

}  // namespace stripeline::sync
