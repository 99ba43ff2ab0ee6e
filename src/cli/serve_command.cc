// `stripeline serve` (the service) and `stripeline demo` (the service plus the built-in Stripe
// emulator, what `make run` starts).
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/cli.h"
#include "common/http_server.h"
#include "common/shutdown_signal.h"
#include "emulator/emulator.h"
#include "http/api.h"

namespace stripeline::cli {

namespace {

struct ServeOptions {
  CommonOptions common;
  std::string listen = "127.0.0.1:8080";
  bool secure_cookies = false;
  int session_idle_minutes = 720;
  // demo only
  std::string emulator_listen = "127.0.0.1:12111";
  // Scheduled syncs of every active integration; "0" turns them off.
  std::string sync_interval = "15m";
  // After SIGTERM/SIGINT, how long stopping may take before the process exits anyway.
  std::string shutdown_grace = "10s";
};

// "90s", "15m", "1h", or plain seconds ("900"); nullopt when malformed or negative.
std::optional<std::chrono::seconds> ParseDuration(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 9) return std::nullopt;
  const int64_t amount = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  if (unit.empty() || unit == "s") return std::chrono::seconds(amount);
  if (unit == "m") return std::chrono::minutes(amount);
  if (unit == "h") return std::chrono::hours(amount);
  return std::nullopt;
}

// Accepts what ParseDuration reads.
CLI::Validator DurationValidator() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        return ParseDuration(value) ? "" : "expected a duration such as 10s, 15m or 1h";
      },
      "DURATION");
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

// Ends the process when stopping outlasts the grace period: whatever is still running then (a
// request to an unreachable Stripe in its timeout, a handler) is abandoned as after a crash,
// which loses nothing — acknowledged webhook events stay pending in the database and sync runs
// resume from their checkpoints at the next start — so the exit status is still 0.
class GraceDeadline {
 public:
  explicit GraceDeadline(std::chrono::seconds grace)
      : thread_([this, grace] {
          std::unique_lock lock(mu_);
          if (cv_.wait_for(lock, grace, [this] { return done_; })) return;
          log::Warn("server.grace_expired",
                    {{"grace_seconds", static_cast<int64_t>(grace.count())},
                     {"note", "exiting now; pending work resumes at the next start"}});
          std::cout << std::flush;
          std::_Exit(0);
        }) {}
  ~GraceDeadline() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  std::thread thread_;
};

// Creates the first administrator on the first start and says how to sign in.
Status PrintAdminLogin(Runtime& runtime) {
  std::string email = EnvOr("STRIPELINE_ADMIN_EMAIL", "admin@localhost");
  std::string password = EnvOr("STRIPELINE_ADMIN_PASSWORD", "");
  SL_ASSIGN_OR_RETURN(access::FirstAdmin admin, runtime.users().EnsureFirstAdmin(email, password));
  if (admin.generated_password) {
    std::cout << "Admin login: " << admin.email << " / " << *admin.generated_password
              << "\n  (generated now and shown only once; change it with `stripeline users "
                 "set-password`)\n";
  } else if (admin.created) {
    std::cout << "Admin login: " << admin.email << " with the password from "
              << "STRIPELINE_ADMIN_PASSWORD\n";
  } else {
    std::cout << "Admin login: the administrator created at first start (reset a password with "
                 "`stripeline users set-password --email EMAIL`)\n";
  }
  return Status::OK();
}

int Serve(ServeOptions& options, emulator::Emulator* emulator, ShutdownSignal& shutdown) {
  std::unique_ptr<HttpServer> emulator_server;
  if (emulator != nullptr) {
    emulator_server = std::make_unique<HttpServer>(
        HttpServerOptions{.listen = options.emulator_listen, .server_name = "Stripe emulator"},
        [emulator](const HttpRequest& request) { return emulator->Handle(request); });
    if (Status started = emulator_server->Start(); !started.ok()) return Fail(started);
    options.common.runtime.stripe_api_base = emulator_server->base_url();
    options.common.runtime.stripe_connect_base = emulator_server->base_url();
  }
  options.common.runtime.session_idle_timeout = std::chrono::minutes(options.session_idle_minutes);
  auto runtime = OpenRuntime(options.common);
  if (!runtime) return 1;
  if (Status admin = PrintAdminLogin(*runtime); !admin.ok()) return Fail(admin);

  http::Api api(runtime->api_services(),
                {.secure_cookies = options.secure_cookies,
                 .session_idle_timeout = options.common.runtime.session_idle_timeout});
  HttpServer server(
      HttpServerOptions{.listen = options.listen, .worker_threads = http::kApiWorkerThreads},
      [&api](const HttpRequest& request) { return api.Handle(request); });
  if (Status started = server.Start(); !started.ok()) return Fail(started);
  runtime->webhooks().Start();  // first applies what a previous run left pending

  const std::chrono::seconds sync_interval = *ParseDuration(options.sync_interval);
  if (sync_interval.count() > 0) {
    runtime->sync().StartScheduler(sync_interval);
    std::cout << "Syncing active integrations every " << options.sync_interval << "\n";
  }

  if (emulator_server) {
    std::cout << "Stripe emulator listening on " << emulator_server->base_url() << "\n"
              << "Demo keys (account acct_emu_demo, \"Emulator Demo Ltd\"):\n";
    for (const auto& key : emulator->DemoKeys()) {
      std::cout << "  " << key.key << "  " << key.description << "\n";
    }
  }
  std::cout << "Stripeline listening on " << server.base_url() << "  (data in "
            << options.common.runtime.data_dir << ", Stripe API "
            << options.common.runtime.stripe_api_base << ")" << std::endl;
  log::Info("server.started", {{"url", server.base_url()},
                               {"stripe_api_base", options.common.runtime.stripe_api_base}});
  int signal = shutdown.Wait();
  const std::chrono::seconds grace = *ParseDuration(options.shutdown_grace);
  log::Info("server.stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"},
                                {"grace_seconds", static_cast<int64_t>(grace.count())}});
  GraceDeadline deadline(grace);
  // No new work: the applier first (a re-fetch abandoned below then leaves its event pending
  // rather than failed), then the runs, whose Stripe requests waiting for a retry are abandoned.
  runtime->webhooks().RequestStop();
  runtime->sync().RequestStop();
  server.Stop();
  // Runs stop after their current page, checkpoints kept, while the services they use exist.
  runtime->sync().Stop();
  runtime->webhooks().Stop();  // after the server: no delivery is being stored any more
  if (emulator_server) emulator_server->Stop();
  log::Info("server.stopped");
  return 0;
}

void AddServeOptions(CLI::App& command, ServeOptions& options) {
  AddCommonOptions(command, options.common);
  AddSyncTuningOptions(command, options.common.runtime);
  command.add_option("--sync-interval", options.sync_interval,
                     "Sync every active integration this often (90s, 15m, 1h; 0: never)")
      ->envname("STRIPELINE_SYNC_INTERVAL")
      ->check(DurationValidator())
      ->capture_default_str();
  command.add_option("--shutdown-grace", options.shutdown_grace,
                     "On SIGTERM, exit after this long at most (10s, 1m); pending work resumes at "
                     "the next start")
      ->envname("STRIPELINE_SHUTDOWN_GRACE")
      ->check(DurationValidator())
      ->capture_default_str();
  command.add_option("--listen", options.listen, "Address to serve on (host:port)")
      ->envname("STRIPELINE_LISTEN")
      ->capture_default_str();
  command.add_flag("--secure-cookies", options.secure_cookies,
                   "Mark the session cookie Secure (when served over HTTPS)")
      ->envname("STRIPELINE_SECURE_COOKIES");
  command.add_flag("--initialize", options.common.runtime.initialize,
                   "Start anew on an empty database file even though a master key exists "
                   "(otherwise refused as a lost database)");
  command.add_option("--session-idle-minutes", options.session_idle_minutes,
                     "Sign a browser session out after this many idle minutes")
      ->envname("STRIPELINE_SESSION_IDLE_MINUTES")
      ->capture_default_str();
}

}  // namespace

void AddServeCommands(CLI::App& app) {
  auto serve_options = std::make_shared<ServeOptions>();
  auto* serve = app.add_subcommand("serve", "Run the Stripeline service (web page and REST API)");
  AddServeOptions(*serve, *serve_options);
  serve->callback([serve_options] {
    ShutdownSignal shutdown;  // before any thread starts
    int code = Serve(*serve_options, nullptr, shutdown);
    if (code != 0) throw CLI::RuntimeError(code);
  });

  auto demo_options = std::make_shared<ServeOptions>();
  auto* demo = app.add_subcommand(
      "demo", "Run the service against the built-in Stripe emulator (no Stripe account needed)");
  AddServeOptions(*demo, *demo_options);
  demo->add_option("--emulator-listen", demo_options->emulator_listen,
                   "Address of the built-in emulator")
      ->envname("STRIPELINE_EMULATOR_LISTEN")
      ->capture_default_str();
  demo->callback([demo_options] {
    ShutdownSignal shutdown;  // before any thread starts
    auto emulator = emulator::Emulator::Create({});
    if (!emulator.ok()) throw CLI::RuntimeError(Fail(emulator.status()));
    int code = Serve(*demo_options, emulator->get(), shutdown);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

}  // namespace stripeline::cli
