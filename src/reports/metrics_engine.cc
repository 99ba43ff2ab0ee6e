#include "reports/metrics_engine.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

namespace stripeline::reports {

namespace json = boost::json;

namespace {

using enum MetricUnit;

// Where a volume metric's rows are, which count, and what is summed: over the stream table's
// rows `t` (through its covering index), and over the hourly sums of `report_rollup` rows `r`
// (kind = the rows' status, or reporting_category for balance transactions). SQL is fixed text
// chosen by metric name, never built from input.
struct VolumeSql {
  std::string_view stream, time_column, filter, value, rollup_filter, rollup_value;
  bool per_currency = true;
};

const std::map<std::string_view, VolumeSql>& VolumeQueries() {
  static const std::map<std::string_view, VolumeSql> kQueries = {
      {"gross_volume",
       {"charges", "created", "t.status = 'succeeded'", "SUM(t.amount_captured)",
        "r.kind = 'succeeded'", "SUM(r.amount)"}},
      {"successful_payments",
       {"charges", "created", "t.status = 'succeeded'", "COUNT(*)", "r.kind = 'succeeded'",
        "SUM(r.n)"}},
      {"failed_payments",
       {"charges", "created", "t.status = 'failed'", "COUNT(*)", "r.kind = 'failed'",
        "SUM(r.n)"}},
      {"refunds",
       {"refunds", "created", "(t.status IS NULL OR t.status NOT IN ('failed', 'canceled'))",
        "SUM(t.amount)", "r.kind NOT IN ('failed', 'canceled')", "SUM(r.amount)"}},
      {"disputes", {"disputes", "created", "1 = 1", "SUM(t.amount)", "1 = 1", "SUM(r.amount)"}},
      {"fees",
       {"balance_transactions", "created", "1 = 1",
        "SUM(COALESCE(t.fee, 0) + CASE WHEN t.reporting_category IN ('fee', 'tax') "
        "THEN ABS(COALESCE(t.net, 0)) ELSE 0 END)",
        "1 = 1", "SUM(r.fee + CASE WHEN r.kind IN ('fee', 'tax') THEN r.abs_net ELSE 0 END)"}},
      {"net_volume",
       {"balance_transactions", "created",
        "t.reporting_category IN ('charge', 'refund', 'partial_capture_reversal', 'dispute', "
        "'dispute_reversal', 'fee', 'tax')",
        "SUM(t.net)",
        "r.kind IN ('charge', 'refund', 'partial_capture_reversal', 'dispute', "
        "'dispute_reversal', 'fee', 'tax')",
        "SUM(r.net)"}},
      {"new_customers",
       {"customers", "created", "1 = 1", "COUNT(*)", "1 = 1", "SUM(r.n)", false}},
      {"payouts",
       {"payouts", "arrival_date", "t.status NOT IN ('failed', 'canceled')", "SUM(t.amount)",
        "r.kind NOT IN ('failed', 'canceled')", "SUM(r.amount)"}},
  };
  return kQueries;
}

// The rollup sums whole UTC hours: it answers a period whose bounds all fall on the hour (every
// zone but those 30 or 45 minutes off, e.g. Asia/Kolkata, which read the rows themselves).
constexpr int64_t kSlot = 3600;

// Whether every bound of the period is a multiple of `step` seconds.
bool Aligned(const ReportPeriod& period, int64_t step) {
  if (period.previous_from % step != 0 || period.to % step != 0) return false;
  for (const Bucket& b : period.buckets) {
    if (b.start % step != 0) return false;
  }
  return true;
}

bool OnTheHour(const ReportPeriod& period) { return Aligned(period, kSlot); }

std::string Placeholders(size_t first, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    out += (i == 0 ? "$" : ", $") + std::to_string(first + i);
  }
  return out;
}

std::vector<store::Value> AccountParams(const std::vector<std::string>& accounts) {
  std::vector<store::Value> params;
  for (const std::string& a : accounts) params.emplace_back(a);
  return params;
}

// Index of the first time >= t.
size_t FirstAtOrAfter(const std::vector<int64_t>& times, int64_t t) {
  return std::lower_bound(times.begin(), times.end(), t) - times.begin();
}

// Adds `v` to the points times[k] with a <= times[k] < b.
void AddOver(std::vector<double>& diff, const std::vector<int64_t>& times, int64_t a, int64_t b,
             double v) {
  size_t k0 = FirstAtOrAfter(times, a), k1 = FirstAtOrAfter(times, b);
  if (k0 >= k1) return;
  diff[k0] += v;
  diff[k1] -= v;
}

std::vector<double> Accumulate(std::vector<double> diff) {
  double running = 0;
  for (double& d : diff) {
    running += d;
    d = running;
  }
  return diff;
}

// Merges [a, b) intervals (sorted by start is not required).
std::vector<std::pair<int64_t, int64_t>> Merge(std::vector<std::pair<int64_t, int64_t>> in) {
  std::sort(in.begin(), in.end());
  std::vector<std::pair<int64_t, int64_t>> out;
  for (auto [a, b] : in) {
    if (!out.empty() && a <= out.back().second) {
      out.back().second = std::max(out.back().second, b);
    } else {
      out.emplace_back(a, b);
    }
  }
  return out;
}

int64_t SaturatingAdd(int64_t a, int64_t b) { return a > kForever - b ? kForever : a + b; }

constexpr double kEpsilon = 1e-9;

// One customer's subscriptions in one currency.
struct CustomerSegments {
  std::string currency;
  std::vector<Segment> segments;

  double ValueAt(int64_t t) const {
    double v = 0;
    for (const Segment& s : segments) {
      if (s.start <= t && t < s.end) v += s.value;
    }
    return v;
  }
  bool PositiveBefore(int64_t t) const {
    for (const Segment& s : segments) {
      if (s.start < t && s.value > kEpsilon) return true;
    }
    return false;
  }
};

SubscriptionFacts FactsFromRow(const store::Row& r) {
  SubscriptionFacts f;
  f.account_id = r.GetString(0);
  f.id = r.GetString(1);
  f.customer = r.GetString(2);
  f.currency = r.GetString(3);
  f.status = r.GetString(4);
  f.start = r.GetInt(5);
  f.end = r.GetOptionalInt(6);
  f.trial_start = r.GetOptionalInt(7);
  f.trial_end = r.GetOptionalInt(8);
  f.monthly = r.GetDouble(9);
  f.interval_months = r.GetDouble(10);
  if (!r.IsNull(11)) f.discount_percent_off = r.GetDouble(11);
  f.discount_amount_off = r.GetOptionalInt(12);
  f.discount_currency = r.GetOptionalString(13);
  f.discount_start = r.GetOptionalInt(14);
  f.discount_end = r.GetOptionalInt(15);
  f.discount_unknown = r.GetBool(16);
  return f;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

const std::vector<MetricInfo>& Metrics() {
  static const std::vector<MetricInfo> kMetrics = {
      {"gross_volume", "Gross volume", kAmount, false, {"charges"},
       "Sum of amount_captured of succeeded charges created in the period."},
      {"net_volume", "Net volume", kAmount, false, {"balance_transactions"},
       "Sum of balance transaction net for reporting categories charge, refund, "
       "partial_capture_reversal, dispute, dispute_reversal, fee and tax, created in the period "
       "(settlement currency)."},
      {"fees", "Fees", kAmount, false, {"balance_transactions"},
       "Sum of balance transaction fee created in the period, plus the absolute net of rows "
       "whose reporting_category is fee or tax."},
      {"refunds", "Refunds", kAmount, false, {"refunds"},
       "Sum of amount of refunds (not failed or canceled) created in the period."},
      {"disputes", "Disputes", kAmount, false, {"disputes"},
       "Sum of amount of disputes created in the period."},
      {"successful_payments", "Successful payments", kCount, false, {"charges"},
       "Number of succeeded charges created in the period."},
      {"failed_payments", "Failed payments", kCount, false, {"charges"},
       "Number of failed charges created in the period."},
      {"new_customers", "New customers", kCount, false, {"customers"},
       "Number of customers created in the period (not per currency)."},
      {"payouts", "Payouts", kAmount, false, {"payouts"},
       "Sum of amount of payouts (not failed or canceled) whose arrival_date is in the period; "
       "with their count and a breakdown by status."},
      {"mrr", "MRR", kAmount, true, {"subscriptions"},
       "Monthly recurring revenue at an instant: active and past_due subscriptions' licensed "
       "items, unit_amount × quantity normalised to a month, minus recurring discounts."},
      {"arr", "ARR", kAmount, true, {"subscriptions"}, "12 × MRR."},
      {"active_subscribers", "Active subscribers", kCount, true, {"subscriptions"},
       "Distinct customers with MRR > 0 at an instant."},
      {"arpu", "ARPU", kAmount, true, {"subscriptions"}, "MRR ÷ active subscribers."},
      {"subscriber_churn_rate", "Subscriber churn rate", kRate, true, {"subscriptions"},
       "Customers churned in the churn window ending at an instant ÷ (active at the window's "
       "start + new in the window)."},
      {"revenue_churn", "Revenue churn", kAmount, true, {"subscriptions"},
       "Churned MRR + contraction MRR in the churn window ending at an instant."},
      {"net_revenue_churn_rate", "Net revenue churn rate", kRate, true, {"subscriptions"},
       "(churned + contraction − expansion − reactivation MRR in the churn window) ÷ MRR at the "
       "window's start."},
      {"ltv", "LTV", kAmount, true, {"subscriptions"},
       "ARPU ÷ subscriber churn rate; undefined (null) when the churn rate is 0."},
  };
  return kMetrics;
}

const MetricInfo* FindMetric(std::string_view name) {
  for (const MetricInfo& m : Metrics()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::string MetricNames() {
  std::string out;
  for (const MetricInfo& m : Metrics()) out += (out.empty() ? "" : ", ") + std::string(m.name);
  return out;
}

Result<MetricResult> MetricsEngine::Compute(std::string_view metric,
                                            const std::vector<std::string>& accounts,
                                            const ReportPeriod& period,
                                            const MetricOptions& options) {
  const MetricInfo* info = FindMetric(metric);
  if (info == nullptr) {
    return Status::NotFound("Unknown metric '" + std::string(metric) + "'; metrics: " +
                                MetricNames(),
                            "unknown_metric");
  }
  if (options.churn_window_days < 1 || options.churn_window_days > 365) {
    return Status::InvalidArgument("churn_window_days must be from 1 to 365.", "invalid_field");
  }
  if (accounts.empty()) {
    MetricResult empty{.metric = std::string(metric), .period = period, .options = options};
    empty.approximate_reasons.push_back("No synced Stripe account: nothing to count yet.");
    return empty;
  }
  SL_ASSIGN_OR_RETURN(MetricResult result,
                      info->at_instant ? Subscriptions(*info, accounts, period, options)
                                       : Volume(*info, accounts, period));
  result.options = options;
  return result;
}

Result<MetricResult> MetricsEngine::Volume(const MetricInfo& info,
                                           const std::vector<std::string>& accounts,
                                           const ReportPeriod& period) {
  const VolumeSql& q = VolumeQueries().at(info.name);
  // The rows are summed per local date in SQL: the date of an instant is (t + the zone's offset
  // at t) / 86400, the offset taken from the zone's spans over the period (a CASE of a few
  // branches, one per DST change). The rollup's hours stay whole in a zone whose offsets are
  // whole hours; others read the rows. (A join with the bucket bounds would read less, but
  // SQLite's planner then drops the range and scans the whole account once per bucket.)
  const bool rollup = OnTheHour(period);
  const std::string accounts_in = "account_id IN (" + Placeholders(1, accounts.size()) + ")";
  std::vector<store::Value> params = AccountParams(accounts);
  auto param = [&](int64_t v) {
    params.emplace_back(v);
    return "$" + std::to_string(params.size());
  };
  const std::string lo = param(rollup ? period.previous_from / kSlot : period.previous_from);
  const std::string hi = param(rollup ? period.to / kSlot : period.to);
  const std::string instant = rollup ? "r.slot * 3600" : "t." + std::string(q.time_column);
  std::string offset = "CASE";
  for (const OffsetSpan& span : Offsets(period.tz, period.previous_from, period.to)) {
    offset += " WHEN " + instant + " < " + param(span.end) + " THEN " + param(span.offset);
  }
  offset += " ELSE 0 END";
  const std::string local_day = "(" + instant + " + " + offset + ") / 86400";
  std::string rows_sql, statuses_sql;
  if (rollup) {
    const std::string where = " FROM report_rollup r WHERE r." + accounts_in +
                              " AND r.stream = '" + std::string(q.stream) + "' AND r.slot >= " +
                              lo + " AND r.slot < " + hi + " AND r.n > 0";
    rows_sql = "SELECT " + local_day + ", r.currency, " + std::string(q.rollup_value) +
               ", SUM(r.n)" + where + " AND " + std::string(q.rollup_filter) +
               " GROUP BY 1, r.currency";
    statuses_sql = "SELECT r.currency, r.kind, SUM(r.amount), SUM(r.n)" + where +
                   " GROUP BY r.currency, r.kind";
  } else {
    const std::string time = "t." + std::string(q.time_column);
    const std::string where = " FROM stripe_" + std::string(q.stream) + " t WHERE t." +
                              accounts_in + " AND " + time + " >= " + lo + " AND " + time +
                              " < " + hi + " AND t.deleted = 0";
    rows_sql = "SELECT " + local_day + ", t.currency, " + std::string(q.value) + ", COUNT(*)" +
               where + " AND " + std::string(q.filter) + " GROUP BY 1, t.currency";
    statuses_sql = "SELECT t.currency, t.status, SUM(t.amount), COUNT(*)" + where +
                   " GROUP BY t.currency, t.status";
  }
  SL_ASSIGN_OR_RETURN(store::Rows rows, db_.Query(rows_sql, params));

  // Dates: bounds[0] starts the previous period, bounds[k] bucket k-1; the last is `to`.
  std::vector<int64_t> bounds{period.from_day - (period.to_day - period.from_day)};
  for (const Bucket& bucket : period.buckets) bounds.push_back(bucket.start_day);
  bounds.push_back(period.to_day);

  MetricResult result{.metric = std::string(info.name), .period = period};
  std::map<std::string, CurrencyValues> by_currency;
  auto entry = [&](const std::string& c) -> CurrencyValues& {
    auto [it, inserted] = by_currency.try_emplace(q.per_currency ? c : "");
    if (inserted) {
      it->second.currency = q.per_currency ? c : "";
      it->second.total = 0;
      it->second.previous_total = 0;
      for (const Bucket& b : period.buckets) it->second.series.push_back({b.start_day, 0.0});
      if (info.name == "payouts") it->second.count = 0;
    }
    return it->second;
  };
  if (!q.per_currency) entry("");
  for (const store::Row& row : rows) {
    const int64_t day = row.GetInt(0);
    const size_t k = std::upper_bound(bounds.begin(), bounds.end(), day) - bounds.begin();
    if (k == 0 || k >= bounds.size()) continue;  // outside (cannot happen: the query's range)
    CurrencyValues& v = entry(row.GetString(1));
    const double value = static_cast<double>(row.GetInt(2));
    if (k == 1) {
      *v.previous_total += value;
      continue;
    }
    *v.series[k - 2].value += value;
    *v.total += value;
    if (v.count) *v.count += row.GetInt(3);
  }
  if (info.name == "payouts") {
    // The period itself: the accounts, then lo (from) and hi (to).
    std::vector<store::Value> range(params.begin(), params.begin() + accounts.size() + 2);
    range[accounts.size()] = rollup ? period.from / kSlot : period.from;
    SL_ASSIGN_OR_RETURN(store::Rows statuses, db_.Query(statuses_sql, range));
    for (const store::Row& row : statuses) {
      entry(row.GetString(0)).by_status[row.GetString(1)] = {row.GetInt(2), row.GetInt(3)};
    }
  }
  for (auto& [c, v] : by_currency) result.values.push_back(std::move(v));
  return result;
}

Status MetricsEngine::RefreshSubscriptionFacts(const std::vector<std::string>& accounts) {
  // Facts derived by older rules are derived again.
  SL_ASSIGN_OR_RETURN(std::optional<std::string> rules,
                      store_.GetSetting("reports.subscription_rules_version"));
  const std::string current = std::to_string(kSubscriptionRulesVersion);
  if (rules != current) {
    SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
      SL_RETURN_IF_ERROR(db_.Execute("INSERT INTO report_subscription_queue (account_id, id) "
                                     "SELECT account_id, id FROM stripe_subscriptions WHERE 1 = 1 "
                                     "ON CONFLICT DO NOTHING",
                                     {})
                             .status());
      return store_.PutSetting("reports.subscription_rules_version", current);
    }));
  }
  const std::string in = " IN (" + Placeholders(1, accounts.size()) + ")";
  const std::vector<store::Value> params = AccountParams(accounts);
  // In one transaction, so a subscription queued again meanwhile is not lost with the queue.
  return store_.InTransaction([&]() -> Status {
    SL_ASSIGN_OR_RETURN(
        store::Rows queued,
        db_.Query("SELECT q.account_id, q.id, s.raw, s.deleted FROM report_subscription_queue q "
                  "LEFT JOIN stripe_subscriptions s ON s.account_id = q.account_id AND "
                  "s.id = q.id WHERE q.account_id" + in,
                  params));
    if (queued.empty()) return Status::OK();
    for (const store::Row& row : queued) {
      const std::string account = row.GetString(0), id = row.GetString(1);
      boost::system::error_code ec;
      json::value raw;
      if (!row.IsNull(2) && !row.GetBool(3)) raw = json::parse(row.GetString(2), ec);
      if (row.IsNull(2) || row.GetBool(3) || ec || !raw.is_object()) {
        SL_RETURN_IF_ERROR(
            db_.Execute("DELETE FROM report_subscriptions WHERE account_id = $1 AND id = $2",
                        {account, id})
                .status());
        continue;
      }
      SubscriptionFacts f = FactsFromJson(account, raw.get_object());
      auto opt_int = [](const std::optional<int64_t>& v) { return store::OptionalValue(v); };
      SL_RETURN_IF_ERROR(
          db_.Execute(
                 "INSERT INTO report_subscriptions (account_id, id, customer, currency, status, "
                 "start_at, end_at, trial_start, trial_end, monthly, interval_months, "
                 "discount_percent_off, discount_amount_off, discount_currency, discount_start, "
                 "discount_end, discount_unknown, rules_version) VALUES ($1, $2, $3, $4, $5, $6, "
                 "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT "
                 "(account_id, id) DO UPDATE SET customer = excluded.customer, currency = "
                 "excluded.currency, status = excluded.status, start_at = excluded.start_at, "
                 "end_at = excluded.end_at, trial_start = excluded.trial_start, trial_end = "
                 "excluded.trial_end, monthly = excluded.monthly, interval_months = "
                 "excluded.interval_months, discount_percent_off = "
                 "excluded.discount_percent_off, discount_amount_off = "
                 "excluded.discount_amount_off, discount_currency = excluded.discount_currency, "
                 "discount_start = excluded.discount_start, discount_end = "
                 "excluded.discount_end, discount_unknown = excluded.discount_unknown, "
                 "rules_version = excluded.rules_version",
                 {f.account_id, f.id, f.customer, f.currency, f.status, f.start, opt_int(f.end),
                  opt_int(f.trial_start), opt_int(f.trial_end), f.monthly, f.interval_months,
                  f.discount_percent_off ? store::Value(*f.discount_percent_off)
                                         : store::Value(std::monostate{}),
                  opt_int(f.discount_amount_off), store::OptionalValue(f.discount_currency),
                  opt_int(f.discount_start), opt_int(f.discount_end),
                  int64_t{f.discount_unknown ? 1 : 0}, kSubscriptionRulesVersion})
              .status());
    }
    std::set<std::string> changed;
    for (const store::Row& row : queued) changed.insert(row.GetString(0));
    for (const std::string& account : changed) {
      SL_RETURN_IF_ERROR(db_.Execute("INSERT INTO report_state (account_id, generation) VALUES "
                                     "($1, 1) ON CONFLICT (account_id) DO UPDATE SET "
                                     "generation = report_state.generation + 1",
                                     {account})
                             .status());
    }
    return db_.Execute("DELETE FROM report_subscription_queue WHERE account_id" + in, params)
        .status();
  });
}

Result<std::vector<std::string>> MetricsEngine::HistoryReasons(
    const std::vector<std::string>& accounts, int64_t first_point,
    const std::vector<Facts>& facts) {
  std::vector<std::string> reasons;
  size_t never = 0, unknown_discount = 0, total = 0;
  int64_t oldest_start = kForever;
  for (const Facts& account : facts) {
    total += account->size();
    for (const SubscriptionFacts& f : *account) {
      if (f.status == "unpaid" || f.status == "paused") ++never;
      if (f.discount_unknown) ++unknown_discount;
      oldest_start = std::min(oldest_start, f.start);
    }
  }
  if (never > 0) {
    reasons.push_back(Plural(never, "subscription is", "subscriptions are") +
                      " unpaid or paused: when they stopped counting is unknown, so they are "
                      "left out of every point.");
  }
  if (unknown_discount > 0) {
    reasons.push_back(Plural(unknown_discount, "subscription names", "subscriptions name") +
                      " a discount by id only: its effect is not subtracted.");
  }
  if (total == 0) return reasons;
  const size_t n = accounts.size();
  std::vector<store::Value> p = AccountParams(accounts);
  p.emplace_back(first_point);
  SL_ASSIGN_OR_RETURN(
      store::Rows rows,
      db_.Query("SELECT (SELECT COUNT(*) FROM stripe_events WHERE account_id IN (" +
                    Placeholders(1, n) + ") AND type = 'customer.subscription.updated' AND "
                    "created >= $" + std::to_string(n + 1) +
                    "), (SELECT MIN(created) FROM stripe_events WHERE account_id IN (" +
                    Placeholders(1, n) + "))",
                p));
  const int64_t updates = rows.empty() ? 0 : rows[0].GetInt(0);
  const std::optional<int64_t> oldest_event =
      rows.empty() ? std::nullopt : rows[0].GetOptionalInt(1);
  if (updates > 0) {
    reasons.push_back(Plural(static_cast<size_t>(updates), "subscription change",
                             "subscription changes") +
                      " (customer.subscription.updated) fall in the series and are not "
                      "replayed: every point uses each subscription's current items and prices.");
  }
  const int64_t history_from = oldest_event.value_or(kForever);
  if (first_point < history_from && oldest_start < history_from) {
    reasons.push_back(
        oldest_event
            ? "Subscription changes before the oldest synced event are unknown: points before "
              "it use each subscription's current items and prices."
            : "No subscription events are synced: past points use each subscription's current "
              "items and prices.");
  }
  return reasons;
}

Result<std::vector<MetricsEngine::Facts>> MetricsEngine::LoadFacts(
    const std::vector<std::string>& accounts) {
  SL_RETURN_IF_ERROR(RefreshSubscriptionFacts(accounts));
  SL_ASSIGN_OR_RETURN(store::Rows generations,
                      db_.Query("SELECT account_id, generation FROM report_state WHERE "
                                "account_id IN (" + Placeholders(1, accounts.size()) + ")",
                                AccountParams(accounts)));
  std::map<std::string, int64_t> current;
  for (const store::Row& r : generations) current[r.GetString(0)] = r.GetInt(1);
  std::vector<Facts> out;
  for (const std::string& account : accounts) {
    const int64_t generation = current.count(account) ? current[account] : 0;
    {
      std::lock_guard lock(cache_mu_);
      auto it = cache_.find(account);
      if (it != cache_.end() && it->second.first == generation) {
        out.push_back(it->second.second);
        continue;
      }
    }
    SL_ASSIGN_OR_RETURN(
        store::Rows rows,
        db_.Query("SELECT account_id, id, customer, currency, status, start_at, end_at, "
                  "trial_start, trial_end, monthly, interval_months, discount_percent_off, "
                  "discount_amount_off, discount_currency, discount_start, discount_end, "
                  "discount_unknown FROM report_subscriptions WHERE account_id = $1",
                  {account}));
    auto facts = std::make_shared<std::vector<SubscriptionFacts>>();
    facts->reserve(rows.size());
    for (const store::Row& r : rows) facts->push_back(FactsFromRow(r));
    std::sort(facts->begin(), facts->end(), [](const auto& a, const auto& b) {
      return std::tie(a.currency, a.customer, a.id) < std::tie(b.currency, b.customer, b.id);
    });
    std::lock_guard lock(cache_mu_);
    cache_[account] = {generation, facts};
    out.push_back(std::move(facts));
  }
  return out;
}

Result<MetricResult> MetricsEngine::Subscriptions(const MetricInfo& info,
                                                  const std::vector<std::string>& accounts,
                                                  const ReportPeriod& period,
                                                  const MetricOptions& options) {
  SL_ASSIGN_OR_RETURN(std::vector<Facts> facts, LoadFacts(accounts));
  const std::string_view name = info.name;
  // Only what the metric needs is swept.
  const bool revenue = name == "revenue_churn" || name == "net_revenue_churn_rate";
  const bool churn = name == "subscriber_churn_rate" || name == "ltv";
  const bool per_customer = revenue || churn || name == "active_subscribers" || name == "arpu";

  // The instants asked for: each bucket's end, `to` (the last end) and `from`; the churn
  // metrics also need each one's window start.
  const int64_t window = int64_t{options.churn_window_days} * 86400;
  std::vector<int64_t> points;
  for (const Bucket& b : period.buckets) points.push_back(b.end);
  points.push_back(period.from);  // previous_total
  std::vector<int64_t> times = points;
  if (revenue || churn) {
    for (int64_t t : points) times.push_back(t - window);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  const size_t n = times.size();
  auto at = [&](int64_t t) { return FirstAtOrAfter(times, t); };

  // Per currency: MRR, active customers (MRR > 0), churn denominators (active at a window's
  // start or new in it: an active stretch [a, b) counts for the points in [a, b + window)) and
  // revenue movements, as difference arrays over `times` (movements directly per point).
  struct Sweep {
    std::vector<double> mrr, active, denominator;
    std::vector<double> churned, contraction, expansion, reactivation;
  };
  std::map<std::string, Sweep> sweeps;
  auto sweep_of = [&](const std::string& currency) -> Sweep& {
    Sweep& s = sweeps[currency];
    if (s.mrr.empty()) {
      s.mrr.assign(n + 1, 0.0);
      if (per_customer) s.active.assign(n + 1, 0.0);
      if (churn) s.denominator.assign(n + 1, 0.0);
      if (revenue) {
        for (auto* v : {&s.churned, &s.contraction, &s.expansion, &s.reactivation}) {
          v->assign(n, 0.0);
        }
      }
    }
    return s;
  };

  CustomerSegments customer;
  std::vector<std::pair<int64_t, int64_t>> positive, reach, touched;
  // Adds one customer's (their adjacent subscriptions') contribution.
  auto flush = [&]() {
    if (customer.segments.empty()) return;
    Sweep& s = sweep_of(customer.currency);
    positive.clear();
    reach.clear();
    for (const Segment& seg : customer.segments) {
      if (seg.value > kEpsilon) positive.emplace_back(seg.start, seg.end);
    }
    positive = Merge(std::move(positive));
    for (auto [a, b] : positive) {
      AddOver(s.active, times, a, b, 1);
      if (churn) reach.emplace_back(a, SaturatingAdd(b, window));
    }
    if (churn) {
      for (auto [a, b] : Merge(std::move(reach))) AddOver(s.denominator, times, a, b, 1);
    }
    if (revenue) {
      // Only points whose window (t - window, t] holds one of the customer's changes move.
      touched.clear();
      for (const Segment& seg : customer.segments) {
        for (int64_t change : {seg.start, seg.end}) {
          if (change != kForever) touched.emplace_back(change, SaturatingAdd(change, window));
        }
      }
      for (auto [a, b] : Merge(std::move(touched))) {
        for (size_t k = at(a); k < n && times[k] < b; ++k) {
          const int64_t t = times[k], w0 = t - window;
          const double m0 = customer.ValueAt(w0), m1 = customer.ValueAt(t);
          if (m0 > kEpsilon && m1 <= kEpsilon) {
            s.churned[k] += m0;
          } else if (m0 > kEpsilon && m1 < m0 - kEpsilon) {
            s.contraction[k] += m0 - m1;
          } else if (m0 > kEpsilon && m1 > m0 + kEpsilon) {
            s.expansion[k] += m1 - m0;
          } else if (m0 <= kEpsilon && m1 > kEpsilon && customer.PositiveBefore(w0)) {
            s.reactivation[k] += m1;
          }
        }
      }
    }
    customer.segments.clear();
  };

  for (const Facts& account : facts) {
    const std::string* current_customer = nullptr;
    for (const SubscriptionFacts& f : *account) {
      if (per_customer && (current_customer == nullptr || *current_customer != f.customer ||
                           customer.currency != f.currency)) {
        flush();
        current_customer = &f.customer;
        customer.currency = f.currency;
      }
      std::vector<Segment> segments = Segments(f, options.subscriptions);
      if (segments.empty()) continue;
      Sweep& s = sweep_of(f.currency);
      for (const Segment& seg : segments) {
        AddOver(s.mrr, times, seg.start, seg.end, seg.value);
        if (per_customer) customer.segments.push_back(seg);
      }
    }
    flush();
  }

  MetricResult result{.metric = std::string(info.name), .period = period};
  SL_ASSIGN_OR_RETURN(result.approximate_reasons,
                      HistoryReasons(accounts, std::min(period.from, points.front()) - window,
                                     facts));
  for (auto& [currency, s] : sweeps) {
    const std::vector<double> mrr = Accumulate(s.mrr);
    const std::vector<double> active = Accumulate(s.active);
    const std::vector<double> denominator = Accumulate(s.denominator);
    auto value_at = [&](int64_t t) -> std::optional<double> {
      const size_t k = at(t);
      if (name == "mrr") return std::round(mrr[k]);
      if (name == "arr") return 12 * std::round(mrr[k]);
      if (name == "active_subscribers") return active[k];
      if (name == "arpu") {
        if (active[k] <= 0) return std::nullopt;
        return std::round(mrr[k] / active[k]);
      }
      if (churn) {
        if (denominator[k] <= 0) return std::nullopt;
        const double rate = (denominator[k] - active[k]) / denominator[k];
        if (name == "subscriber_churn_rate") return rate;
        // ltv: ARPU ÷ churn rate, undefined without churn or subscribers.
        if (active[k] <= 0 || rate <= 0) return std::nullopt;
        return std::round(mrr[k] / active[k] / rate);
      }
      if (name == "revenue_churn") return std::round(s.churned[k] + s.contraction[k]);
      // net_revenue_churn_rate
      const double start_mrr = mrr[at(t - window)];
      if (start_mrr <= kEpsilon) return std::nullopt;
      return (s.churned[k] + s.contraction[k] - s.expansion[k] - s.reactivation[k]) / start_mrr;
    };
    CurrencyValues v{.currency = currency};
    for (size_t i = 0; i < period.buckets.size(); ++i) {
      v.series.push_back({period.buckets[i].start_day, value_at(points[i])});
    }
    v.total = value_at(period.to);
    v.previous_total = value_at(period.from);
    result.values.push_back(std::move(v));
  }
  return result;
}

}  // namespace stripeline::reports
