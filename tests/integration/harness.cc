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
#include <set>
#include <sstream>
#include <thread>

#include "common/secrets.h"
#include "store/sqlite/sqlite_database.h"

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
                                      emulator_url_, "--stripe-connect-base", emulator_url_,
                                      "--log-level", "debug"};
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

namespace {

std::string Canonical(const boost::json::value& object) { return boost::json::serialize(object); }

// GET `url` with `key`, retrying 429, 5xx and transport failures (resets) with a short backoff;
// the last answer, or an error text.
std::pair<HttpResult, std::string> GetWithRetries(stripe::CurlTransport& transport,
                                                  const std::string& url,
                                                  const std::string& key) {
  stripe::TransportRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = std::chrono::seconds(30);
  request.headers.emplace_back("Authorization", "Bearer " + key);
  std::string last_error;
  for (int attempt = 0; attempt < 40; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(25 * attempt, 500)));
    }
    auto response = transport.Send(request);
    if (!response.ok()) {
      last_error = response.status().ToString();
      continue;
    }
    if (response->status == 429 || response->status >= 500) {
      last_error = "HTTP " + std::to_string(response->status) + ": " + response->body;
      continue;
    }
    HttpResult result;
    result.status = response->status;
    result.body = response->body;
    boost::system::error_code ec;
    result.json = boost::json::parse(result.body, ec);
    if (ec) result.json = nullptr;
    return {std::move(result), ""};
  }
  return {HttpResult{}, "GET " + url + " kept failing: " + last_error};
}

// Every object of one stream as the emulator lists it; adds a test failure on an error.
StreamObjects ListStream(stripe::CurlTransport& transport, const std::string& emulator_url,
                         const std::string& key, const std::string& stream) {
  StreamObjects objects;
  if (stream == "account") {
    auto [result, error] = GetWithRetries(transport, emulator_url + "/v1/account", key);
    if (!error.empty() || result.status != 200 || !result.json.is_object()) {
      ADD_FAILURE() << "GET /v1/account: " << error << result.status << " " << result.body;
      return objects;
    }
    objects[std::string(result.json.at("id").as_string())] = Canonical(result.json);
    return objects;
  }
  std::string base = emulator_url + "/v1/" + stream + "?limit=100";
  if (stream == "subscriptions") base += "&status=all";
  std::string starting_after;
  for (int page = 0; page < 10000; ++page) {
    std::string url = base + (starting_after.empty() ? "" : "&starting_after=" + starting_after);
    auto [result, error] = GetWithRetries(transport, url, key);
    if (!error.empty() || result.status != 200 || !result.json.is_object()) {
      ADD_FAILURE() << "listing " << stream << ": " << error << result.status << " "
                    << result.body;
      return objects;
    }
    const auto& data = result.json.at("data").as_array();
    for (const auto& item : data) {
      std::string id(item.at("id").as_string());
      if (!objects.emplace(id, Canonical(item)).second) {
        ADD_FAILURE() << stream << ": the emulator listed " << id << " twice";
      }
      starting_after = id;
    }
    if (!result.json.at("has_more").as_bool() || data.empty()) return objects;
  }
  ADD_FAILURE() << "listing " << stream << " never ended";
  return objects;
}

std::string Shorten(const std::string& text) {
  return text.size() <= 400 ? text : text.substr(0, 400) + "...";
}

}  // namespace

std::map<std::string, StreamObjects> EmulatorContent(const std::string& emulator_url,
                                                     const std::string& key,
                                                     const std::vector<std::string>& streams) {
  // One thread per stream: the emulator may have --latency-ms, and pages of different streams
  // do not depend on each other. gtest's ADD_FAILURE is thread-safe.
  stripe::CurlTransport transport;
  std::vector<StreamObjects> listed(streams.size());
  {
    std::vector<std::jthread> threads;
    for (size_t i = 0; i < streams.size(); ++i) {
      threads.emplace_back([&, i] { listed[i] = ListStream(transport, emulator_url, key, streams[i]); });
    }
  }
  std::map<std::string, StreamObjects> content;
  for (size_t i = 0; i < streams.size(); ++i) content[streams[i]] = std::move(listed[i]);
  return content;
}

std::map<std::string, StreamObjects> SyncedContent(const std::filesystem::path& db_file,
                                                   const std::string& account_id,
                                                   const std::vector<std::string>& streams,
                                                   bool livemode) {
  std::map<std::string, StreamObjects> content;
  auto db = store::sqlite::SqliteDatabase::Open(db_file.string());
  if (!db.ok()) {
    ADD_FAILURE() << "opening " << db_file << ": " << db.status().ToString();
    return content;
  }
  for (const std::string& stream : streams) {
    StreamObjects& objects = content[stream];
    auto rows = (*db)->Query("SELECT id, raw FROM stripe_" + stream +
                                 " WHERE account_id = $1 AND livemode = $2 AND deleted = 0",
                             {account_id, int64_t{livemode ? 1 : 0}});
    if (!rows.ok()) {
      ADD_FAILURE() << stream << ": " << rows.status().ToString();
      continue;
    }
    for (const auto& row : *rows) {
      boost::system::error_code ec;
      boost::json::value raw = boost::json::parse(row.GetString(1), ec);
      EXPECT_FALSE(ec) << stream << " " << row.GetString(0) << ": raw is not JSON";
      objects[row.GetString(0)] = ec ? row.GetString(1) : Canonical(raw);
    }
  }
  return content;
}

std::string ContentHash(const StreamObjects& objects) {
  std::string lines;
  for (const auto& [id, json] : objects) lines += id + "\t" + json + "\n";
  return Sha256Hex(lines);
}

::testing::AssertionResult ContentEqual(const std::map<std::string, StreamObjects>& remote,
                                        const std::map<std::string, StreamObjects>& local) {
  std::ostringstream differences;
  std::set<std::string> streams;
  for (const auto& [stream, objects] : remote) streams.insert(stream);
  for (const auto& [stream, objects] : local) streams.insert(stream);
  const StreamObjects none;
  for (const std::string& stream : streams) {
    const StreamObjects& theirs = remote.count(stream) ? remote.at(stream) : none;
    const StreamObjects& ours = local.count(stream) ? local.at(stream) : none;
    const std::string their_hash = ContentHash(theirs), our_hash = ContentHash(ours);
    if (their_hash == our_hash) continue;
    std::vector<std::string> missing, extra, different;
    for (const auto& [id, json] : theirs) {
      auto it = ours.find(id);
      if (it == ours.end()) {
        missing.push_back(id);
      } else if (it->second != json) {
        different.push_back(id);
      }
    }
    for (const auto& [id, json] : ours) {
      if (!theirs.count(id)) extra.push_back(id);
    }
    differences << "\n" << stream << ": Stripe " << theirs.size() << " objects (hash "
                << their_hash.substr(0, 12) << "), here " << ours.size() << " (hash "
                << our_hash.substr(0, 12) << "); " << missing.size() << " missing here, "
                << extra.size() << " extra here, " << different.size() << " different";
    for (size_t i = 0; i < missing.size() && i < 3; ++i) {
      differences << "\n  missing here: " << missing[i];
    }
    for (size_t i = 0; i < extra.size() && i < 3; ++i) {
      differences << "\n  extra here: " << extra[i];
    }
    for (size_t i = 0; i < different.size() && i < 3; ++i) {
      differences << "\n  different: " << different[i]
                  << "\n    Stripe: " << Shorten(theirs.at(different[i]))
                  << "\n    here:   " << Shorten(ours.at(different[i]));
    }
  }
  if (differences.str().empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the synced tables differ from the emulator:"
                                       << differences.str();
}

::testing::AssertionResult SyncedContentEqualsEmulator(const std::filesystem::path& db_file,
                                                       const std::string& emulator_url,
                                                       const std::string& key,
                                                       const std::string& account_id,
                                                       const std::vector<std::string>& streams) {
  auto remote = EmulatorContent(emulator_url, key, streams);
  auto local = SyncedContent(db_file, account_id, streams,
                             key.find("_live_") != std::string::npos);
  return ContentEqual(remote, local);
}

boost::json::value WaitForSyncRun(HttpClient& api, const std::string& id,
                                  const std::string& run_id, int timeout_seconds) {
  boost::json::value run = nullptr;
  WaitUntil(
      [&] {
        auto runs = api.Get("/api/v1/integrations/" + id + "/sync/runs?limit=5");
        if (!runs.json.is_object()) return false;
        for (const auto& r : runs.json.at("data").as_array()) {
          if (r.at("id") == boost::json::value(run_id) && r.at("status") != "running") run = r;
        }
        return !run.is_null();
      },
      timeout_seconds, "run " + run_id + " to finish");
  return run;
}

boost::json::value SyncViaApi(HttpClient& api, const std::string& id) {
  auto started = api.Post("/api/v1/integrations/" + id + "/sync");
  EXPECT_EQ(started.status, 202) << started.body;
  if (started.status != 202) return nullptr;
  return WaitForSyncRun(api, id, std::string(started.json.at("run_id").as_string()));
}

}  // namespace stripeline::testing
