#include "common/shutdown_signal.h"

#include <pthread.h>
#include <signal.h>

namespace stripeline {

namespace {
sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

ShutdownSignal::ShutdownSignal() {
  sigset_t set = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int ShutdownSignal::Wait() {
  sigset_t set = ShutdownSignals();
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  return signal;
}

std::optional<int> ShutdownSignal::WaitFor(std::chrono::milliseconds timeout) {
  sigset_t set = ShutdownSignals();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  timespec wait{.tv_sec = static_cast<time_t>(seconds.count()),
                .tv_nsec = static_cast<long>(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(timeout - seconds).count())};
  int signal = sigtimedwait(&set, nullptr, &wait);
  if (signal < 0) return std::nullopt;  // EAGAIN: timed out; EINTR: another signal, same answer
  return signal;
}

}  // namespace stripeline
