// Backfill at Stripe's rate limit: the emulator (a separate process) answers every page after
// 250 ms and allows the demo account 100 requests/s in live mode or 25 in test mode (429
// rate_limit above, stripe-api.md §4); the engine runs with its default limits (the same
// numbers). The ceiling is requests/s × 100 objects per page: 10,000 objects/s live, 2,500
// test. Targets (issue 3): >= 90 % of the ceiling, < 1 % of requests answered 429.
//
// Each case is sized to run about a minute at the ceiling, long enough for the start-up (the
// limiter's burst, the first slices) and the tail (the last partial pages) to weigh little.
// Google Benchmark drives it as bench_backfill.cc does: one iteration, the sync's own time.

#include <benchmark/benchmark.h>

#include "bench/bench_support.h"

namespace stripeline::bench {
namespace {

constexpr int64_t kLatencyMs = 250;
constexpr double kLiveRequestsPerSecond = 100;
constexpr double kTestRequestsPerSecond = 25;

// Args: livemode (0/1), charges (--objects).
void BM_BackfillAtRateLimit(benchmark::State& state) {
  const bool livemode = state.range(0) != 0;
  const double limit = livemode ? kLiveRequestsPerSecond : kTestRequestsPerSecond;
  auto emulator = EmulatorProcess::Start({.objects = state.range(1),
                                          .latency_ms = kLatencyMs,
                                          .rate_limit_live = kLiveRequestsPerSecond,
                                          .rate_limit_test = kTestRequestsPerSecond});
  if (!emulator.ok()) return state.SkipWithError(emulator.status().ToString().c_str());

  MeasuredSync measured;
  for (auto _ : state) {
    BackfillSetup setup{.api_key = livemode ? kLiveKey : kTestKey};
    setup.limits = {};  // the engine's defaults: Stripe's published limits
    auto run = BackfillRun::Open((*emulator)->base_url(), setup);
    if (!run.ok()) return state.SkipWithError(run.status().ToString().c_str());
    auto synced = (*run)->Sync(**emulator);
    if (!synced.ok()) return state.SkipWithError(synced.status().ToString().c_str());
    measured = *synced;
    state.SetIterationTime(measured.result.seconds);
  }
  const sync::SyncRunResult& result = measured.result;
  const double per_second = static_cast<double>(result.objects) / result.seconds;
  const double ceiling = limit * 100;
  state.counters["objects"] = static_cast<double>(result.objects);
  state.counters["objects_per_s"] = per_second;
  state.counters["of_ceiling_pct"] = 100 * per_second / ceiling;
  state.counters["requests_per_s"] = static_cast<double>(measured.requests) / result.seconds;
  state.counters["answered_429_pct"] =
      measured.requests > 0
          ? 100 * static_cast<double>(measured.rate_limited) / static_cast<double>(measured.requests)
          : 0;
  state.SetLabel(livemode ? "live 100 req/s" : "test 25 req/s");
}

BENCHMARK(BM_BackfillAtRateLimit)
    ->ArgNames({"live", "charges"})
    ->Args({1, 150'000})  // ~570,000 objects: ~57 s at 10,000/s
    ->Args({0, 40'000})   // ~152,000 objects: ~61 s at 2,500/s
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace stripeline::bench

BENCHMARK_MAIN();
