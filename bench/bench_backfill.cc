// Backfill throughput, end to end: `stripeline emulator --objects 100000` (100,000 charges and
// every other stream in proportion, no latency, no rate limit) as a separate process on this
// machine, and a full sync of its demo account in this process (HTTP over loopback, parsing,
// SQLite writes). Target (issue 3): >= 20,000 objects/s.
//
// Google Benchmark drives it for its reporting (counters, --benchmark_format=json): a backfill
// is seconds long and changes the database, so each benchmark runs exactly one iteration in a
// fresh data directory, and the time reported is the sync's own (UseManualTime: emulator
// start-up and data directory set-up are excluded).

#include <benchmark/benchmark.h>

#include "bench/bench_support.h"

namespace stripeline::bench {
namespace {

constexpr double kTargetObjectsPerSecond = 20'000;

void BM_Backfill(benchmark::State& state) {
  auto emulator = EmulatorProcess::Start({.objects = state.range(0)});
  if (!emulator.ok()) return state.SkipWithError(emulator.status().ToString().c_str());

  MeasuredSync measured;
  for (auto _ : state) {
    auto run = BackfillRun::Open((*emulator)->base_url(),
                                 {.api_key = kTestKey, .limits = UnlimitedRate()});
    if (!run.ok()) return state.SkipWithError(run.status().ToString().c_str());
    auto synced = (*run)->Sync(**emulator);
    if (!synced.ok()) return state.SkipWithError(synced.status().ToString().c_str());
    measured = *synced;
    state.SetIterationTime(measured.result.seconds);
  }
  const sync::SyncRunResult& result = measured.result;
  const double per_second = static_cast<double>(result.objects) / result.seconds;
  state.counters["objects"] = static_cast<double>(result.objects);
  state.counters["requests"] = static_cast<double>(measured.requests);
  state.counters["objects_per_s"] = per_second;
  state.counters["of_target_pct"] = 100 * per_second / kTargetObjectsPerSecond;
}

BENCHMARK(BM_Backfill)
    ->ArgName("charges")
    ->Arg(100'000)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace stripeline::bench

BENCHMARK_MAIN();
