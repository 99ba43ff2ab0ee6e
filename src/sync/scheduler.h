#pragma once
// Scheduler: starts a sync of every active integration, every interval, on a thread of its
// own. A tick (Tick) lists the integrations and starts a background run of each active one
// that has none in progress; inactive integrations are never called. The waiting is on real
// time (it is wiring; Tick is the logic, and tests call it directly).
//
// Thread-safety: thread-safe. `store` must outlive it and `start`/`running` must stay callable
// until Stop (the destructor stops).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace stripeline::sync {

class Scheduler {
 public:
  // Starts a background run of the integration, returning its run id (SyncEngine::Start).
  using StartRun = std::function<Result<std::string>(const std::string& integration_id)>;
  // Whether a run of the integration is in progress.
  using IsRunning = std::function<bool(const std::string& integration_id)>;

  Scheduler(store::Store& store, StartRun start, IsRunning running);
  ~Scheduler();  // Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts (or restarts with a new interval) the thread that ticks every `interval`, the first
  // time at once.
  void Start(std::chrono::milliseconds interval);
  // Stops and joins the thread. Idempotent.
  void Stop();
  // One tick: the ids of the integrations whose run it started. A refused start (e.g. another
  // process runs it) is logged and skipped.
  Result<std::vector<std::string>> Tick();

 private:
  void Loop(std::chrono::milliseconds interval);

  store::Store& store_;
  const StartRun start_;
  const IsRunning running_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace stripeline::sync
