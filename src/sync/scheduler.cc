#include "sync/scheduler.h"

#include "common/log.h"

namespace stripeline::sync {

Scheduler::Scheduler(store::Store& store, StartRun start, IsRunning running)
    : store_(store), start_(std::move(start)), running_(std::move(running)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start(std::chrono::milliseconds interval) {
  Stop();
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this, interval] { Loop(interval); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Scheduler::Loop(std::chrono::milliseconds interval) {
  while (true) {
    Result<std::vector<std::string>> started = Tick();
    if (!started.ok()) {
      log::Warn("sync.scheduler_error", {{"error", started.status().ToString()}});
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, interval, [&] { return stop_; })) return;
  }
}

Result<std::vector<std::string>> Scheduler::Tick() {
  SL_ASSIGN_OR_RETURN(std::vector<store::Integration> integrations,
                      store_.ListIntegrations(std::nullopt));
  std::vector<std::string> started;
  for (const store::Integration& integration : integrations) {
    if (!integration.active || running_(integration.id)) continue;
    Result<std::string> run = start_(integration.id);
    if (run.ok()) {
      started.push_back(integration.id);
    } else {
      log::Warn("sync.scheduled_run_refused", {{"integration", integration.id},
                                               {"error", run.status().ToString()}});
    }
  }
  return started;
}

}  // namespace stripeline::sync
