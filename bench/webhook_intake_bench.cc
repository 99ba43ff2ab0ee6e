// Webhook intake benchmark (issue 3): verified, durably stored Stripe events per second at full
// speed, and the latency distribution at a fixed 1,000 events/s — first right after the flood
// (the applier, which yields to deliveries, catching up on its backlog meanwhile), then again
// once everything is applied.
//
// What runs: the composition `stripeline serve` uses — cli::Runtime on a fresh data directory
// (SQLite file in WAL mode, the master key, the webhook intake with its applier thread running),
// http::Api and HttpServer with serve's options — in this process, and a load generator of
// keep-alive HTTP/1.1 connections (Beast, one blocking client per thread) on loopback. Every
// request is a distinct Stripe event, signed like Stripe signs it; a 200 means the event was
// verified and committed with a disk flush (synchronous=FULL) before the answer. In process
// rather than a `stripeline serve` child so no emulator is needed to create the integration;
// the generator still shares the machine's cores with the server, as wrk would.
//
// Usage: bench_webhook_intake [full_speed_events=20000] [connections=32] [rate_seconds=10]
// Prints the figures; exits non-zero when a request failed or a stored count is off.

#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/runtime.h"
#include "common/http_server.h"
#include "common/log.h"
#include "http/api.h"
#include "stripe/webhook_signature.h"
#include "sync/webhook_intake.h"

namespace stripeline::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;

constexpr char kIntegration[] = "int_webhook_bench";
constexpr char kSecret[] = "whsec_benchmark_0123456789abcdefghijklmn";

// A realistic ~1.5 KB event: a charge.updated with the object's usual fields.
std::string EventPayload(const std::string& event_id, int64_t now) {
  boost::json::object charge{
      {"id", "ch_" + event_id.substr(4)}, {"object", "charge"}, {"amount", 2599},
      {"amount_captured", 2599}, {"amount_refunded", 0}, {"currency", "usd"},
      {"customer", "cus_PqR8sT2uV4wX6y"}, {"description", "Order 4471 (benchmark)"},
      {"status", "succeeded"}, {"paid", true}, {"captured", true}, {"refunded", false},
      {"disputed", false}, {"livemode", false}, {"created", now - 60},
      {"payment_intent", "pi_3PqR8sT2uV4wX6yZ0a1b2c3d"}, {"balance_transaction",
                                                           "txn_3PqR8sT2uV4wX6yZ0a1b2c3d"},
      {"billing_details",
       {{"address", {{"city", "Berlin"}, {"country", "DE"}, {"postal_code", "10115"}}},
        {"email", "buyer@example.com"}, {"name", "Bench Buyer"}}},
      {"metadata", {{"order_id", "4471"}, {"channel", "web"}}},
      {"payment_method_details",
       {{"type", "card"},
        {"card", {{"brand", "visa"}, {"last4", "4242"}, {"exp_month", 12}, {"exp_year", 2030},
                  {"funding", "credit"}, {"country", "US"}}}}},
      {"receipt_url", "https://pay.stripe.com/receipts/payment/CAcaFwoVYWNjdF8xTTJKVGtMa2RJd0h1N2l4"}};
  boost::json::object event{{"id", event_id},       {"object", "event"},
                            {"api_version", "2025-03-31.basil"},
                            {"type", "charge.updated"}, {"created", now - 30},
                            {"livemode", false},      {"pending_webhooks", 1},
                            {"request", {{"id", "req_bench"}, {"idempotency_key", nullptr}}},
                            {"data", {{"object", charge},
                                      {"previous_attributes", {{"description", nullptr}}}}}};
  return boost::json::serialize(event);
}

int64_t WallNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One keep-alive connection posting signed events.
class Connection {
 public:
  explicit Connection(uint16_t port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    socket_.set_option(asio::ip::tcp::no_delay(true));
  }

  // True on a 200 with "received":true.
  bool Post(const std::string& payload) {
    const int64_t t = WallNow();
    bhttp::request<bhttp::string_body> request{bhttp::verb::post,
                                                std::string("/webhooks/stripe/") + kIntegration,
                                                11};
    request.set(bhttp::field::host, "127.0.0.1");
    request.set(bhttp::field::content_type, "application/json; charset=utf-8");
    request.set("Stripe-Signature", stripe::WebhookSignatureHeader(kSecret, t, payload));
    request.body() = payload;
    request.prepare_payload();
    beast::error_code ec;
    bhttp::write(socket_, request, ec);
    if (ec) return false;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket_, buffer_, response, ec);
    if (ec) return false;
    return response.result_int() == 200 &&
           response.body().find("\"received\":true") != std::string::npos &&
           response.body().find("duplicate") == std::string::npos;
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  beast::flat_buffer buffer_;
};

struct Figures {
  int64_t ok = 0, failed = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
};

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// Posts `per_connection` events on each of `connections` connections. With rate > 0, each
// connection sends on a fixed schedule (open loop: latency counts from the scheduled send
// time, so a slow answer also delays, and is charged to, the requests queued behind it).
Figures Run(uint16_t port, int connections, int64_t per_connection, double rate,
            std::atomic<int64_t>& next_event) {
  Figures figures;
  std::mutex mu;
  std::vector<std::thread> threads;
  // Every connection starts once all are open and their payloads built.
  std::barrier ready(connections + 1), go(connections + 1);
  Clock::time_point start;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      Connection connection(port);
      std::vector<double> latencies;
      int64_t ok = 0, failed = 0;
      const auto interval = rate > 0 ? std::chrono::duration<double>(connections / rate)
                                     : std::chrono::duration<double>(0);
      // Built before the clock starts: the generator's JSON work is not the server's.
      std::vector<std::string> payloads;
      for (int64_t i = 0; i < per_connection; ++i) {
        payloads.push_back(EventPayload("evt_bench_" + std::to_string(next_event++), WallNow()));
      }
      ready.arrive_and_wait();
      go.arrive_and_wait();
      // Stagger the connections over one interval so the load is even.
      const auto first =
          start + std::chrono::duration_cast<Clock::duration>(interval * c / connections);
      for (int64_t i = 0; i < per_connection; ++i) {
        const std::string& payload = payloads[i];
        auto scheduled = Clock::now();
        if (rate > 0) {
          scheduled = first + std::chrono::duration_cast<Clock::duration>(interval * i);
          std::this_thread::sleep_until(scheduled);
        }
        bool posted = connection.Post(payload);
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - scheduled)
                                .count());
        (posted ? ok : failed) += 1;
      }
      std::lock_guard lock(mu);
      figures.ok += ok;
      figures.failed += failed;
      figures.latencies_ms.insert(figures.latencies_ms.end(), latencies.begin(), latencies.end());
    });
  }
  ready.arrive_and_wait();
  start = Clock::now();
  go.arrive_and_wait();
  for (auto& thread : threads) thread.join();
  figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return figures;
}

// How the deliveries of one phase shared their disk flushes.
void PrintGroupCommits(const char* phase, const sync::GroupCommitStats& before,
                       const sync::GroupCommitStats& after) {
  const int64_t groups = after.groups - before.groups;
  if (groups == 0) return;
  const double seconds =
      std::chrono::duration<double>(after.commit_time - before.commit_time).count();
  std::printf("  %s group commits: %lld, %.1f deliveries each, %.2f ms each\n", phase,
              static_cast<long long>(groups),
              static_cast<double>(after.deliveries - before.deliveries) / groups,
              seconds * 1000 / groups);
}

int64_t StoredEvents(store::Database& db) {
  auto rows = db.Query("SELECT COUNT(*) FROM webhook_events", {});
  return rows.ok() ? (*rows)[0].GetInt(0) : -1;
}

int64_t PendingEvents(store::Database& db) {
  auto rows = db.Query("SELECT COUNT(*) FROM webhook_events WHERE state = 'pending'", {});
  return rows.ok() ? (*rows)[0].GetInt(0) : -1;
}

// Waits (at most 5 minutes) until no stored event is pending; the seconds it took.
double WaitUntilApplied(store::Database& db) {
  const auto start = Clock::now();
  while (PendingEvents(db) > 0 && Clock::now() - start < std::chrono::minutes(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int Main(int argc, char** argv) {
  const int64_t full_speed_events = argc > 1 ? std::atoll(argv[1]) : 20000;
  const int connections = argc > 2 ? std::atoi(argv[2]) : 32;
  const int rate_seconds = argc > 3 ? std::atoi(argv[3]) : 10;
  constexpr double kRate = 1000;

  (void)InitLogging({.level = "warn"});
  const std::filesystem::path data_dir =
      std::filesystem::temp_directory_path() /
      ("stripeline-webhook-bench-" + std::to_string(::getpid()));
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{data_dir};

  auto runtime = cli::Runtime::Open({.data_dir = data_dir.string()});
  if (!runtime.ok()) {
    std::cerr << "runtime: " << runtime.status().ToString() << "\n";
    return 1;
  }
  cli::Runtime& rt = **runtime;
  // The integration row directly: adding one through the service would validate a key
  // against Stripe, which is not what is measured here.
  Status created = rt.store().CreateIntegration({.id = kIntegration,
                                                 .name = "Webhook benchmark",
                                                 .auth_scheme = "api_key",
                                                 .credentials_sealed = "unused",
                                                 .secret_key_masked = "sk_test_...0000",
                                                 .stripe_account_id = "acct_bench",
                                                 .created_at = WallNow(),
                                                 .updated_at = WallNow()});
  auto secret = rt.webhooks().SetSecret(access::Actor::LocalOperator(), kIntegration,
                                        std::string(kSecret));
  if (!created.ok() || !secret.ok()) {
    std::cerr << "set-up failed: " << created.ToString() << " " << secret.status().ToString()
              << "\n";
    return 1;
  }
  http::Api api(rt.api_services());
  HttpServer server(HttpServerOptions{.listen = "127.0.0.1:0",
                                      .worker_threads = http::kApiWorkerThreads},
                    [&api](const HttpRequest& request) { return api.Handle(request); });
  if (Status started = server.Start(); !started.ok()) {
    std::cerr << "server: " << started.ToString() << "\n";
    return 1;
  }
  // BENCH_NO_APPLIER=1: the intake alone, without the applier competing for the cores.
  const bool applier = std::getenv("BENCH_NO_APPLIER") == nullptr;
  if (applier) rt.webhooks().Start();

  std::atomic<int64_t> next_event{0};
  // Warm-up: connections, statement cache, page cache.
  Figures warm_up = Run(server.port(), 4, 250, 0, next_event);

  const sync::GroupCommitStats before_full = rt.webhooks().CommitStats();
  Figures full = Run(server.port(), connections, full_speed_events / connections, 0, next_event);
  const sync::GroupCommitStats after_full = rt.webhooks().CommitStats();
  const double per_second = static_cast<double>(full.ok) / full.seconds;
  std::printf("full speed: %lld events in %.2f s = %.0f verified, durably stored events/s "
              "(%d connections; p50 %.2f ms, p99 %.2f ms; %lld failed)\n",
              static_cast<long long>(full.ok), full.seconds, per_second, connections,
              Percentile(full.latencies_ms, 0.50), Percentile(full.latencies_ms, 0.99),
              static_cast<long long>(full.failed));
  PrintGroupCommits("full speed", before_full, after_full);

  // The applier yields to deliveries, so a flood leaves a backlog, stored durably. Deliveries
  // at 1,000/s right after it (the applier catching up meanwhile), then once it has caught up.
  const int rate_connections = 16;
  const int64_t rate_events = static_cast<int64_t>(kRate) * rate_seconds;
  const int64_t backlog = PendingEvents(rt.database());
  auto paced_phase = [&](const char* name) {
    const sync::GroupCommitStats before = rt.webhooks().CommitStats();
    Figures paced = Run(server.port(), rate_connections, rate_events / rate_connections, kRate,
                        next_event);
    std::printf("at %.0f events/s for %d s, %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms "
                "(%lld events, achieved %.0f/s, %lld failed)\n",
                kRate, rate_seconds, name, Percentile(paced.latencies_ms, 0.50),
                Percentile(paced.latencies_ms, 0.99), Percentile(paced.latencies_ms, 1.0),
                static_cast<long long>(paced.ok), static_cast<double>(paced.ok) / paced.seconds,
                static_cast<long long>(paced.failed));
    PrintGroupCommits(name, before, rt.webhooks().CommitStats());
    return paced;
  };
  Figures catching_up = paced_phase("applier catching up");
  if (applier) {
    const double drained = WaitUntilApplied(rt.database());
    std::printf("applier: %lld events pending when the flood ended; all applied %.2f s after "
                "the second phase ended\n",
                static_cast<long long>(backlog), drained);
  }
  Figures steady = paced_phase("steady");
  if (applier) {
    std::printf("applier: every event applied %.2f s after the load ended\n",
                WaitUntilApplied(rt.database()));
  }

  server.Stop();
  rt.webhooks().Stop();
  const int64_t stored = StoredEvents(rt.database());
  const int64_t acknowledged = warm_up.ok + full.ok + catching_up.ok + steady.ok;
  std::printf("stored %lld events, acknowledged %lld\n", static_cast<long long>(stored),
              static_cast<long long>(acknowledged));
  const bool consistent =
      stored == acknowledged &&
      warm_up.failed + full.failed + catching_up.failed + steady.failed == 0;
  if (!consistent) std::printf("FAILED: requests failed or the stored count is off\n");
  return consistent ? 0 : 1;
}

}  // namespace
}  // namespace stripeline::bench

int main(int argc, char** argv) { return stripeline::bench::Main(argc, argv); }
