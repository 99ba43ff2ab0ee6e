#include "cli/cli.h"

#include <iostream>

#include "cli/output.h"

namespace stripeline::cli {

void AddCommonOptions(CLI::App& command, CommonOptions& options) {
  command.add_option("--data-dir", options.runtime.data_dir,
                     "Directory for the database and the master key")
      ->envname("STRIPELINE_DATA_DIR")
      ->capture_default_str();
  command.add_option("--database-url", options.runtime.database_url,
                     "Database URL (default sqlite:<data-dir>/stripeline.db)")
      ->envname("STRIPELINE_DATABASE_URL");
  command.add_option("--stripe-api-base", options.runtime.stripe_api_base,
                     "Stripe API base URL (the emulator's, for tests and demos)")
      ->envname("STRIPELINE_STRIPE_API_BASE")
      ->capture_default_str();
  command.add_option("--stripe-connect-base", options.runtime.stripe_connect_base,
                     "Stripe Connect (OAuth) base URL")
      ->envname("STRIPELINE_STRIPE_CONNECT_BASE")
      ->capture_default_str();
  command.add_option("--log-level", options.log.level, "trace, debug, info, warn, error, off")
      ->envname("STRIPELINE_LOG_LEVEL")
      ->capture_default_str();
  command.add_option("--log-file", options.log.file, "Also write the log to this file")
      ->envname("STRIPELINE_LOG_FILE");
  command.add_flag("--json", options.json, "Print machine-readable JSON");
}

void AddSyncTuningOptions(CLI::App& command, RuntimeOptions& options) {
  command.add_option("--rate-limit-live", options.rate_limits.live.requests_per_second,
                     "Requests/s to each Stripe account in live mode (Stripe allows 100)")
      ->envname("STRIPELINE_RATE_LIMIT_LIVE")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command.add_option("--rate-limit-test", options.rate_limits.test.requests_per_second,
                     "Requests/s to each Stripe account in test mode (Stripe allows 25)")
      ->envname("STRIPELINE_RATE_LIMIT_TEST")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command.add_option("--sync-workers", options.sync.workers,
                     "Parallel requests per sync run (the rate limit still applies)")
      ->envname("STRIPELINE_SYNC_WORKERS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
}

int Fail(const Status& status, bool json) {
  if (json && !AnswerPrinted()) PrintJsonError(status);
  std::cerr << "error: " << status.message() << " (" << status.error_code() << ")\n";
  return status.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

std::unique_ptr<Runtime> OpenRuntime(const CommonOptions& options) {
  if (Status logging = InitLogging(options.log); !logging.ok()) {
    Fail(logging, options.json);
    return nullptr;
  }
  auto runtime = Runtime::Open(options.runtime);
  if (!runtime.ok()) {
    Fail(runtime.status(), options.json);
    return nullptr;
  }
  return std::move(runtime).value();
}

void OnRun(CLI::App* command, const CommonOptions& common, std::function<Status(Runtime&)> body) {
  command->callback([&common, body = std::move(body)] {
    auto runtime = OpenRuntime(common);
    if (!runtime) throw CLI::RuntimeError(1);
    if (Status status = body(*runtime); !status.ok()) throw CLI::RuntimeError(Fail(status, common.json));
  });
}

int Main(int argc, char** argv) {
  CLI::App app{"Stripeline: connect Stripe accounts and put their data to work."};
  app.name("stripeline");
  app.set_config("--config", "", "Read options from this TOML/INI file");
  app.require_subcommand(1);
  app.set_version_flag("--version", "stripeline 0.1.0");
  AddServeCommands(app);
  AddEmulatorCommand(app);
  AddUserCommands(app);
  AddClientCommands(app);
  AddIntegrationCommands(app);
  AddWebhookCommands(app);
  AddConnectCommands(app);
  AddSyncCommands(app);
  AddMetricsCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command failed; it has printed why
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return 0;
}

}  // namespace stripeline::cli
