#include "integration/harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace stripeline::testing {

namespace {

std::filesystem::path MakeTempDir() {
  std::random_device random;
  auto dir = std::filesystem::temp_directory_path() /
             ("stripeline-it-" + std::to_string(getpid()) + "-" + std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string UrlFromLine(const std::string& line) {
  size_t at = line.find("http://");
  if (at == std::string::npos) return "";
  size_t end = line.find_first_of(" \t\r\n", at);
  return line.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
                           std::filesystem::path stderr_file, std::string stdin_text) {
  int out_pipe[2];
  int in_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(in_pipe) != 0) {
    ADD_FAILURE() << "pipe() failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    int err = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (err >= 0) dup2(err, STDERR_FILENO);
    close(out_pipe[0]);
    close(in_pipe[1]);
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(in_pipe[0]);
  if (!stdin_text.empty()) {
    ssize_t written = write(in_pipe[1], stdin_text.data(), stdin_text.size());
    (void)written;
  }
  close(in_pipe[1]);
  stdout_fd_ = out_pipe[0];
}

ChildProcess::~ChildProcess() {
  Stop();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::optional<std::string> ChildProcess::WaitForLine(const std::string& needle,
                                                     int timeout_seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (true) {
    size_t newline;
    while ((newline = output_.find('\n', consumed_)) != std::string::npos) {
      std::string line = output_.substr(consumed_, newline - consumed_);
      consumed_ = newline + 1;
      if (line.find(needle) != std::string::npos) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ADD_FAILURE() << "timed out waiting for '" << needle << "'; output so far:\n" << output_;
      return std::nullopt;
    }
    pollfd fd{stdout_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[4096];
    ssize_t n = read(stdout_fd_, buffer, sizeof buffer);
    if (n <= 0) {
      ADD_FAILURE() << "process ended before printing '" << needle << "'; output:\n" << output_;
      return std::nullopt;
    }
    output_.append(buffer, static_cast<size_t>(n));
  }
}

int ChildProcess::Wait() {
  if (pid_ <= 0) return -1;
  char buffer[4096];
  ssize_t n;
  while ((n = read(stdout_fd_, buffer, sizeof buffer)) > 0) output_.append(buffer, n);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int ChildProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {  // graceful shutdown gets 10 s before SIGKILL
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void ChildProcess::SendSignal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

bool WaitUntil(const std::function<bool()>& condition, int timeout_seconds,
               const std::string& what) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "timed out after " << timeout_seconds << " s waiting for " << what;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

CommandResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text,
                     const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {STRIPELINE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto err_file = std::filesystem::temp_directory_path() /
                  ("stripeline-cli-" + std::to_string(getpid()) + ".err");
  std::filesystem::remove(err_file);
  CommandResult result;
  {
    ChildProcess process(argv, env, err_file, stdin_text);
    result.exit_code = process.Wait();
    result.out = process.output();
  }
  result.err = ReadFile(err_file);
  std::filesystem::remove(err_file);
  return result;
}

HttpResult HttpClient::Send(const std::string& method, const std::string& path,
                            const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers) {
  stripe::TransportRequest request;
  request.method = method;
  request.url = base_url_ + path;
  request.body = body;
  request.timeout = std::chrono::seconds(30);
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  if (!token_.empty()) request.headers.emplace_back("Authorization", "Bearer " + token_);
  for (const auto& header : headers) request.headers.push_back(header);
  HttpResult result;
  auto response = transport_->Send(request);
  if (!response.ok()) {
    ADD_FAILURE() << method << " " << path << ": " << response.status().ToString();
    return result;
  }
  result.status = response->status;
  result.body = response->body;
  for (const auto& [name, value] : response->headers) result.headers[name] = value;
  boost::system::error_code ec;
  result.json = boost::json::parse(result.body, ec);
  if (ec) result.json = nullptr;
  return result;
}

Stack::Stack(const StackOptions& options) : data_dir_(MakeTempDir()) {
  server_log_ = data_dir_ / "server.log";
  std::vector<std::string> emulator_argv{STRIPELINE_BINARY, "emulator", "--listen", "127.0.0.1:0"};
  emulator_argv.insert(emulator_argv.end(), options.emulator_args.begin(),
                       options.emulator_args.end());
  emulator_process_ = std::make_unique<ChildProcess>(
      emulator_argv, std::map<std::string, std::string>{}, data_dir_ / "emulator.log");
  auto emulator_line = emulator_process_->WaitForLine("listening on");
  if (!emulator_line) return;
  emulator_url_ = UrlFromLine(*emulator_line);

  std::vector<std::string> serve_argv{STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0",
                                      "--data-dir", data_dir_.string(), "--stripe-api-base",
                                      emulator_url_, "--log-level", "debug"};
  serve_argv.insert(serve_argv.end(), options.serve_args.begin(), options.serve_args.end());
  server_process_ = std::make_unique<ChildProcess>(
      serve_argv, std::map<std::string, std::string>{{"STRIPELINE_ADMIN_PASSWORD", kAdminPassword}},
      server_log_);
  auto server_line = server_process_->WaitForLine("listening on");
  if (!server_line) return;
  server_url_ = UrlFromLine(*server_line);

  auto token = RunCli(CliArgs({"tokens", "create", "--user", "admin@localhost"}));
  EXPECT_EQ(token.exit_code, 0) << token.err;
  std::string value = token.out.substr(0, token.out.find('\n'));
  api_ = std::make_unique<HttpClient>(server_url_);
  api_->set_token(value);
  emulator_ = std::make_unique<HttpClient>(emulator_url_);
}

Stack::~Stack() {
  server_process_.reset();
  emulator_process_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(data_dir_, ignored);
}

std::vector<std::string> Stack::CliArgs(std::vector<std::string> args) const {
  args.insert(args.end(), {"--data-dir", data_dir_.string(), "--stripe-api-base", emulator_url_});
  return args;
}

HttpClient Stack::ClientFor(const std::string& email, const std::string& role) {
  auto added = RunCli(CliArgs({"users", "add", "--email", email, "--role", role}),
                      "a-long-password\n");
  EXPECT_EQ(added.exit_code, 0) << added.err;
  auto token = RunCli(CliArgs({"tokens", "create", "--user", email}));
  EXPECT_EQ(token.exit_code, 0) << token.err;
  HttpClient client(server_url_);
  client.set_token(token.out.substr(0, token.out.find('\n')));
  return client;
}

std::string Stack::ReadServerLog() const { return ReadFile(server_log_); }

}  // namespace stripeline::testing
