// Fuzz target: a --config file (TOML or INI, CLI11's reader) read into the options every
// command shares and the sync tuning options, as `stripeline serve --config FILE` does, and the
// listen address the server then parses. A bad file must be a clear error, nothing worse.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <sstream>
#include <string>

#include "cli/cli.h"
#include "common/http_server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace stripeline;
  std::istringstream file(std::string(reinterpret_cast<const char*>(data), size));
  CLI::App app{"fuzz"};
  app.set_config("--config");
  cli::CommonOptions common;
  cli::AddCommonOptions(app, common);
  cli::AddSyncTuningOptions(app, common.runtime);
  std::string listen = "127.0.0.1:8080";
  app.add_option("--listen", listen);
  try {
    app.parse_from_stream(file);
  } catch (const CLI::Error&) {
    return 0;  // `stripeline` prints it and exits 2
  }
  (void)ParseListenAddress(listen);
  return 0;
}
