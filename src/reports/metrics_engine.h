#pragma once
// MetricsEngine: the metrics of metrics-and-reconciliation.md over the synced stream tables of
// one or more data scopes (sync::DataScope: a Stripe account in one mode, test or live), per
// currency, over a ReportPeriod: a total, the previous period's
// total and a series by day / week / month.
//
//   - Volume metrics (gross_volume, net_volume, fees, refunds, disputes, successful_payments,
//     failed_payments, new_customers, payouts) are sums and counts of rows whose time falls in
//     a bucket, over the previous period and the period in one query. They read the hourly sums
//     of `report_rollup` (kept by triggers; reports migration 2), which also hold each hour's
//     first 15, 30 and 45 minutes, and C++ gives each hour to the bucket of its start, split at a bucket
//     bound inside it (a zone 30 or 45 minutes off the hour: Asia/Kolkata, Asia/Kathmandu,
//     Australia/Adelaide). A period whose bounds are not on a quarter hour (a zone's local mean
//     time of old) reads the rows themselves through covering indexes, summed per local date in
//     SQL. The total is the sum of the buckets.
//   - Subscription metrics (mrr, arr, active_subscribers, arpu, subscriber_churn_rate,
//     revenue_churn, net_revenue_churn_rate, ltv) are values at an instant: a series point is
//     the value at the end of its bucket, the total the value at `to`, previous_total the value
//     at `from`. They read the subscription facts of `report_subscriptions`, first deriving
//     those of subscriptions changed since the last query (queued by triggers), keep them in
//     memory while the account's generation (report_state) is unchanged, and sweep the
//     subscriptions' segments (subscription_facts.h) over the points.
//
// All amounts are integers in minor units (zero-decimal currencies are whole units already);
// currencies are never mixed; sums are rounded once, at the end. Rates are fractions (0.0909).
// A value that is undefined (a rate over zero) is null.
//
// Every statement is the ReportRepository's; the engine holds the rules.
//
// Thread-safety: thread-safe (the Database is; the facts cache has its own mutex); deriving
// facts runs in a transaction.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "reports/report_repository.h"
#include "reports/subscription_facts.h"
#include "reports/time_range.h"
#include "store/store.h"

namespace stripeline::reports {

enum class MetricUnit { kAmount, kCount, kRate };

struct MetricInfo {
  std::string_view name;         // "gross_volume"
  std::string_view title;        // "Gross volume", for people (dashboards, reports)
  MetricUnit unit;
  bool at_instant;               // a subscription metric (value at an instant) vs a volume
  std::vector<std::string_view> streams;  // the synced streams it reads
  std::string_view definition;   // one sentence, as in the API reference
};

// Every metric, in the order of the definitions file.
const std::vector<MetricInfo>& Metrics();
const MetricInfo* FindMetric(std::string_view name);
// "gross_volume, net_volume, ...".
std::string MetricNames();

// The contested choices, as options.
struct MetricOptions {
  SubscriptionRules subscriptions;
  int churn_window_days = 30;  // subscriber churn, revenue churn, LTV
};

struct SeriesPoint {
  int64_t start_day = 0;  // the bucket's first date (days since 1970-01-01)
  std::optional<double> value;
};

struct CurrencyValues {
  std::string currency;  // empty for metrics that are not per currency (new_customers)
  std::optional<double> total, previous_total;
  std::vector<SeriesPoint> series;
  // payouts only: how many, and the range's total and count per payout status.
  std::optional<int64_t> count;
  std::map<std::string, std::pair<int64_t, int64_t>> by_status;  // status -> (amount, count)
};

struct MetricResult {
  std::string metric;
  ReportPeriod period;
  MetricOptions options;
  std::vector<CurrencyValues> values;  // ordered by currency
  // Why the numbers may be off (empty: exact for the synced data).
  std::vector<std::string> approximate_reasons;
};

class MetricsEngine {
 public:
  // `store` keeps the settings (the subscription rules' version) and makes transactions;
  // `repository` must be over the same Database.
  MetricsEngine(store::Store& store, ReportRepository& repository)
      : store_(store), repository_(repository) {}

  // Computes `metric` over the rows of `scopes` (each an account in one mode; a scope given
  // twice counts once). InvalidArgument for an unknown metric or a bad option.
  Result<MetricResult> Compute(std::string_view metric, const std::vector<sync::DataScope>& scopes,
                               const ReportPeriod& period, const MetricOptions& options = {});

  // Derives the facts of every queued subscription of `scopes` (done by Compute as needed).
  Status RefreshSubscriptionFacts(const std::vector<sync::DataScope>& scopes);

 private:
  Result<MetricResult> Volume(const MetricInfo& info, const std::vector<sync::DataScope>& scopes,
                              const ReportPeriod& period);
  Result<MetricResult> Subscriptions(const MetricInfo& info,
                                     const std::vector<sync::DataScope>& scopes,
                                     const ReportPeriod& period, const MetricOptions& options);
  // One scope's facts, ordered by (currency, customer): a customer's subscriptions are
  // adjacent.
  using Facts = std::shared_ptr<const std::vector<SubscriptionFacts>>;
  // The facts of each scope, from the cache when its generation is unchanged.
  Result<std::vector<Facts>> LoadFacts(const std::vector<sync::DataScope>& scopes);
  Result<std::vector<std::string>> HistoryReasons(const std::vector<sync::DataScope>& scopes,
                                                  int64_t first_point,
                                                  const std::vector<Facts>& facts);

  store::Store& store_;
  ReportRepository& repository_;
  std::mutex cache_mu_;
  std::map<sync::DataScope, std::pair<int64_t, Facts>> cache_;  // scope -> (generation, facts)
};

}  // namespace stripeline::reports
