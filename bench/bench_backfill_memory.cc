// Memory of the syncing side over a backfill of ~1,000,000 objects: peak resident memory
// (VmHWM) must stay <= 150 MB and flat as data grows (issue 3). The emulator runs as a separate
// process (no latency or limit), so its own memory is not counted; this process is only the
// sync: a Runtime, the engine's workers, libcurl, SQLite.
//
// A plain driver rather than Google Benchmark: the figure is a property of the whole process
// (its peak RSS since it started), sampled from the progress callback as the written object
// count passes each quarter of the dataset, so one process must do exactly one backfill.
//
// Usage: bench_backfill_memory [--objects N]   (N charges; default 263,000 ≈ 1,000,000 objects)

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_support.h"

namespace stripeline::bench {
namespace {

constexpr double kTargetPeakMb = 150;
constexpr int64_t kDefaultCharges = 263'000;  // × ~3.8 objects per charge ≈ 1,000,000

double Mb(int64_t kb) { return static_cast<double>(kb) / 1024.0; }

int Main(int argc, char** argv) {
  int64_t charges = kDefaultCharges;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--objects") == 0 && i + 1 < argc) {
      charges = std::atoll(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--objects N]\n", argv[0]);
      return 2;
    }
  }

  auto emulator = EmulatorProcess::Start({.objects = charges});
  if (!emulator.ok()) {
    std::fprintf(stderr, "%s\n", emulator.status().ToString().c_str());
    return 1;
  }
  auto stats = (*emulator)->Stats(/*livemode=*/false);
  if (!stats.ok()) {
    std::fprintf(stderr, "%s\n", stats.status().ToString().c_str());
    return 1;
  }
  auto run = BackfillRun::Open((*emulator)->base_url(),
                               {.api_key = kTestKey, .limits = UnlimitedRate()});
  if (!run.ok()) {
    std::fprintf(stderr, "%s\n", run.status().ToString().c_str());
    return 1;
  }
  const ProcessMemory before = ReadProcessMemory();

  // Samples at each quarter of the dataset; the callback runs on worker threads, one at a time.
  struct Sample {
    int64_t objects;
    ProcessMemory memory;
  };
  std::vector<Sample> samples;
  const int64_t quarter = BackfillObjects(*stats) / 4;
  auto measured = (*run)->Sync(**emulator, [&](const sync::SyncProgress& progress) {
    const int64_t next = quarter * static_cast<int64_t>(samples.size() + 1);
    if (samples.size() < 3 && progress.objects >= next) {
      samples.push_back({progress.objects, ReadProcessMemory()});
    }
  });
  if (!measured.ok()) {
    std::fprintf(stderr, "%s\n", measured.status().ToString().c_str());
    return 1;
  }
  const sync::SyncRunResult* synced = &measured->result;
  samples.push_back({synced->objects, ReadProcessMemory()});
  const ProcessMemory emulator_memory = ReadProcessMemory((*emulator)->pid());

  std::printf("Backfill memory: --objects %lld, %lld objects in %.1f s (%.0f objects/s)\n",
              static_cast<long long>(charges), static_cast<long long>(synced->objects),
              synced->seconds, static_cast<double>(synced->objects) / synced->seconds);
  std::printf("%12s %10s %14s\n", "objects", "RSS MB", "peak RSS MB");
  std::printf("%12s %10.1f %14.1f\n", "before sync", Mb(before.rss_kb), Mb(before.peak_rss_kb));
  for (const Sample& s : samples) {
    std::printf("%12lld %10.1f %14.1f\n", static_cast<long long>(s.objects), Mb(s.memory.rss_kb),
                Mb(s.memory.peak_rss_kb));
  }
  const double peak = Mb(samples.back().memory.peak_rss_kb);
  std::printf("peak RSS %.1f MB = %.2f of the 150 MB target; emulator (not counted) %.1f MB\n",
              peak, peak / kTargetPeakMb, Mb(emulator_memory.peak_rss_kb));
  return 0;
}

}  // namespace
}  // namespace stripeline::bench

int main(int argc, char** argv) { return stripeline::bench::Main(argc, argv); }
