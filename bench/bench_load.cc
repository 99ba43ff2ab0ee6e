// Load benchmark (issue 13): what a hostile or clumsy burst of requests does to a running
// `stripeline serve` — its memory, and how fast it still answers everyone else.
//
// Scenario login_flood: `threads` clients post wrong passwords for `seconds`, each from its own
// loopback address (127.0.0.2, 127.0.0.3, ...) and for ever new emails, as a distributed
// guesser would — so neither the per-account nor at first the per-address throttle stops them
// and every attempt reaches the password hashing. Meanwhile a prober asks /healthz every 50 ms.
// Prints the answers by status, the server's peak RSS (VmHWM) and the prober's latencies.
//
// Scenario verify_flood: `threads` clients keep verifications of `integrations` integrations
// going against an emulator whose every request takes `latency` ms (a slow Stripe): each posts
// `POST .../sync/verify` for its integration (202, or 409 while one runs), follows it with GET
// until it ended, and posts again. Meanwhile a prober asks /healthz every 50 ms. Prints the
// answers by status, the verifications that ended, the server's RSS and the prober's latencies.
//
// Usage: bench_load [login_flood] [seconds=10] [threads=64]
//        bench_load verify_flood [seconds=20] [threads=40] [integrations=8] [latency=250]
// Exits non-zero when a /healthz probe failed, the right password no longer signs in, or no
// verification could be started.

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bench/server_process.h"

namespace stripeline::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr char kAdminPassword[] = "bench-admin-password";

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

size_t Append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

// One HTTP exchange on a reused handle; the status, or 0 when no answer came. The answer's body
// goes to `answer` when given; `token` is sent as a bearer token when not empty.
long Exchange(CURL* curl, const std::string& url, const std::string* json_body,
              std::string* answer = nullptr, const std::string& token = "") {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  if (answer != nullptr) {
    answer->clear();
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, answer);
  } else {
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  }
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_slist* headers = nullptr;
  if (!token.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
  if (json_body != nullptr) {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_body->c_str());
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
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

// What the /healthz prober saw, and the largest RSS sampled meanwhile.
struct Probes {
  std::vector<double> ms;
  int failures = 0;
  int64_t rss_max = 0;
};

// Asks /healthz every 50 ms for `seconds`, sampling the server's RSS after each answer.
Probes ProbeHealth(const ServerProcess& server, int seconds) {
  Probes probes;
  CURL* probe = curl_easy_init();
  const auto end = SteadyClock::now() + std::chrono::seconds(seconds);
  while (SteadyClock::now() < end) {
    const auto sent = SteadyClock::now();
    const long status = Exchange(probe, server.base_url() + "/healthz", nullptr);
    probes.ms.push_back(std::chrono::duration<double, std::milli>(SteadyClock::now() - sent).count());
    if (status != 200) ++probes.failures;
    probes.rss_max = std::max(probes.rss_max, server.RssBytes());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  curl_easy_cleanup(probe);
  return probes;
}

void PrintProbes(const Probes& probes, int64_t rss_before, int64_t peak) {
  std::printf("  server RSS: %.0f MiB before, %.0f MiB max sampled, %.0f MiB peak (VmHWM)\n",
              rss_before / 1048576.0, probes.rss_max / 1048576.0, peak / 1048576.0);
  std::printf("  /healthz every 50 ms: %zu probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed\n",
              probes.ms.size(), Percentile(probes.ms, 0.5), Percentile(probes.ms, 0.99),
              Percentile(probes.ms, 1.0), probes.failures);
}

std::filesystem::path FreshDataDir(const std::string& scenario) {
  return std::filesystem::temp_directory_path() /
         ("stripeline-bench-" + scenario + "-" + std::to_string(getpid()));
}

int LoginFlood(int seconds, int threads) {
  const std::filesystem::path dir = FreshDataDir("login-flood");
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

  const Probes probes = ProbeHealth(**server, seconds);
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
  server->reset();
  std::filesystem::remove_all(dir);

  int64_t total = 0;
  for (const auto& [status, count] : statuses) total += count;
  std::printf("login_flood: %d threads x %d s, %lld sign-ins (%.0f/s):", threads, seconds,
              static_cast<long long>(total), static_cast<double>(total) / seconds);
  for (const auto& [status, count] : statuses) {
    std::printf(" %ld=%lld", status, static_cast<long long>(count));
  }
  std::printf("\n");
  PrintProbes(probes, rss_before, peak);
  std::printf("  the administrator's sign-in afterwards: HTTP %ld\n", admin_status);
  return probes.failures == 0 && admin_status == 200 ? 0 : 1;
}

// The first line `command` prints, or "" when it fails.
std::string FirstLineOf(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  char line[512] = {};
  const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
  const int status = pclose(pipe);
  if (!read || status != 0) return "";
  std::string out(line);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// The value of `"field":"..."` in a JSON text (ids and states hold no quotes), or "".
std::string JsonString(const std::string& json, const std::string& field) {
  const std::string key = "\"" + field + "\":\"";
  const size_t at = json.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  return json.substr(start, json.find('"', start) - start);
}

int VerifyFlood(int seconds, int threads, int integrations, int latency_ms) {
  const std::filesystem::path dir = FreshDataDir("verify-flood");
  auto emulator = ServerProcess::Start({STRIPELINE_BINARY, "emulator", "--listen", "127.0.0.1:0",
                                        "--objects", "500", "--latency-ms",
                                        std::to_string(latency_ms)});
  if (!emulator.ok()) {
    std::fprintf(stderr, "emulator: %s\n", emulator.status().ToString().c_str());
    return 1;
  }
  const std::string stripe = (*emulator)->base_url();
  auto server = ServerProcess::Start({STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0",
                                      "--data-dir", dir.string(), "--stripe-api-base", stripe,
                                      "--sync-interval", "0", "--log-level", "error"},
                                     {{"STRIPELINE_ADMIN_PASSWORD", kAdminPassword}});
  if (!server.ok()) {
    std::fprintf(stderr, "serve: %s\n", server.status().ToString().c_str());
    return 1;
  }
  const std::string base = (*server)->base_url();
  const std::string token =
      FirstLineOf(std::string(STRIPELINE_BINARY) + " tokens create --data-dir '" + dir.string() +
                  "' --user admin@localhost");
  std::vector<std::string> ids;
  CURL* setup = curl_easy_init();
  for (int i = 0; i < integrations; ++i) {
    const std::string body = R"({"name":"Bench )" + std::to_string(i + 1) +
                             R"(","secret_key":"sk_test_emu_demo_secret_0000000000000000"})";
    std::string answer;
    if (Exchange(setup, base + "/api/v1/integrations", &body, &answer, token) == 201) {
      ids.push_back(JsonString(answer, "id"));
    }
  }
  curl_easy_cleanup(setup);
  if (token.empty() || ids.size() != static_cast<size_t>(integrations)) {
    std::fprintf(stderr, "could not add %d integrations\n", integrations);
    return 1;
  }
  const int64_t rss_before = (*server)->RssBytes();

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<long, int64_t> statuses;  // of the POSTs; guarded by mu
  std::set<std::string> ended;       // verifications seen ended; guarded by mu
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      CURL* curl = curl_easy_init();
      const std::string path = base + "/api/v1/integrations/" + ids[t % ids.size()] + "/sync/verify";
      const std::string empty = "{}";
      std::map<long, int64_t> mine;
      std::string answer;
      while (!stop.load()) {
        ++mine[Exchange(curl, path, &empty, &answer, token)];
        // Follow the integration's verification (started here or by another client) to its end.
        while (!stop.load()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(250));
          if (Exchange(curl, path, nullptr, &answer, token) != 200) break;
          const std::string state = JsonString(answer, "state");
          if (state != "queued" && state != "running") {
            std::lock_guard lock(mu);
            ended.insert(JsonString(answer, "id"));
            break;
          }
        }
      }
      curl_easy_cleanup(curl);
      std::lock_guard lock(mu);
      for (const auto& [status, count] : mine) statuses[status] += count;
    });
  }
  const Probes probes = ProbeHealth(**server, seconds);
  stop = true;
  for (std::thread& client : clients) client.join();
  const int64_t peak = (*server)->PeakRssBytes();
  server->reset();  // SIGTERM: the verifications still running end canceled
  emulator->reset();
  std::filesystem::remove_all(dir);

  std::printf("verify_flood: %d clients x %d s over %d integrations, Stripe latency %d ms; "
              "POST verify:", threads, seconds, integrations, latency_ms);
  for (const auto& [status, count] : statuses) {
    std::printf(" %ld=%lld", status, static_cast<long long>(count));
  }
  std::printf("; %zu verifications ended\n", ended.size());
  PrintProbes(probes, rss_before, peak);
  return probes.failures == 0 && statuses.count(202) > 0 ? 0 : 1;
}

}  // namespace
}  // namespace stripeline::bench

int main(int argc, char** argv) {
  std::vector<int> numbers;  // the scenario's arguments
  std::string scenario = "login_flood";
  for (int i = 1; i < argc; ++i) {
    if (i == 1 && std::strchr("0123456789", argv[i][0]) == nullptr) {
      scenario = argv[i];
    } else {
      numbers.push_back(std::atoi(argv[i]));
    }
  }
  auto arg = [&](size_t index, int fallback) {
    return index < numbers.size() ? numbers[index] : fallback;
  };
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int code = 2;
  if (scenario == "login_flood") {
    code = stripeline::bench::LoginFlood(arg(0, 10), arg(1, 64));
  } else if (scenario == "verify_flood") {
    code = stripeline::bench::VerifyFlood(arg(0, 20), arg(1, 40), arg(2, 8), arg(3, 250));
  } else {
    std::fprintf(stderr, "unknown scenario '%s': login_flood or verify_flood\n", scenario.c_str());
  }
  curl_global_cleanup();
  return code;
}
