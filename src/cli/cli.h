#pragma once
// The `stripeline` command line: serve, demo, emulator, users, tokens, clients, integrations,
// stripe-connect, sync, verify, export, metrics.
// Each subcommand lives in its own file under src/cli/ and registers itself on the app.

#include <CLI/CLI.hpp>
#include <string>

#include "cli/runtime.h"
#include "common/log.h"

namespace stripeline::cli {

int Main(int argc, char** argv);

// Options every command that works on a data directory shares; each may also come from the
// environment (STRIPELINE_DATA_DIR, ...) or a config file (--config).
struct CommonOptions {
  RuntimeOptions runtime;
  LogOptions log;
  bool json = false;
};

void AddCommonOptions(CLI::App& command, CommonOptions& options);
// How hard syncs may drive Stripe: --rate-limit-live, --rate-limit-test (requests/s per Stripe
// account) and --sync-workers, for the commands that sync (serve, demo, sync, verify).
void AddSyncTuningOptions(CLI::App& command, RuntimeOptions& options);
// Starts logging and opens the data directory; on failure prints the error and returns null.
std::unique_ptr<Runtime> OpenRuntime(const CommonOptions& options);
// Prints "error: <message>" to stderr and returns the exit code for a Status (1, or 2 for
// input errors). With `json`, also the API's error body on stdout, unless the command printed
// its answer already (output.h).
int Fail(const Status& status, bool json = false);

// Sets the command's action: open the runtime, run `body`; a failed Status prints the error and
// exits non-zero. `common` must outlive the app (it is read when the command runs).
void OnRun(CLI::App* command, const CommonOptions& common, std::function<Status(Runtime&)> body);

void AddServeCommands(CLI::App& app);  // serve, demo
void AddEmulatorCommand(CLI::App& app);
void AddUserCommands(CLI::App& app);   // users, tokens
void AddClientCommands(CLI::App& app);
void AddIntegrationCommands(CLI::App& app);
// `integrations webhook-secret`; after AddIntegrationCommands (it adds to that command).
void AddWebhookCommands(CLI::App& app);
// `stripe-connect show|set`: the Connect platform settings.
void AddConnectCommands(CLI::App& app);
void AddSyncCommands(CLI::App& app);  // sync, verify, export
void AddMetricsCommands(CLI::App& app);

}  // namespace stripeline::cli
