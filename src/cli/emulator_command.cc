// `stripeline emulator`: the local Stripe, as a server of its own.
#include <iostream>

#include "cli/cli.h"
#include "common/http_server.h"
#include "common/shutdown_signal.h"
#include "emulator/emulator.h"

namespace stripeline::cli {

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
  command->callback([options] {
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
