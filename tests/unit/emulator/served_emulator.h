#pragma once
// The Stripe emulator in process, served over real HTTP on a free loopback port: for the unit
// tests of code that talks to Stripe (the connection checker, OAuth, the sync engine) and of the
// emulator's own HTTP surface.

#include <gtest/gtest.h>

#include <memory>

#include "common/http_server.h"
#include "emulator/emulator.h"

namespace stripeline::test_util {

struct ServedEmulator {
  std::unique_ptr<emulator::Emulator> emulator;
  std::unique_ptr<HttpServer> server;  // started; its base_url() is the emulator's
};

// Creates the emulator with `options` and starts serving it. On failure the test fails, naming
// why, and `server` is null (check it with ASSERT_TRUE).
inline ServedEmulator ServeEmulator(const emulator::EmulatorOptions& options = {},
                                    int worker_threads = 4) {
  ServedEmulator served;
  auto created = emulator::Emulator::Create(options);
  if (!created.ok()) {
    ADD_FAILURE() << "emulator: " << created.status().ToString();
    return served;
  }
  served.emulator = std::move(created).value();
  served.server = std::make_unique<HttpServer>(
      HttpServerOptions{.listen = "127.0.0.1:0", .worker_threads = worker_threads},
      [emulator = served.emulator.get()](const HttpRequest& request) {
        return emulator->Handle(request);
      });
  if (Status started = served.server->Start(); !started.ok()) {
    ADD_FAILURE() << "emulator server: " << started.ToString();
    served.server.reset();
  }
  return served;
}

}  // namespace stripeline::test_util
