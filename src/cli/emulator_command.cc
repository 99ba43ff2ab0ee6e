// `stripeline emulator`: the local Stripe, as a server of its own; `stripeline emulator
// fixtures`: the bank statements and open invoices that fit one of its accounts.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/cli.h"
#include "common/http_server.h"
#include "common/shutdown_signal.h"
#include "emulator/emulator.h"
#include "emulator/reconciliation_fixtures.h"

namespace stripeline::cli {

namespace {

// `stripeline emulator fixtures`: builds the account's data as `stripeline emulator` with the
// same --seed, --objects and --keys would at --now, and writes its reconciliation fixtures
// (emulator/reconciliation_fixtures.h) into --out.
CLI::App* AddFixturesCommand(CLI::App& emulator) {
  struct Options {
    std::string out;
    std::string account = "acct_emu_demo";
    bool livemode = false;
    std::string keys_file;
    uint64_t seed = 42;
    int64_t objects = 0;
    int64_t now = 0;
    int64_t days = 90;
  };
  auto options = std::make_shared<Options>();
  auto* command = emulator.add_subcommand(
      "fixtures",
      "Write bank statements (CSV, CAMT.053, MT940) and open invoices (CSV) that fit an "
      "account's payouts and charges, with reconciliation's awkward cases planted");
  command->add_option("--out", options->out, "Directory to write the files into")->required();
  command->add_option("--account", options->account, "Account")->capture_default_str();
  command->add_flag("--livemode", options->livemode, "Live-mode data (default: test mode)");
  command->add_option("--keys", options->keys_file, "JSON file of extra accounts and keys")
      ->check(CLI::ExistingFile);
  command->add_option("--seed", options->seed, "Seed of the generated data")->capture_default_str();
  command->add_option("--objects", options->objects, "As `stripeline emulator --objects`")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--now", options->now,
                      "The emulator's start time (unix seconds; default: now): the data is "
                      "dated before it")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--days", options->days, "Days before --now the files cover")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  command->callback([options] {
    emulator::EmulatorConfig config = emulator::BuiltInConfig();
    if (!options->keys_file.empty()) {
      if (Status loaded = emulator::LoadKeysFile(options->keys_file, config); !loaded.ok()) {
        throw CLI::RuntimeError(Fail(loaded));
      }
    }
    const emulator::AccountConfig* account = config.FindAccount(options->account);
    if (account == nullptr) {
      throw CLI::RuntimeError(Fail(Status::InvalidArgument("no such account: " + options->account)));
    }
    int64_t now = options->now > 0 ? options->now : static_cast<int64_t>(std::time(nullptr));
    auto dataset = emulator::Dataset::Build(*account, options->livemode, options->seed, now,
                                            options->objects);
    std::vector<emulator::FixtureFile> files =
        emulator::ReconciliationFixtures(*dataset, {.now = now, .days = options->days});
    std::error_code ec;
    std::filesystem::create_directories(options->out, ec);
    if (ec) {
      throw CLI::RuntimeError(Fail(Status::InvalidArgument("cannot create " + options->out + ": " +
                                                           ec.message())));
    }
    for (const emulator::FixtureFile& file : files) {
      std::filesystem::path path = std::filesystem::path(options->out) / file.name;
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << file.content;
      if (!out.flush()) {
        throw CLI::RuntimeError(Fail(Status::InvalidArgument("cannot write " + path.string())));
      }
      std::cout << path.string() << "\n";
    }
  });
  return command;
}

}  // namespace

void AddEmulatorCommand(CLI::App& app) {
  struct Options {
    std::string listen = "127.0.0.1:12111";
    std::string keys_file;
    uint64_t seed = 42;
    int64_t objects = 0;
    int64_t latency_ms = 0;
    double rate_limit_live = 0;
    double rate_limit_test = 0;
    double fail_rate = 0;
    double reset_rate = 0;
    int webhook_attempts = 5;
    int worker_threads = 128;
    LogOptions log;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "emulator", "Run a local Stripe (same wire format) for tests, demos and trying Stripeline");
  command->add_option("--listen", options->listen, "Address to serve on (host:port; port 0 picks one)")
      ->envname("STRIPELINE_EMULATOR_LISTEN")
      ->capture_default_str();
  command->add_option("--keys", options->keys_file, "JSON file of extra accounts and keys")
      ->check(CLI::ExistingFile);
  command->add_option("--seed", options->seed, "Seed of the generated data")->capture_default_str();
  command->add_option("--objects", options->objects,
                      "Charges per account and mode, every other stream in proportion "
                      "(0: a few demo objects)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--latency-ms", options->latency_ms, "Delay before answering each /v1 request")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--rate-limit-live", options->rate_limit_live,
                      "Live-mode requests/s per account (429 rate_limit above; 0: unlimited)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--rate-limit-test", options->rate_limit_test,
                      "Test-mode requests/s per account (429 rate_limit above; 0: unlimited)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--fail-rate", options->fail_rate, "Probability of a 500 api_error per /v1 request")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command->add_option("--reset-rate", options->reset_rate,
                      "Probability of closing a /v1 request's connection without an answer")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  command->add_option("--webhook-attempts", options->webhook_attempts,
                      "Delivery attempts per webhook event and endpoint (backoff 0.5 s, doubling, max 8 s)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--worker-threads", options->worker_threads,
                      "Threads answering requests (slow requests under --latency-ms hold one each)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--log-level", options->log.level, "trace, debug, info, warn, error, off")
      ->capture_default_str();
  CLI::App* fixtures = AddFixturesCommand(*command);
  command->callback([options, fixtures] {
    if (fixtures->parsed()) return;  // `stripeline emulator fixtures` did its work
    ShutdownSignal shutdown;  // before any thread starts
    if (Status logging = InitLogging(options->log); !logging.ok()) {
      throw CLI::RuntimeError(Fail(logging));
    }
    emulator::EmulatorOptions emulator_options{.keys_file = options->keys_file,
                                               .seed = options->seed,
                                               .objects = options->objects,
                                               .latency_ms = options->latency_ms,
                                               .rate_limit_live = options->rate_limit_live,
                                               .rate_limit_test = options->rate_limit_test,
                                               .fail_rate = options->fail_rate,
                                               .reset_rate = options->reset_rate};
    emulator_options.webhooks.max_attempts = options->webhook_attempts;
    auto emulator = emulator::Emulator::Create(emulator_options);
    if (!emulator.ok()) throw CLI::RuntimeError(Fail(emulator.status()));
    emulator::Emulator& instance = **emulator;
    HttpServer server(HttpServerOptions{.listen = options->listen,
                                        .worker_threads = options->worker_threads,
                                        .server_name = "Stripe emulator"},
                      [&instance](const HttpRequest& request) { return instance.Handle(request); });
    if (Status started = server.Start(); !started.ok()) throw CLI::RuntimeError(Fail(started));
    std::cout << "Keys:\n";
    for (const auto& key : instance.DemoKeys()) {
      std::cout << "  " << key.key << "  " << key.description << "\n";
    }
    std::cout << "Stripe emulator listening on " << server.base_url() << std::endl;
    shutdown.Wait();
    server.Stop();
  });
}

}  // namespace stripeline::cli
