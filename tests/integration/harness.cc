#include "integration/harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "common/secrets.h"
#include "store/sqlite/sqlite_database.h"
#include "stripe/client.h"
#include "stripe/list_pager.h"

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

  serve_argv_ = {STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0",
                 "--data-dir", data_dir_.string(), "--stripe-api-base",
                 emulator_url_, "--stripe-connect-base", emulator_url_,
                 "--log-level", "debug"};
  serve_argv_.insert(serve_argv_.end(), options.serve_args.begin(), options.serve_args.end());
  StartServer();
  if (server_url_.empty()) return;

  auto token = RunCli(CliArgs({"tokens", "create", "--user", "admin@localhost"}));
  EXPECT_EQ(token.exit_code, 0) << token.err;
  admin_token_ = token.out.substr(0, token.out.find('\n'));
  api_->set_token(admin_token_);
  emulator_ = std::make_unique<HttpClient>(emulator_url_);
}

void Stack::StartServer() {
  server_url_.clear();
  server_process_ = std::make_unique<ChildProcess>(
      serve_argv_,
      std::map<std::string, std::string>{{"STRIPELINE_ADMIN_PASSWORD", kAdminPassword}},
      server_log_);
  auto server_line = server_process_->WaitForLine("listening on");
  if (!server_line) return;
  server_url_ = UrlFromLine(*server_line);
  api_ = std::make_unique<HttpClient>(server_url_);
  api_->set_token(admin_token_);
}

void Stack::RestartServer(bool crash) {
  if (server_process_) {
    if (crash) {
      server_process_->Kill();
    } else {
      server_process_->Stop();
    }
  }
  StartServer();
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

// A Stripe client for the emulator that insists: the emulator may run with fault flags (429s,
// 5xx, resets), and the comparison must see every object, so it retries far longer than a sync
// would, with short waits (the same policy as the sync's, only more of it).
stripe::Client InsistentClient(const std::string& emulator_url) {
  stripe::ClientOptions options;
  options.api_base = emulator_url;
  options.retry.max_retries = 40;
  options.retry.initial_delay = std::chrono::milliseconds(25);
  options.retry.max_delay = std::chrono::milliseconds(500);
  return stripe::Client(options, std::make_shared<stripe::CurlTransport>());
}

// Every object of one stream as the emulator lists it, walked with the client's ListPager;
// adds a test failure on an error.
StreamObjects ListStream(const stripe::Client& client, const std::string& key,
                         const std::string& stream) {
  StreamObjects objects;
  const stripe::RequestOptions options{.api_key = key};
  if (stream == "account") {
    auto account = client.Request("GET", "/v1/account", {}, options);
    if (!account.ok() || !account->body.is_object()) {
      ADD_FAILURE() << "GET /v1/account: "
                    << (account.ok() ? "not an object" : account.error().message);
      return objects;
    }
    objects[std::string(account->body.at("id").as_string())] = Canonical(account->body);
    return objects;
  }
  stripe::Params params{{"limit", "100"}};
  if (stream == "subscriptions") params.emplace_back("status", "all");
  stripe::ListPager pager(client, "/v1/" + stream, std::move(params), options);
  while (auto page = pager.Next()) {
    if (!page->ok()) {
      ADD_FAILURE() << "listing " << stream << ": " << page->error().message;
      return objects;
    }
    for (const boost::json::object& item : page->value().data) {
      std::string id(item.at("id").as_string());
      if (!objects.emplace(id, Canonical(item)).second) {
        ADD_FAILURE() << stream << ": the emulator listed " << id << " twice";
      }
    }
  }
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
  const stripe::Client client = InsistentClient(emulator_url);
  std::vector<StreamObjects> listed(streams.size());
  {
    std::vector<std::jthread> threads;
    for (size_t i = 0; i < streams.size(); ++i) {
      threads.emplace_back([&, i] { listed[i] = ListStream(client, key, streams[i]); });
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

std::string Str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : "";
}

std::string IsoDate(int64_t unix_seconds) {
  const std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
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

boost::json::value WaitForVerification(HttpClient& api, const std::string& id,
                                       int timeout_seconds) {
  const std::string path = "/api/v1/integrations/" + id + "/sync/verify";
  boost::json::value latest;
  WaitUntil(
      [&] {
        auto read = api.Get(path);
        EXPECT_EQ(read.status, 200) << read.body;
        if (read.status != 200) return true;
        latest = read.json;
        return latest.at("state") != "queued" && latest.at("state") != "running";
      },
      timeout_seconds, "the verification of " + id + " to end");
  return latest;
}

boost::json::value VerifyViaApi(HttpClient& api, const std::string& id) {
  auto started = api.Post("/api/v1/integrations/" + id + "/sync/verify");
  EXPECT_EQ(started.status, 202) << started.body;
  boost::json::value verification = WaitForVerification(api, id);
  EXPECT_TRUE(verification.is_object() && verification.at("state") == "succeeded")
      << boost::json::serialize(verification);
  return verification;
}

}  // namespace stripeline::testing
