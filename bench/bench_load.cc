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
// Scenario backlog: a webhook backlog drains while the API is read. Signed deliveries of
// `events` customer events (each customer created and renamed four times within one second,
// delivered newest first, so every event of a customer but the first meets a same-second tie)
// are posted by 16 senders as fast as the server acknowledges them; meanwhile 2 readers ask
// GET /api/v1/integrations and GET /api/v1/metrics/new_customers in turn. Prints the API
// latencies (p50, p99, max), the intake and drain rates, and whether p99 met the target (50 ms).
//
// Usage: bench_load [login_flood] [seconds=10] [threads=64]
//        bench_load verify_flood [seconds=20] [threads=40] [integrations=8] [latency=250]
//        bench_load backlog [events=30000]
// Exits non-zero when a /healthz probe failed, the right password no longer signs in, no
// verification could be started, an API read of the backlog scenario failed or one of its
// events was not applied.

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
#include "stripe/webhook_signature.h"

namespace stripeline::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr char kAdminPassword[] = "bench-admin-password";

size_t Discard(char*, size_t size, size_t count, void*) { return size * count; }

// One HTTP exchange on a reused handle, with `header_lines`, POSTing `post_body` when given
// (GET otherwise) and reading the answer into `body` when given; the status, or 0 when no
// answer came.
long ExchangeWith(CURL* curl, const std::string& url, const std::string* post_body,
                  const std::vector<std::string>& header_lines, std::string* body = nullptr) {
  curl_slist* headers = nullptr;
  for (const std::string& line : header_lines) headers = curl_slist_append(headers, line.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (body != nullptr) {
    body->clear();
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION,
                     +[](char* data, size_t size, size_t count, void* out) {
                       static_cast<std::string*>(out)->append(data, size * count);
                       return size * count;
                     });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
  } else {
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  }
  if (post_body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->c_str());
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(headers);
  return status;
}

// The same as a client of the API: a JSON body when given, `token` as a bearer token when not
// empty.
long Exchange(CURL* curl, const std::string& url, const std::string* json_body,
              std::string* answer = nullptr, const std::string& token = "") {
  std::vector<std::string> header_lines;
  if (!token.empty()) header_lines.push_back("Authorization: Bearer " + token);
  if (json_body != nullptr) header_lines.push_back("Content-Type: application/json");
  return ExchangeWith(curl, url, json_body, header_lines, answer);
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

// The number after `"key":` in `json` (first occurrence), or -1.
int64_t NumberAfter(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\":");
  return at == std::string::npos ? -1 : std::atoll(json.c_str() + at + key.size() + 3);
}

int Backlog(int64_t events) {
  const std::filesystem::path dir = FreshDataDir("backlog");
  auto emulator = ServerProcess::Start({STRIPELINE_BINARY, "emulator", "--listen", "127.0.0.1:0"});
  if (!emulator.ok()) {
    std::fprintf(stderr, "%s\n", emulator.status().ToString().c_str());
    return 1;
  }
  auto server = ServerProcess::Start(
      {STRIPELINE_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir", dir.string(),
       "--stripe-api-base", (*emulator)->base_url(), "--sync-interval", "0", "--log-level",
       "error"},
      {{"STRIPELINE_ADMIN_PASSWORD", kAdminPassword}});
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  const std::string base = (*server)->base_url();
  // An API token through the CLI, as an operator would make one.
  const std::string token =
      FirstLineOf(std::string(STRIPELINE_BINARY) + " tokens create --data-dir '" + dir.string() +
                  "' --user admin@localhost");
  const std::vector<std::string> api_headers{"Authorization: Bearer " + token,
                                             "Content-Type: application/json"};
  CURL* setup = curl_easy_init();
  std::string answer;
  const std::string add = R"({"type":"stripe","name":"Backlog","auth_scheme":"api_key",)"
                          R"("secret_key":"sk_test_emu_demo_secret_0000000000000000"})";
  ExchangeWith(setup, base + "/api/v1/integrations", &add, api_headers, &answer);
  const std::string id = JsonString(answer, "id");
  const std::string secret = "whsec_bench_backlog_0123456789abcdefgh";
  const std::string set_secret = R"({"secret":")" + secret + R"("})";
  const long secret_status = ExchangeWith(setup, base + "/api/v1/integrations/" + id +
                                                     "/webhook-secret",
                                          &set_secret, api_headers);
  if (id.empty() || secret_status != 200) {
    std::fprintf(stderr, "setting up the integration failed: %s\n", answer.c_str());
    return 1;
  }

  // The backlog: per customer a creation and four renames in one second, newest first.
  const int64_t second = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count() -
                         60;
  constexpr int kPerCustomer = 5;
  std::vector<std::string> payloads;
  payloads.reserve(static_cast<size_t>(events));
  for (int64_t c = 0; static_cast<int64_t>(payloads.size()) < events; ++c) {
    for (int step = kPerCustomer - 1; step >= 0 && static_cast<int64_t>(payloads.size()) < events;
         --step) {
      const std::string name = "\"name\":\"name " + std::to_string(step) + "\"";
      std::string data = R"({"object":{"id":"cus_bench_)" + std::to_string(c) +
                         R"(","object":"customer",)" + name + R"(,"livemode":false})";
      if (step > 0) {
        data += R"(,"previous_attributes":{"name":"name )" + std::to_string(step - 1) + "\"}";
      }
      data += "}";
      payloads.push_back(R"({"id":"evt_bench_)" + std::to_string(c) + "_" +
                         std::to_string(9 - step) + R"(","object":"event","type":"customer.)" +
                         (step == 0 ? "created" : "updated") + R"(","created":)" +
                         std::to_string(second) + R"(,"livemode":false,"data":)" + data + "}");
    }
  }

  std::atomic<bool> drained{false};
  std::atomic<size_t> next{0};
  std::atomic<int64_t> acknowledged{0}, refused{0};
  const auto start = SteadyClock::now();
  std::atomic<int64_t> posted_ns{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 16; ++t) {
    senders.emplace_back([&] {
      CURL* curl = curl_easy_init();
      // A customer's events at a time, in order: one sender per object, as Stripe delivers.
      for (size_t first = (next++) * kPerCustomer; first < payloads.size();
           first = (next++) * kPerCustomer) {
        for (size_t i = first; i < std::min(payloads.size(), first + kPerCustomer); ++i) {
          const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
          const long status = ExchangeWith(
              curl, base + "/webhooks/stripe/" + id, &payloads[i],
              {"Content-Type: application/json",
               "Stripe-Signature: " + stripe::WebhookSignatureHeader(secret, now, payloads[i])});
          (status == 200 ? acknowledged : refused)++;
        }
      }
      curl_easy_cleanup(curl);
      posted_ns = std::max<int64_t>(posted_ns.load(), (SteadyClock::now() - start).count());
    });
  }

  std::mutex mu;
  std::map<std::string, std::vector<double>> latencies;  // guarded by mu
  std::atomic<int> read_failures{0};
  // The last 90 days, by day.
  auto day = [](std::chrono::sys_days when) {
    const std::chrono::year_month_day ymd(when);
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return std::string(text);
  };
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::vector<std::pair<std::string, std::string>> reads{
      {"GET /api/v1/integrations", base + "/api/v1/integrations"},
      {"GET /api/v1/metrics/new_customers",
       base + "/api/v1/metrics/new_customers?integration=" + id +
           "&from=" + day(today - std::chrono::days(90)) + "&to=" + day(today + std::chrono::days(1))}};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      CURL* curl = curl_easy_init();
      std::map<std::string, std::vector<double>> mine;
      for (size_t i = 0; !drained.load(); ++i) {
        const auto& [name, url] = reads[i % reads.size()];
        const auto sent = SteadyClock::now();
        if (ExchangeWith(curl, url, nullptr, api_headers) != 200) ++read_failures;
        mine[name].push_back(
            std::chrono::duration<double, std::milli>(SteadyClock::now() - sent).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      curl_easy_cleanup(curl);
      std::lock_guard lock(mu);
      for (auto& [name, values] : mine) {
        latencies[name].insert(latencies[name].end(), values.begin(), values.end());
      }
    });
  }

  // Drained: everything posted, and nothing pending.
  int64_t applied = 0, pending = 0, failed = 0;
  const auto give_up = start + std::chrono::minutes(30);
  while (SteadyClock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    if (ExchangeWith(setup, base + "/api/v1/integrations/" + id + "/webhook", nullptr,
                     api_headers, &answer) != 200) {
      continue;
    }
    applied = NumberAfter(answer, "applied");
    pending = NumberAfter(answer, "pending");
    failed = NumberAfter(answer, "failed");
    if (acknowledged + refused == events && pending == 0) break;
  }
  const double drain_s = std::chrono::duration<double>(SteadyClock::now() - start).count();
  drained = true;
  for (std::thread& sender : senders) sender.join();
  for (std::thread& reader : readers) reader.join();
  curl_easy_cleanup(setup);
  server->reset();
  emulator->reset();
  std::filesystem::remove_all(dir);

  const double posted_s = static_cast<double>(posted_ns.load()) / 1e9;
  std::printf("backlog: %lld signed events (%lld acknowledged, %lld refused) posted by 16 "
              "senders in %.1f s (%.0f/s); drained after %.1f s: %.0f events/s applied "
              "(%lld applied, %lld pending, %lld failed)\n",
              static_cast<long long>(events), static_cast<long long>(acknowledged.load()),
              static_cast<long long>(refused.load()), posted_s, events / posted_s, drain_s,
              applied / drain_s, static_cast<long long>(applied),
              static_cast<long long>(pending), static_cast<long long>(failed));
  std::vector<double> all;
  for (const auto& [name, values] : latencies) {
    std::printf("  %s: %zu reads, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", name.c_str(),
                values.size(), Percentile(values, 0.5), Percentile(values, 0.99),
                Percentile(values, 1.0));
    all.insert(all.end(), values.begin(), values.end());
  }
  const double p99 = Percentile(all, 0.99);
  std::printf("  API reads together: p50 %.1f ms, p99 %.1f ms (target < 50 ms: %s), %d failed\n",
              Percentile(all, 0.5), p99, p99 < 50 ? "met" : "NOT met", read_failures.load());
  return read_failures == 0 && applied == events && failed == 0 ? 0 : 1;
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
  } else if (scenario == "backlog") {
    code = stripeline::bench::Backlog(arg(0, 30000));
  } else {
    std::fprintf(stderr, "unknown scenario '%s': login_flood, verify_flood or backlog\n",
                 scenario.c_str());
  }
  curl_global_cleanup();
  return code;
}
