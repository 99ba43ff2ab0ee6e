#pragma once
// Clock: the one seam for time, so tests never read the wall clock or really sleep
// (LevelDB's Env habit). Implementations must be thread-safe.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace stripeline {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in unix seconds.
  virtual int64_t NowUnix() const = 0;
  // Monotonic time, for measuring durations and deadlines.
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;
  // Blocks the calling thread for `d` (a fake clock advances instead).
  virtual void SleepFor(std::chrono::milliseconds d) = 0;

  // The process-wide real clock.
  static Clock& Real();
};

// "2026-11-23 10:00 UTC"; "-" for 0 (never).
std::string FormatUnixTime(int64_t unix_seconds);

class SystemClock final : public Clock {
 public:
  int64_t NowUnix() const override;
  std::chrono::steady_clock::time_point Monotonic() const override;
  void SleepFor(std::chrono::milliseconds d) override;
};

// A clock that only moves when told to (or when something sleeps on it). For tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_unix = 1'700'000'000) : now_ms_(start_unix * 1000) {}
  int64_t NowUnix() const override;
  std::chrono::steady_clock::time_point Monotonic() const override;
  void SleepFor(std::chrono::milliseconds d) override { Advance(d); }
  void Advance(std::chrono::milliseconds d);
  // Total time slept or advanced since construction.
  std::chrono::milliseconds Elapsed() const;

 private:
  mutable std::mutex mu_;
  int64_t now_ms_;
  int64_t elapsed_ms_ = 0;
};

}  // namespace stripeline
