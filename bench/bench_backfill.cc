// Backfill throughput, end to end: `stripeline emulator --objects 100000` (100,000 charges and
// every other stream in proportion, no latency, no rate limit) as a separate process on this
// machine, and a full sync of its demo account in this process (HTTP over loopback, parsing,
// SQLite writes). Target (issue 3): >= 20,000 objects/s.
//
// Google Benchmark drives it for its reporting (counters, --benchmark_format=json): a backfill
// is seconds long and changes the database, so each benchmark runs exactly one iteration in a
// fresh data directory, and the time reported is the sync's own (UseManualTime: emulator
// start-up and data directory set-up are excluded).
//
// The second argument, report_triggers, measures what the metrics' write-side triggers cost a
// backfill (the hourly rollup of the volume streams and the subscription queue, migrations 6
// and 7): 0 drops them from the fresh database before the sync. Compare the two as an A/B in
// one session, alternating, e.g.
//   bench_backfill --benchmark_repetitions=4 --benchmark_enable_random_interleaving=true
// (the default run, report_triggers:1, is what a real sync does).

#include <time.h>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "store/open_database.h"
#include "sync/object_writer.h"
#include "sync/stream_table.h"

namespace stripeline::bench {
namespace {

constexpr double kTargetObjectsPerSecond = 20'000;

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// Drops the triggers that keep the metrics' rollup and subscription queue (their names end in
// _rollup_<op> or _report_<op>), so the sync writes only the stream tables.
Status DropReportTriggers(store::Database& db) {
  SL_ASSIGN_OR_RETURN(store::Rows triggers,
                      db.Query("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                               "(name LIKE '%\\_rollup\\_%' ESCAPE '\\' OR "
                               "name LIKE '%\\_report\\_%' ESCAPE '\\')",
                               {}));
  if (triggers.empty()) return Status::Internal("No report triggers found to drop");
  for (const store::Row& row : triggers) {
    SL_RETURN_IF_ERROR(db.ExecuteScript("DROP TRIGGER \"" + row.GetString(0) + "\""));
  }
  return Status::OK();
}

void BM_Backfill(benchmark::State& state) {
  auto emulator = EmulatorProcess::Start({.objects = state.range(0)});
  if (!emulator.ok()) return state.SkipWithError(emulator.status().ToString().c_str());

  MeasuredSync measured;
  double cpu_seconds = 0;
  for (auto _ : state) {
    auto run = BackfillRun::Open((*emulator)->base_url(),
                                 {.api_key = kTestKey, .limits = UnlimitedRate()});
    if (!run.ok()) return state.SkipWithError(run.status().ToString().c_str());
    if (state.range(1) == 0) {
      Status dropped = DropReportTriggers((*run)->runtime().database());
      if (!dropped.ok()) return state.SkipWithError(dropped.ToString().c_str());
    }
    // This process's CPU time over every thread (the emulator is another process): on a shared
    // machine it varies far less than the wall time, so an A/B of a few percent shows in it.
    const double cpu0 = ProcessCpuSeconds();
    auto synced = (*run)->Sync(**emulator);
    cpu_seconds = ProcessCpuSeconds() - cpu0;
    if (!synced.ok()) return state.SkipWithError(synced.status().ToString().c_str());
    measured = *synced;
    state.SetIterationTime(measured.result.seconds);
  }
  const sync::SyncRunResult& result = measured.result;
  const double per_second = static_cast<double>(result.objects) / result.seconds;
  state.counters["objects"] = static_cast<double>(result.objects);
  state.counters["requests"] = static_cast<double>(measured.requests);
  state.counters["objects_per_s"] = per_second;
  state.counters["cpu_s"] = cpu_seconds;
  state.counters["of_target_pct"] = 100 * per_second / kTargetObjectsPerSecond;
}

// The SQLite writes of a backfill alone, without HTTP or parsing: 100,000 charges over three
// years in order of time, as within a backfill's page (their rows prepared beforehand; 229,814
// of a backfill's 384,079 rows reach a rollup trigger), written by the sync's ObjectWriter 100
// to a transaction (a page, as the backfill does) into a fresh store, with the report triggers
// (report_triggers:1) or without. Its CPU time varies less than the backfill's, so the
// difference per row is the triggers' cost, and times the backfill's rows their share of it.
void BM_WriteCharges(benchmark::State& state) {
  constexpr int64_t kRows = 100'000, kPage = 100;
  const sync::StreamSpec& stream = *sync::FindStream("charges");
  std::vector<std::vector<store::Value>> rows;
  for (int64_t i = 0; i < kRows; ++i) {
    const int64_t amount = 500 + (i * 7919) % 20000;
    boost::json::object charge{{"id", "ch_" + std::to_string(i)}, {"object", "charge"},
                               {"livemode", false}, {"created", 1698796800 + i * 947},
                               {"amount", amount}, {"amount_captured", amount},
                               {"currency", i % 10 == 3 ? "eur" : "usd"},
                               {"status", "succeeded"}, {"paid", true}};
    auto row = sync::ObjectWriter::Row(stream, charge,
                                       {.account_id = kDemoAccount, .version = 1, .synced_at = 1});
    if (!row.ok()) return state.SkipWithError(row.status().ToString().c_str());
    rows.push_back(std::move(row).value());
  }
  for (auto _ : state) {
    state.PauseTiming();
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("stripeline_bench_writes_" +
                                       std::to_string(std::random_device{}()));
    {
      auto opened = store::OpenDatabase("sqlite:" + (dir / "stripeline.db").string(),
                                        bench::AllSchemas());
      if (!opened.ok()) return state.SkipWithError(opened.status().ToString().c_str());
      store::Database& db = **opened;
      if (state.range(0) == 0) {
        Status dropped = DropReportTriggers(db);
        if (!dropped.ok()) return state.SkipWithError(dropped.ToString().c_str());
      }
      sync::ObjectWriter writer(db);
      state.ResumeTiming();
      for (int64_t first = 0; first < kRows; first += kPage) {
        Status written = db.Transaction([&]() -> Status {
          for (int64_t i = first; i < first + kPage; ++i) {
            SL_RETURN_IF_ERROR(writer.Write(stream, rows[i]).status());
          }
          return Status::OK();
        });
        if (!written.ok()) return state.SkipWithError(written.ToString().c_str());
      }
      state.PauseTiming();
    }
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["per_row"] =
      benchmark::Counter(static_cast<double>(kRows), benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

BENCHMARK(BM_WriteCharges)
    ->ArgName("report_triggers")
    ->Arg(1)
    ->Arg(0)
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

BENCHMARK(BM_Backfill)
    ->ArgNames({"charges", "report_triggers"})
    ->Args({100'000, 1})
    ->Args({100'000, 0})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace stripeline::bench

BENCHMARK_MAIN();
