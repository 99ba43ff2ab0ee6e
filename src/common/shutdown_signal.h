#pragma once
// ShutdownSignal: waits for SIGINT or SIGTERM without the race where a signal arrives before a
// handler is in place (it would kill the process mid-start). The constructor blocks both
// signals for the calling thread and every thread started after it, so construct it first
// thing in main, before any server or library starts a thread; Wait() then takes the signal
// synchronously. Not copyable; one per process.

#include <chrono>
#include <optional>

namespace stripeline {

class ShutdownSignal {
 public:
  ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

  // Blocks until SIGINT or SIGTERM arrives; returns the signal number.
  int Wait();
  // Like Wait, but gives up after `timeout` and returns nullopt: for a thread that must also
  // notice that the work it guards has finished by itself.
  std::optional<int> WaitFor(std::chrono::milliseconds timeout);
};

}  // namespace stripeline
