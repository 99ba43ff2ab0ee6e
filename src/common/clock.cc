#include "common/clock.h"

#include <ctime>
#include <thread>

namespace stripeline {

std::string FormatUnixTime(int64_t unix_seconds) {
  if (unix_seconds == 0) return "-";
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &tm);
  return buffer;
}

Clock& Clock::Real() {
  static SystemClock clock;
  return clock;
}

int64_t SystemClock::NowUnix() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::steady_clock::time_point SystemClock::Monotonic() const {
  return std::chrono::steady_clock::now();
}

void SystemClock::SleepFor(std::chrono::milliseconds d) { std::this_thread::sleep_for(d); }

int64_t FakeClock::NowUnix() const {
  std::lock_guard lock(mu_);
  return now_ms_ / 1000;
}

std::chrono::steady_clock::time_point FakeClock::Monotonic() const {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_ms_));
}

void FakeClock::Advance(std::chrono::milliseconds d) {
  std::lock_guard lock(mu_);
  now_ms_ += d.count();
  elapsed_ms_ += d.count();
}

std::chrono::milliseconds FakeClock::Elapsed() const {
  std::lock_guard lock(mu_);
  return std::chrono::milliseconds(elapsed_ms_);
}

}  // namespace stripeline
