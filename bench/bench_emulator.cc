// The emulator's wall-clock properties, which unit tests must not assert (style.md):
//
// - BM_BuildScaledDataset: building the scaled dataset of `--objects N` (one account, one mode),
//   which every `stripeline emulator --objects` start and the backfill benchmarks pay; it was a
//   unit test's "100,000 charges in under 3 s".
// - BM_ConcurrentLatency: 16 concurrent requests to an emulator with --latency-ms 300 served by
//   32 workers; `serialised` is the elapsed time in units of one latency: about 1 when the
//   requests wait side by side, 16 if one request's latency held up the others (a unit test
//   asserted it was under 5).

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/http_server.h"
#include "emulator/emulator.h"
#include "emulator/emulator_config.h"
#include "emulator/scaled_dataset.h"
#include "stripe/curl_transport.h"

namespace stripeline::bench {
namespace {

constexpr int64_t kNow = 1'760'000'000;
constexpr char kTestSecret[] = "sk_test_emu_demo_secret_0000000000000000";

void BM_BuildScaledDataset(benchmark::State& state) {
  const emulator::AccountConfig account = emulator::BuiltInConfig().accounts.at(0);
  for (auto _ : state) {
    auto dataset = emulator::BuildScaledDataset(account, true, 42, kNow, state.range(0));
    benchmark::DoNotOptimize(dataset.get());
  }
  state.counters["charges"] = static_cast<double>(state.range(0));
}

void BM_ConcurrentLatency(benchmark::State& state) {
  constexpr int kLatencyMs = 300;
  constexpr size_t kRequests = 16;
  emulator::EmulatorOptions options;
  options.latency_ms = kLatencyMs;
  auto created = emulator::Emulator::Create(options);
  if (!created.ok()) return state.SkipWithError(created.status().message().c_str());
  std::unique_ptr<emulator::Emulator> served = std::move(created).value();
  HttpServer server(HttpServerOptions{.listen = "127.0.0.1:0", .worker_threads = 32},
                    [&served](const HttpRequest& request) { return served->Handle(request); });
  if (!server.Start().ok()) return state.SkipWithError("the emulator's server did not start");
  stripe::CurlTransport transport;
  const stripe::TransportRequest request{
      .method = "GET",
      .url = server.base_url() + "/v1/charges?limit=1",
      .headers = {{"Authorization", std::string("Bearer ") + kTestSecret}}};
  double seconds = 0;
  long failed = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    std::vector<long> statuses(kRequests);
    for (size_t i = 0; i < kRequests; ++i) {
      threads.emplace_back([&, i] {
        Result<stripe::TransportResponse> response = transport.Send(request);
        statuses[i] = response.ok() ? response->status : 0;
      });
    }
    for (std::thread& t : threads) t.join();
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    state.SetIterationTime(elapsed);
    seconds += elapsed;
    for (long status : statuses) failed += status != 200;
  }
  server.Stop();
  state.counters["serialised"] =
      seconds / static_cast<double>(state.iterations()) / (kLatencyMs / 1000.0);
  state.counters["failed"] = static_cast<double>(failed);
}

BENCHMARK(BM_BuildScaledDataset)->Arg(100'000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ConcurrentLatency)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace stripeline::bench

BENCHMARK_MAIN();
