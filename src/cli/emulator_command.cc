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
  command->add_option("--log-level", options->log.level, "trace, debug, info, warn, error, off")
      ->capture_default_str();
  command->callback([options] {
    ShutdownSignal shutdown;  // before any thread starts
    if (Status logging = InitLogging(options->log); !logging.ok()) {
      throw CLI::RuntimeError(Fail(logging));
    }
    auto emulator =
        emulator::Emulator::Create({.keys_file = options->keys_file, .seed = options->seed});
    if (!emulator.ok()) throw CLI::RuntimeError(Fail(emulator.status()));
    emulator::Emulator& instance = **emulator;
    HttpServer server(HttpServerOptions{.listen = options->listen, .server_name = "Stripe emulator"},
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
