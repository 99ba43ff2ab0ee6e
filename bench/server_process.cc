#include "bench/server_process.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace stripeline::bench {

namespace {

int64_t StatusFieldBytes(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field + ":")) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

}  // namespace

Result<std::unique_ptr<ServerProcess>> ServerProcess::Start(
    std::vector<std::string> argv, const std::map<std::string, std::string>& env) {
  int out[2];
  if (pipe(out) != 0) return Status::Internal("pipe() failed");
  std::unique_ptr<ServerProcess> process(new ServerProcess());
  process->pid_ = fork();
  if (process->pid_ < 0) return Status::Internal("fork() failed");
  if (process->pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (std::string& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);

  std::string output;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  constexpr std::string_view kNeedle = "listening on ";
  while (true) {
    size_t at = output.find(kNeedle);
    size_t end = at == std::string::npos ? at : output.find_first_of(" \n", at + kNeedle.size());
    if (end != std::string::npos) {
      process->base_url_ = output.substr(at + kNeedle.size(), end - at - kNeedle.size());
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd fd{out[0], POLLIN, 0};
    char buffer[4096];
    ssize_t n = left.count() > 0 && poll(&fd, 1, static_cast<int>(left.count())) > 0
                    ? read(out[0], buffer, sizeof buffer)
                    : -1;
    if (n <= 0) {
      close(out[0]);
      return Status::Internal(argv[0] + " " + argv[1] + " did not start; it printed: " + output);
    }
    output.append(buffer, static_cast<size_t>(n));
  }
  // The rest of its output is read and dropped: a full pipe would block it, a closed one kill it.
  process->drain_ = std::thread([fd = out[0]] {
    char buffer[4096];
    while (read(fd, buffer, sizeof buffer) > 0) {
    }
    close(fd);
  });
  return process;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 200 && !exited; ++i) {
      exited = waitpid(pid_, &status, WNOHANG) == pid_;
      if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!exited) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
  }
  if (drain_.joinable()) drain_.join();  // the pipe closed with the process
}

int64_t ServerProcess::RssBytes() const { return StatusFieldBytes(pid_, "VmRSS"); }
int64_t ServerProcess::PeakRssBytes() const { return StatusFieldBytes(pid_, "VmHWM"); }

}  // namespace stripeline::bench
