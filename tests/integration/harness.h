#pragma once
// The integration-test harness: runs `stripeline emulator` and `stripeline serve` as real
// processes on free loopback ports, runs CLI commands, and talks HTTP to them with the same
// libcurl transport the product uses. Not thread-safe; one per test.

#include <gtest/gtest.h>
#include <sys/types.h>

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stripe/curl_transport.h"

namespace stripeline::testing {

// A child process whose stdout is read line by line; stderr goes to a file. SIGTERM on
// destruction (then SIGKILL if it does not stop).
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> argv, std::map<std::string, std::string> env,
               std::filesystem::path stderr_file, std::string stdin_text = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads stdout until a line contains `needle`; returns that line. Fails the test (and returns
  // nullopt) if the process exits or `timeout_seconds` pass first.
  std::optional<std::string> WaitForLine(const std::string& needle, int timeout_seconds = 30);
  // Everything read from stdout so far.
  const std::string& output() const { return output_; }
  // Sends SIGTERM and waits; returns the exit status (or -1).
  int Stop();
  // kill -9: the process gets no chance to clean up (a crash, for resume tests).
  void Kill();
  // Sends `signal` (SIGINT: what Ctrl-C does) without waiting; Wait() then collects the rest.
  void SendSignal(int signal);
  // Waits for the process to exit by itself; reads all of stdout.
  int Wait();

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string output_;
  size_t consumed_ = 0;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Polls `condition` every 50 ms until it holds or `timeout_seconds` pass; on timeout fails the
// test naming `what` and returns false. For waits on another process: never a fixed sleep.
bool WaitUntil(const std::function<bool()>& condition, int timeout_seconds,
               const std::string& what);

// Runs `stripeline <args>` to completion with `stdin_text` on stdin.
CommandResult RunCli(const std::vector<std::string>& args, const std::string& stdin_text = "",
                     const std::map<std::string, std::string>& env = {});

struct HttpResult {
  int status = 0;
  boost::json::value json;  // null when the body is not JSON
  std::string body;
  std::map<std::string, std::string> headers;  // lowercased names
};

class HttpClient {
 public:
  explicit HttpClient(std::string base_url) : base_url_(std::move(base_url)) {}
  // `headers` are added to the defaults (JSON content type, and the bearer token if set).
  HttpResult Send(const std::string& method, const std::string& path,
                  const std::string& body = "",
                  const std::vector<std::pair<std::string, std::string>>& headers = {});
  HttpResult Get(const std::string& path) { return Send("GET", path); }
  HttpResult Post(const std::string& path, const boost::json::value& body = boost::json::object{}) {
    return Send("POST", path, boost::json::serialize(body));
  }
  HttpResult Patch(const std::string& path, const boost::json::value& body) {
    return Send("PATCH", path, boost::json::serialize(body));
  }
  HttpResult Delete(const std::string& path) { return Send("DELETE", path); }
  // A form-encoded POST, as the emulator's admin endpoints take ("count=5&seed=1").
  HttpResult PostForm(const std::string& path, const std::string& form) {
    return Send("POST", path, form, {{"Content-Type", "application/x-www-form-urlencoded"}});
  }
  void set_token(std::string token) { token_ = std::move(token); }
  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  std::string token_;
  std::unique_ptr<stripe::CurlTransport> transport_ = std::make_unique<stripe::CurlTransport>();
};

// Extra command-line arguments of the stack's processes (e.g. the emulator's --objects or
// --latency-ms, serve's --sync-interval).
struct StackOptions {
  std::vector<std::string> emulator_args;
  std::vector<std::string> serve_args;
};

// The emulator plus the service on a fresh data directory, with the first admin and an admin
// API token ready.
class Stack {
 public:
  explicit Stack(const StackOptions& options = {});
  ~Stack();

  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::string& emulator_url() const { return emulator_url_; }
  const std::string& server_url() const { return server_url_; }
  const std::filesystem::path& server_log() const { return server_log_; }
  // Common CLI arguments: --data-dir D --stripe-api-base URL.
  std::vector<std::string> CliArgs(std::vector<std::string> args) const;
  // An admin-token client, a fresh unauthenticated client, the emulator's admin client.
  HttpClient& api() { return *api_; }
  HttpClient Anonymous() const { return HttpClient(server_url_); }
  HttpClient& emulator() { return *emulator_; }
  // Creates a user with `role` and returns a client holding their API token.
  HttpClient ClientFor(const std::string& email, const std::string& role);
  std::string ReadServerLog() const;
  // SIGTERM to the service; its exit status (0 after a graceful shutdown).
  int StopServer() { return server_process_ ? server_process_->Stop() : -1; }
  // Stops the service — with kill -9 when `crash`, else SIGTERM — and starts it again on the
  // same data directory (a new port: server_url() and api() follow it).
  void RestartServer(bool crash);

  static constexpr char kAdminPassword[] = "correct-horse-battery";

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path server_log_;
  // Starts `serve` (serve_argv_) and points server_url_ and api_ at it.
  void StartServer();

  std::string emulator_url_, server_url_;
  std::vector<std::string> serve_argv_;
  std::string admin_token_;
  std::unique_ptr<ChildProcess> emulator_process_, server_process_;
  std::unique_ptr<HttpClient> api_, emulator_;
};

// Content comparison of the synced tables with the emulator ("ids and content hash").
//
// The emulator's side is what its /v1 API lists with a key: every list stream walked with the
// Stripe client's ListPager, 100 a page (subscriptions with status=all, as the sync reads them;
// events: the last 30 days, which is all Stripe lists), and `account` from GET /v1/account. The
// client retries 429, 5xx and connection resets by its RetryPolicy, given many more attempts
// than a sync's, so it works against an emulator with fault flags. The local side is the stream tables' non-deleted rows of `account_id`. Each
// object is compared as canonical JSON: boost::json re-serialisation of the emulator's item and
// of the row's `raw`. docs/schema.md says `raw` is the object as Stripe sent it, re-serialised
// without changes to keys, order or values, so the two texts must be identical (key order
// included), not just equal as values.

// One stream's objects: id -> canonical JSON.
using StreamObjects = std::map<std::string, std::string>;

// The emulator's objects of each of `streams`, listed through /v1 with `key`.
std::map<std::string, StreamObjects> EmulatorContent(const std::string& emulator_url,
                                                     const std::string& key,
                                                     const std::vector<std::string>& streams);
// The synced rows (deleted = 0) of `account_id` in one mode in stripe_<stream> of the SQLite
// file `db_file`.
std::map<std::string, StreamObjects> SyncedContent(const std::filesystem::path& db_file,
                                                   const std::string& account_id,
                                                   const std::vector<std::string>& streams,
                                                   bool livemode = false);
// SHA-256 (hex) of the objects as "id\tjson\n" lines in id order.
std::string ContentHash(const StreamObjects& objects);
// Success when, for every stream, both sides hold the same ids with the same canonical JSON
// (so the same content hash). Otherwise names each differing stream with its counts and hashes
// and up to 3 ids missing here, extra here and different (with both texts, shortened).
::testing::AssertionResult ContentEqual(const std::map<std::string, StreamObjects>& remote,
                                        const std::map<std::string, StreamObjects>& local);
// EmulatorContent vs SyncedContent of the demo account in `key`'s mode, in one call.
::testing::AssertionResult SyncedContentEqualsEmulator(const std::filesystem::path& db_file,
                                                       const std::string& emulator_url,
                                                       const std::string& key,
                                                       const std::string& account_id,
                                                       const std::vector<std::string>& streams);

// The list streams and the emulator resource each mirrors (same names); plus `account`.
inline const std::vector<std::string> kListStreams = {
    "customers", "products",        "prices",   "coupons",      "subscriptions",
    "invoices",  "charges",         "refunds",  "disputes",     "payment_intents",
    "payouts",   "balance_transactions", "credit_notes", "events"};

// The string a JSON value holds, or "" when it holds none (an assertion on it then fails).
std::string Str(const boost::json::value& v);
// A unix time's UTC date, YYYY-MM-DD: the API's `from`/`to` parameters.
std::string IsoDate(int64_t unix_seconds);

// Waits (bounded poll) until run `run_id` of integration `id` has finished; returns the run, or
// null after failing the test on timeout.
boost::json::value WaitForSyncRun(HttpClient& api, const std::string& id,
                                  const std::string& run_id, int timeout_seconds = 60);
// Starts a sync over the API (expects 202) and waits for it to finish; returns the run.
boost::json::value SyncViaApi(HttpClient& api, const std::string& id);
// Polls GET .../sync/verify of integration `id` until its verification has ended (neither
// queued nor running); returns it, or the last answer read.
boost::json::value WaitForVerification(HttpClient& api, const std::string& id,
                                       int timeout_seconds = 120);
// Starts a verification over the API (expects 202), waits (bounded poll) until it ended and
// expects it succeeded; returns it (`equal`, `streams`).
boost::json::value VerifyViaApi(HttpClient& api, const std::string& id);

inline constexpr char kSecretKey[] = "sk_test_emu_demo_secret_0000000000000000";
inline constexpr char kLiveKey[] = "sk_live_emu_demo_secret_0000000000000000";
inline constexpr char kRestrictedKey[] = "rk_test_emu_demo_readonly_00000000000000";
inline constexpr char kExpiredKey[] = "sk_test_emu_demo_expired_000000000000000";
inline constexpr char kPublishableKey[] = "pk_test_emu_demo_publishable_00000000000";

}  // namespace stripeline::testing
