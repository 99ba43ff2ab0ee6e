// Load benchmark (issue 13): what a hostile or clumsy burst of requests does to a running
// `stripeline serve` — its memory, and how fast it still answers everyone else.
//
// Scenario login_flood: `threads` clients post wrong passwords for `seconds`, each from its own
// loopback address (127.0.0.2, 127.0.0.3, ...) and for ever new emails, as a distributed
// guesser would — so neither the per-account nor at first the per-address throttle stops them
// and every attempt reaches the password hashing. Meanwhile a prober asks /healthz every 50 ms.
// Prints the answers by status, the server's peak RSS (VmHWM) and the prober's latencies.
//
// Usage: bench_load [seconds=10] [threads=64]
// Exits non-zero when a /healthz probe failed or the right password no longer signs in.

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/server_process.h"

namespace stripeline::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr char kAdminPassword[] = "bench-admin-password";

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

// One HTTP exchange on a reused handle; the status, or 0 when no answer came.
long Exchange(CURL* curl, const std::string& url, const std::string* json_body) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_slist* headers = nullptr;
  if (json_body != nullptr) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_body->c_str());
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  return status;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(p * values.size()))];
}

int LoginFlood(int seconds, int threads) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("stripeline-bench-load-" + std::to_string(getpid()));
  auto server = ServerProcess::Start({STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0",
                                      "--data-dir", dir.string(), "--sync-interval", "0",
                                      "--log-level", "error"},
                                     {{"STRIPELINE_ADMIN_PASSWORD", kAdminPassword}});
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  const std::string base = (*server)->base_url();
  const int64_t rss_before = (*server)->RssBytes();

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<long, int64_t> statuses;  // guarded by mu
  std::vector<std::thread> flood;
  for (int t = 0; t < threads; ++t) {
    flood.emplace_back([&, t] {
      CURL* curl = curl_easy_init();
      const std::string source = "127.0.0." + std::to_string(2 + t % 250);
      curl_easy_setopt(curl, CURLOPT_INTERFACE, source.c_str());
      std::map<long, int64_t> mine;
      for (int i = 0; !stop.load(); ++i) {
        const std::string body = R"({"email":"guess)" + std::to_string(t) + "-" +
                                 std::to_string(i) + R"(@example.com","password":"wrong"})";
        ++mine[Exchange(curl, base + "/api/v1/auth/login", &body)];
      }
      curl_easy_cleanup(curl);
      std::lock_guard lock(mu);
      for (const auto& [status, count] : mine) statuses[status] += count;
    });
  }

  std::vector<double> health_ms;
  int health_failures = 0;
  int64_t rss_max = 0;
  CURL* probe = curl_easy_init();
  const auto end = SteadyClock::now() + std::chrono::seconds(seconds);
  while (SteadyClock::now() < end) {
    const auto sent = SteadyClock::now();
    const long status = Exchange(probe, base + "/healthz", nullptr);
    health_ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - sent).count());
    if (status != 200) ++health_failures;
    rss_max = std::max(rss_max, (*server)->RssBytes());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (std::thread& thread : flood) thread.join();
  const int64_t peak = (*server)->PeakRssBytes();

  // The flood used other accounts: the administrator still signs in at once.
  const std::string admin = R"({"email":"admin@localhost","password":")" +
                            std::string(kAdminPassword) + R"("})";
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_INTERFACE, "127.0.0.1");
  const long admin_status = Exchange(curl, base + "/api/v1/auth/login", &admin);
  curl_easy_cleanup(curl);
  curl_easy_cleanup(probe);
  server->reset();
  std::filesystem::remove_all(dir);

  int64_t total = 0;
  for (const auto& [status, count] : statuses) total += count;
  std::printf("login_flood: %d threads x %d s, %lld sign-ins (%.0f/s):", threads, seconds,
              static_cast<long long>(total), static_cast<double>(total) / seconds);
  for (const auto& [status, count] : statuses) {
    std::printf(" %ld=%lld", status, static_cast<long long>(count));
  }
  std::printf("\n  server RSS: %.0f MiB before, %.0f MiB max sampled, %.0f MiB peak (VmHWM)\n",
              rss_before / 1048576.0, rss_max / 1048576.0, peak / 1048576.0);
  std::printf("  /healthz every 50 ms: %zu probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed\n",
              health_ms.size(), Percentile(health_ms, 0.5), Percentile(health_ms, 0.99),
              Percentile(health_ms, 1.0), health_failures);
  std::printf("  the administrator's sign-in afterwards: HTTP %ld\n", admin_status);
  return health_failures == 0 && admin_status == 200 ? 0 : 1;
}

}  // namespace
}  // namespace stripeline::bench

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 64;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int code = stripeline::bench::LoginFlood(seconds, threads);
  curl_global_cleanup();
  return code;
}
