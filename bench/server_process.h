#pragma once
// ServerProcess: a `stripeline` server command (`serve`, `emulator`) as a child process on a free
// loopback port, for benchmarks that measure a whole process from outside — its memory is then
// its own, not the load generator's. SIGTERM (then SIGKILL) on destruction.
// Thread-safety: none needed; owned by one benchmark's main thread.

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"

namespace stripeline::bench {

class ServerProcess {
 public:
  // Runs `argv` (argv[0] the binary) with `env` added to this process's environment, and waits
  // (up to a minute) for the line "... listening on http://HOST:PORT" on its standard output.
  static Result<std::unique_ptr<ServerProcess>> Start(std::vector<std::string> argv,
                                                      const std::map<std::string, std::string>& env = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  const std::string& base_url() const { return base_url_; }
  pid_t pid() const { return pid_; }
  // The process's resident memory now and at its peak (VmRSS, VmHWM), in bytes.
  int64_t RssBytes() const;
  int64_t PeakRssBytes() const;

 private:
  ServerProcess() = default;
  pid_t pid_ = -1;
  std::string base_url_;
  std::thread drain_;  // reads the rest of its standard output
};

}  // namespace stripeline::bench
