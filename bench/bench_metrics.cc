// Metric queries over a large synced dataset (issue 6): 1,000,000 charges and 100,000
// subscriptions (plus 1,000,000 balance transactions, 50,000 refunds, 5,000 disputes, 100,000
// customers and a payout a day) of one account, spread over the three years before
// 2026-11-01, written straight into the stream tables by SQL (a sync of that size would take
// the benchmark's whole budget; the rows have the typed columns a sync writes and a short raw
// JSON, the subscriptions a complete one with items, prices and coupons).
//
// Measured, each a median of 5 runs after one warm-up: every widget query for a 12-month daily
// series (2025-11-01 .. 2026-11-01, Europe/Berlin) against the 100 ms target, and an 8-widget
// dashboard against 500 ms; gross_volume's series in zones whose midnights are 30 or 45
// minutes off the hour (Asia/Kolkata, Asia/Kathmandu, Australia/Adelaide), against 100 ms too;
// and the one-off derivation of the 100,000 subscriptions' facts (what the first subscription
// query after a full backfill pays).
//
// Beside the wall time, each line has this process's CPU time and the time its main thread
// waited for a core (run-queue delay, /proc/thread-self/schedstat): on the shared machine the
// wall time is their sum plus any time blocked (I/O), so the three tell where it went.
#include <algorithm>
#include <time.h>

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/allocator.h"
#include "reports/metrics_engine.h"
#include "reports/report_migrations.h"
#include "reports/report_repository.h"
#include "store/open_database.h"
#include "store/store_migrations.h"
#include "store/store.h"
#include "sync/data_scope.h"
#include "sync/sync_migrations.h"

namespace stripeline::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kAccount[] = "acct_bench_metrics";
// The dataset's rows are test-mode rows (livemode 0) of kAccount.
const sync::DataScope kScope{kAccount, false};
constexpr int64_t kStart = 1698796800;  // 2023-11-01 00:00 UTC
constexpr int64_t kSpan = 3 * 365 * 86400;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Check(const Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
    std::exit(1);
  }
}

// Rows 0..n-1 as a recursive CTE; `select` builds a row from `i` (pure SQL, so a million rows
// take seconds). Deterministic: "random" choices are multiplicative hashes of i.
void Generate(store::Database& db, const char* table, const char* columns, int64_t n,
              const std::string& select) {
  const std::string sql = "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                          "WHERE i < " + std::to_string(n - 1) + ") INSERT INTO " + table +
                          " (account_id, id, livemode, created, deleted, version, synced_at, "
                          "raw, " + columns + ") SELECT " + select + " FROM n";
  Check(db.Execute(sql, {}).status(), table);
}

std::string Common(const char* prefix, const std::string& created) {
  return "'" + std::string(kAccount) + "', '" + prefix + "_' || i, 0, " + created +
         ", 0, 1, 1, ";
}

void BuildDataset(store::Database& db) {
  const std::string start = std::to_string(kStart), span = std::to_string(kSpan);
  const std::string spread = start + " + i * " + span + " / 1000000 + (i * 7919) % 60";
  Check(db.Transaction([&]() -> Status {
    Generate(db, "stripe_charges",
             "customer, amount, amount_captured, currency, status, paid, captured", 1000000,
             Common("ch", spread) +
                 "'{\"id\":\"ch_' || i || '\",\"object\":\"charge\",\"amount\":' || "
                 "(500 + (i * 7919) % 20000) || ',\"metadata\":{}}', "
                 "'cus_' || (i % 100000), 500 + (i * 7919) % 20000, "
                 "CASE WHEN i % 20 = 0 THEN 0 ELSE 500 + (i * 7919) % 20000 END, "
                 "CASE WHEN i % 10 = 3 THEN 'eur' ELSE 'usd' END, "
                 "CASE WHEN i % 20 = 0 THEN 'failed' ELSE 'succeeded' END, "
                 "i % 20 <> 0, i % 20 <> 0");
    Generate(db, "stripe_balance_transactions",
             "amount, fee, net, currency, type, reporting_category, source, status", 1000000,
             Common("txn", spread) +
                 "'{\"id\":\"txn_' || i || '\",\"object\":\"balance_transaction\"}', "
                 "CASE WHEN i % 20 = 0 THEN -(i % 500) ELSE 500 + (i * 7919) % 20000 END, "
                 "CASE WHEN i % 20 = 0 THEN 0 ELSE 30 + (500 + (i * 7919) % 20000) * 29 / 1000 "
                 "END, CASE WHEN i % 20 = 0 THEN -(i % 500) ELSE 500 + (i * 7919) % 20000 - "
                 "(30 + (500 + (i * 7919) % 20000) * 29 / 1000) END, "
                 "CASE WHEN i % 10 = 3 THEN 'eur' ELSE 'usd' END, "
                 "CASE WHEN i % 20 = 0 THEN 'stripe_fee' ELSE 'charge' END, "
                 "CASE WHEN i % 20 = 0 THEN 'fee' ELSE 'charge' END, 'ch_' || i, 'available'");
    const std::string rarer = start + " + i * " + span + " / 50000";
    Generate(db, "stripe_refunds", "charge, amount, currency, status", 50000,
             Common("re", rarer) + "'{\"id\":\"re_' || i || '\"}', 'ch_' || (i * 20 + 1), "
                                   "100 + i % 900, 'usd', CASE WHEN i % 50 = 0 THEN 'failed' "
                                   "ELSE 'succeeded' END");
    Generate(db, "stripe_disputes", "charge, amount, currency, status", 5000,
             Common("dp", start + " + i * " + span + " / 5000") +
                 "'{\"id\":\"dp_' || i || '\"}', 'ch_' || (i * 200 + 7), 1000 + i % 5000, "
                 "'usd', 'needs_response'");
    Generate(db, "stripe_customers", "email, currency", 100000,
             Common("cus", start + " + i * " + span + " / 100000") +
                 "'{\"id\":\"cus_' || i || '\"}', 'c' || i || '@example.com', 'usd'");
    Generate(db, "stripe_payouts", "amount, currency, status, arrival_date, automatic", 1095,
             Common("po", start + " + i * 86400") +
                 "'{\"id\":\"po_' || i || '\"}', 100000 + i, 'usd', "
                 "CASE WHEN i % 100 = 0 THEN 'failed' ELSE 'paid' END, " + start +
                 " + (i + 2) * 86400, 1");
    // Subscriptions: a tenth canceled after 1-24 months, some trialing, past_due, annual and
    // weekly plans, quantities 1-3, a 20 % forever coupon on a tenth, a tenth in EUR.
    const std::string sub_start = start + " + i * " + span + " / 100000";
    const std::string interval =
        "CASE WHEN i % 4 = 0 THEN 'year' WHEN i % 13 = 0 THEN 'week' ELSE 'month' END";
    const std::string amount = "(1000 + (i % 50) * 100) * CASE WHEN i % 4 = 0 THEN 10 ELSE 1 END";
    const std::string ended = "CASE WHEN i % 10 = 0 THEN " + sub_start +
                              " + (1 + i % 24) * 2592000 END";
    Generate(
        db, "stripe_subscriptions",
        "customer, status, currency, start_date, canceled_at, ended_at, trial_start, trial_end",
        100000,
        Common("sub", sub_start) +
            "json_object('id', 'sub_' || i, 'object', 'subscription', 'customer', 'cus_' || "
            "(i % 90000), 'status', CASE WHEN i % 10 = 0 THEN 'canceled' WHEN i % 17 = 2 THEN "
            "'past_due' ELSE 'active' END, 'currency', CASE WHEN i % 10 = 5 THEN 'eur' ELSE "
            "'usd' END, 'start_date', " + sub_start + ", 'ended_at', " + ended +
            ", 'canceled_at', " + ended + ", 'trial_start', CASE WHEN i % 25 = 1 THEN " +
            sub_start + " END, 'trial_end', CASE WHEN i % 25 = 1 THEN " + sub_start +
            " + 1209600 END, 'discount', CASE WHEN i % 10 = 7 THEN json_object('object', "
            "'discount', 'start', " + sub_start + ", 'end', NULL, 'coupon', json_object('id', "
            "'co_20', 'duration', 'forever', 'percent_off', 20.0)) END, 'items', "
            "json_object('object', 'list', 'data', json_array(json_object('id', 'si_' || i, "
            "'quantity', 1 + i % 3, 'price', json_object('id', 'price_' || (i % 50), "
            "'unit_amount', " + amount + ", 'currency', 'usd', 'recurring', json_object("
            "'interval', " + interval + ", 'interval_count', 1, 'usage_type', 'licensed')))))), "
            "'cus_' || (i % 90000), CASE WHEN i % 10 = 0 THEN 'canceled' WHEN i % 17 = 2 THEN "
            "'past_due' ELSE 'active' END, CASE WHEN i % 10 = 5 THEN 'eur' ELSE 'usd' END, " +
            sub_start + ", " + ended + ", " + ended + ", CASE WHEN i % 25 = 1 THEN " +
            sub_start + " END, CASE WHEN i % 25 = 1 THEN " + sub_start + " + 1209600 END");
    return Status::OK();
  }), "dataset");
  Check(db.ExecuteScript("ANALYZE;"), "analyze");
}

// This process's CPU time in ms: on a shared machine the wall time also counts other people's
// work, so both are printed.
double CpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// How long this thread has waited for a core, in ms (the second field of schedstat, in ns);
// 0 where the kernel does not tell.
double RunQueueWaitMs() {
  std::FILE* f = std::fopen("/proc/thread-self/schedstat", "r");
  if (f == nullptr) return 0;
  unsigned long long running = 0, waiting = 0;
  const int read = std::fscanf(f, "%llu %llu", &running, &waiting);
  std::fclose(f);
  return read == 2 ? static_cast<double>(waiting) / 1e6 : 0;
}

struct Timing {
  double median = 0, max = 0, cpu_median = 0, wait_median = 0;
  // The slowest call's CPU and run-queue wait: what its wall time was made of.
  double cpu_of_max = 0, wait_of_max = 0;
};

// Median and max wall time, median CPU time and run-queue wait, of `runs` calls after one
// warm-up.
Timing Time(const std::function<void()>& call, int runs = 5) {
  call();
  struct Run {
    double wall, cpu, wait;
  };
  std::vector<Run> all;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = Clock::now();
    const double c0 = CpuMs(), w0 = RunQueueWaitMs();
    call();
    all.push_back({Ms(Clock::now() - t0), CpuMs() - c0, RunQueueWaitMs() - w0});
  }
  auto median = [&](double Run::*field) {
    std::vector<double> v;
    for (const Run& run : all) v.push_back(run.*field);
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const Run& slowest = *std::max_element(
      all.begin(), all.end(), [](const Run& a, const Run& b) { return a.wall < b.wall; });
  return {median(&Run::wall), slowest.wall,  median(&Run::cpu), median(&Run::wait),
          slowest.cpu,        slowest.wait};
}

void PrintTiming(const std::string& name, const Timing& t, double target) {
  std::printf("  %-24s %6.1f ms %6.1f ms %6.1f ms %6.1f ms   %6.1f /%6.1f ms %s\n", name.c_str(),
              t.median, t.max, t.cpu_median, t.wait_median, t.cpu_of_max, t.wait_of_max,
              t.max <= target ? "" : "OVER TARGET");
}

void PrintHeader() {
  std::printf("  %-24s %9s %9s %9s %9s   %s\n", "", "median", "max", "cpu", "waited",
              "slowest: cpu / waited");
}

// The split hours must give exactly what the rows give: Kolkata's usd gross volume per day
// (5:30 ahead all year) summed from the charges themselves.
void CheckKolkataAgainstTheRows(store::Database& db, reports::MetricsEngine& engine) {
  auto period = reports::MakePeriod("2025-11-01", "2026-11-01", "day", "Asia/Kolkata");
  Check(period.status(), "period");
  auto result = engine.Compute("gross_volume", {kScope}, *period);
  Check(result.status(), "Asia/Kolkata");
  auto rows = db.Query("SELECT (created + 19800) / 86400, SUM(amount_captured) FROM "
                       "stripe_charges WHERE account_id = $1 AND livemode = 0 AND created >= $2 AND created < $3 "
                       "AND deleted = 0 AND status = 'succeeded' AND currency = 'usd' GROUP BY 1",
                       {std::string(kAccount), period->from, period->to});
  Check(rows.status(), "rows");
  std::map<int64_t, double> by_day;
  for (const store::Row& row : *rows) by_day[row.GetInt(0)] = static_cast<double>(row.GetInt(1));
  for (const reports::CurrencyValues& v : result->values) {
    if (v.currency != "usd") continue;
    for (const reports::SeriesPoint& p : v.series) {
      if (p.value.value_or(-1) != by_day[p.start_day]) {
        std::fprintf(stderr, "Asia/Kolkata %s: %.0f from the rollup, %.0f from the rows\n",
                     reports::FormatIsoDate(p.start_day).c_str(), p.value.value_or(-1),
                     by_day[p.start_day]);
        std::exit(1);
      }
    }
    std::printf("Asia/Kolkata's 365 days of usd gross volume equal the sums of the rows.\n");
    return;
  }
  std::fprintf(stderr, "Asia/Kolkata: no usd values\n");
  std::exit(1);
}

int Run() {
  // STRIPELINE_BENCH_METRICS_DB=FILE keeps the dataset in FILE (built when absent), to
  // experiment with queries; by default it lives in a temporary directory.
  const char* keep = std::getenv("STRIPELINE_BENCH_METRICS_DB");
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("stripeline_bench_metrics_" +
                                                std::to_string(std::random_device{}()));
  const std::filesystem::path file = keep != nullptr ? keep : dir / "stripeline.db";
  const bool build = !std::filesystem::exists(file);
  if (keep == nullptr) std::filesystem::create_directories(dir);
  int over_target = 0;
  {
    const auto opened_at = Clock::now();
    auto opened = store::OpenDatabase("sqlite:" + file.string(),
                                      {&store::StoreSchema(), &sync::SyncSchema(),
                                       &reports::ReportSchema()});
    Check(opened.status(), "open store");
    std::unique_ptr<store::Database> database = std::move(opened).value();
    store::Database& db = *database;
    auto store = std::make_unique<store::Store>(db);

    std::printf("opening the store (migrations to apply included): %.1f s\n",
                Ms(Clock::now() - opened_at) / 1000);
    auto t0 = Clock::now();
    if (build) {
      BuildDataset(db);
      std::printf("dataset: 1,000,000 charges, 1,000,000 balance transactions, 100,000 "
                  "subscriptions, ... written in %.1f s\n", Ms(Clock::now() - t0) / 1000);
    }

    reports::ReportRepository repository(db);
    reports::MetricsEngine engine(*store, repository);
    const std::vector<sync::DataScope> accounts{kScope};
    t0 = Clock::now();
    Check(engine.RefreshSubscriptionFacts(accounts), "derive facts");
    std::printf("deriving the 100,000 subscriptions' facts (once after they all changed): "
                "%.0f ms\n", Ms(Clock::now() - t0));

    auto period = reports::MakePeriod("2025-11-01", "2026-11-01", "day", "Europe/Berlin");
    Check(period.status(), "period");
    auto compute = [&](std::string_view metric) {
      auto result = engine.Compute(metric, accounts, *period);
      Check(result.status(), std::string(metric).c_str());
      if (result->values.empty() || result->values[0].series.size() != 365) {
        std::fprintf(stderr, "%s: unexpected answer\n", std::string(metric).c_str());
        std::exit(1);
      }
    };
    std::printf("\n12-month daily series (365 points), Europe/Berlin, target <= 100 ms:\n");
    PrintHeader();
    for (const reports::MetricInfo& m : reports::Metrics()) {
      Timing t = Time([&] { compute(m.name); });
      over_target += t.max <= 100 ? 0 : 1;
      PrintTiming(std::string(m.name), t, 100);
    }

    const std::vector<std::string_view> dashboard{
        "gross_volume", "net_volume",         "fees",
        "successful_payments", "new_customers", "mrr",
        "active_subscribers",  "subscriber_churn_rate"};
    Timing t = Time([&] {
      for (std::string_view metric : dashboard) compute(metric);
    });
    over_target += t.max <= 500 ? 0 : 1;
    std::printf("\n8-widget dashboard (gross_volume, net_volume, fees, successful_payments, "
                "new_customers, mrr, active_subscribers, subscriber_churn_rate), one after "
                "another, target <= 500 ms:\n");
    PrintHeader();
    PrintTiming("dashboard", t, 500);

    // Midnights 30 or 45 minutes off the hour: the rollup's hours are split at each bound by
    // their quarter-hour sums.
    std::printf("\ngross_volume's 12-month daily series in zones off the hour, target <= 100 "
                "ms:\n");
    PrintHeader();
    for (const char* zone : {"Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide"}) {
      auto period = reports::MakePeriod("2025-11-01", "2026-11-01", "day", zone);
      Check(period.status(), "period");
      Timing t = Time([&] {
        auto result = engine.Compute("gross_volume", accounts, *period);
        Check(result.status(), zone);
        if (result->values.empty() || result->values[0].series.size() != 365) {
          std::fprintf(stderr, "%s: unexpected answer\n", zone);
          std::exit(1);
        }
      });
      over_target += t.max <= 100 ? 0 : 1;
      PrintTiming(zone, t, 100);
    }
    CheckKolkataAgainstTheRows(db, engine);
  }
  if (keep == nullptr) std::filesystem::remove_all(dir);
  // A target missed is a figure to read, not a failure: on a shared machine a maximum includes
  // waiting for a core (the "waited" column). Wrong numbers exit(1) above.
  if (over_target > 0) std::printf("\n%d timing(s) over target (see OVER TARGET above)\n", over_target);
  return 0;
}

}  // namespace
}  // namespace stripeline::bench

int main() {
  stripeline::KeepFreedMemoryForReuse();  // as `stripeline serve` does
  return stripeline::bench::Run();
}
