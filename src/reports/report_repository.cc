#include "reports/report_repository.h"

#include <algorithm>
#include <array>

namespace stripeline::reports {
namespace {

// Where a volume metric's rows are, which count, and what is summed: over the stream table's
// rows `t` (through its covering index), and over the sums of `report_rollup` rows `r` (kind =
// the rows' status, or reporting_category for balance transactions). `rollup_value` is one
// rollup row's value, with `{cut}` where a column's name takes the suffix of a part of the
// hour ("" the whole hour, "_15", "_30", "_45" its first 15, 30, 45 minutes). SQL is fixed text
// chosen by metric name, never built from input.
struct VolumeSql {
  std::string_view stream, time_column, filter, value, rollup_filter, rollup_value;
  bool per_currency = true;
};

const std::map<std::string_view, VolumeSql>& VolumeQueries() {
  static const std::map<std::string_view, VolumeSql> kQueries = {
      {"gross_volume",
       {"charges", "created", "t.status = 'succeeded'", "SUM(t.amount_captured)",
        "r.kind = 'succeeded'", "r.amount{cut}"}},
      {"successful_payments",
       {"charges", "created", "t.status = 'succeeded'", "COUNT(*)", "r.kind = 'succeeded'",
        "r.n{cut}"}},
      {"failed_payments",
       {"charges", "created", "t.status = 'failed'", "COUNT(*)", "r.kind = 'failed'",
        "r.n{cut}"}},
      {"refunds",
       {"refunds", "created", "(t.status IS NULL OR t.status NOT IN ('failed', 'canceled'))",
        "SUM(t.amount)", "r.kind NOT IN ('failed', 'canceled')", "r.amount{cut}"}},
      {"disputes", {"disputes", "created", "1 = 1", "SUM(t.amount)", "1 = 1", "r.amount{cut}"}},
      {"fees",
       {"balance_transactions", "created", "1 = 1",
        "SUM(COALESCE(t.fee, 0) + CASE WHEN t.reporting_category IN ('fee', 'tax') "
        "THEN ABS(COALESCE(t.net, 0)) ELSE 0 END)",
        "1 = 1",
        "r.fee{cut} + CASE WHEN r.kind IN ('fee', 'tax') THEN r.abs_net{cut} ELSE 0 END"}},
      {"net_volume",
       {"balance_transactions", "created",
        "t.reporting_category IN ('charge', 'refund', 'partial_capture_reversal', 'dispute', "
        "'dispute_reversal', 'fee', 'tax')",
        "SUM(t.net)",
        "r.kind IN ('charge', 'refund', 'partial_capture_reversal', 'dispute', "
        "'dispute_reversal', 'fee', 'tax')",
        "r.net{cut}"}},
      {"new_customers",
       {"customers", "created", "1 = 1", "COUNT(*)", "1 = 1", "r.n{cut}", false}},
      {"payouts",
       {"payouts", "arrival_date", "t.status NOT IN ('failed', 'canceled')", "SUM(t.amount)",
        "r.kind NOT IN ('failed', 'canceled')", "r.amount{cut}"}},
  };
  return kQueries;
}

// The rollup sums whole UTC hours and, within each, its first 15, 30 and 45 minutes (reports
// migration 2): it answers a period whose bounds all fall on a quarter hour (every zone in use
// today, Asia/Kolkata's :30 and Asia/Kathmandu's :45 included); others (an old offset such as
// Liberia's −0:44:30 until 1972) read the rows themselves.
constexpr int64_t kSlot = 3600;
constexpr int64_t kQuarter = 900;
// The suffixes of an hour's parts in report_rollup, by quarters: [1] the first 15 minutes,
// [2] 30, [3] 45; [0] the whole hour.
constexpr std::array<std::string_view, 4> kPartSuffix = {"", "_15", "_30", "_45"};

// Whether every bound of the period is a multiple of `step` seconds.
bool Aligned(const ReportPeriod& period, int64_t step) {
  if (period.previous_from % step != 0 || period.to % step != 0) return false;
  for (const Bucket& b : period.buckets) {
    if (b.start % step != 0) return false;
  }
  return true;
}

// `expr` with each "{cut}" replaced by `suffix`.
std::string WithSuffix(std::string_view expr, std::string_view suffix) {
  constexpr std::string_view kMarker = "{cut}";
  std::string out(expr);
  for (size_t at = out.find(kMarker); at != std::string::npos;
       at = out.find(kMarker, at + suffix.size())) {
    out.replace(at, kMarker.size(), suffix);
  }
  return out;
}

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

// Hands the rollup's sums of `stream` over the period to `add`: `value` is a row's value
// (VolumeSql::rollup_value), `filter` which rows count.
Status ReadRollup(store::Database& db, const std::vector<std::string>& accounts,
                  std::string_view stream, std::string_view value, std::string_view filter,
                  const ReportPeriod& period, const SpanAdder& add) {
  // The hours that overlap [previous_from, to), and each hour's value and row count; when a
  // bound falls inside an hour (a zone 30 or 45 minutes off UTC) also those of its first 15, 30
  // and 45 minutes. Each hour then goes to the span of its start in C++, comparing UTC instants
  // with the bounds, so no time zone arithmetic is needed here (a DST change included). Summing
  // per span in SQL would need a GROUP BY over an expression, a sort of every row: in the sqlite3
  // shell 16 ms against 7.5 ms for the scan alone (docs/PERFORMANCE.md).
  const bool cut = !Aligned(period, kSlot);
  std::vector<store::Value> params = AccountParams(accounts);
  params.emplace_back(period.previous_from / kSlot);
  params.emplace_back((period.to + kSlot - 1) / kSlot);
  const size_t n = accounts.size();
  std::string columns = "r.slot, r.currency, r.kind";
  for (size_t part = 0; part < (cut ? kPartSuffix.size() : 1); ++part) {
    columns += ", " + WithSuffix(value, kPartSuffix[part]) + ", r.n" +
               std::string(kPartSuffix[part]);
  }
  SL_ASSIGN_OR_RETURN(
      store::Rows rows,
      db.Query("SELECT " + columns + " FROM report_rollup r WHERE r.account_id IN (" +
                    Placeholders(1, n) + ") AND r.stream = '" + std::string(stream) +
                    "' AND r.slot >= $" + std::to_string(n + 1) + " AND r.slot < $" +
                    std::to_string(n + 2) + " AND r.n > 0 AND " + std::string(filter),
                params));

  // bounds[0] starts the previous period, bounds[k] bucket k - 1; the last is `to`.
  std::vector<int64_t> bounds{period.previous_from};
  for (const Bucket& bucket : period.buckets) bounds.push_back(bucket.start);
  bounds.push_back(period.to);
  const size_t spans = bounds.size() - 1;
  for (const store::Row& row : rows) {
    const int64_t start = row.GetInt(0) * kSlot;
    const std::string currency = row.GetString(1), kind = row.GetString(2);
    const double whole = static_cast<double>(row.GetInt(3));
    const int64_t whole_n = row.GetInt(4);
    // The span holding the hour's start: -1 when the previous period starts inside the hour.
    const size_t next = std::upper_bound(bounds.begin(), bounds.end(), start) - bounds.begin();
    if (next < bounds.size() && bounds[next] < start + kSlot) {
      // A bound at a quarter past (spans are at least 23 hours long, so only one): the part
      // before it ends the span of the hour's start, the rest begins the next one.
      const size_t part = static_cast<size_t>((bounds[next] - start) / kQuarter);
      if (!cut || part < 1 || part > 3) {
        return Status::Internal("A report bound is not on a quarter hour.");
      }
      const double before = static_cast<double>(row.GetInt(3 + 2 * part));
      const int64_t before_n = row.GetInt(4 + 2 * part);
      if (next >= 1) add(next - 1, currency, kind, before, before_n);
      if (next < spans) add(next, currency, kind, whole - before, whole_n - before_n);
    } else if (next >= 1 && next - 1 < spans) {
      add(next - 1, currency, kind, whole, whole_n);
    }
  }
  return Status::OK();
}

// Hands the rows' sums of a volume metric over the period to `add`, and, with `statuses`, the
// period's sums per status of every row to `add_status` (span 1), for zones whose bounds are
// not on a quarter hour.
Status ReadRows(store::Database& db, const std::vector<std::string>& accounts,
                const VolumeSql& q, const ReportPeriod& period, bool statuses,
                const SpanAdder& add, const SpanAdder& add_status) {
  // The rows are summed per local date in SQL: the date of an instant is (t + the zone's offset
  // at t) / 86400, the offset taken from the zone's spans over the period (a CASE of a few
  // branches, one per DST change). (A join with the bucket bounds would read less, but SQLite's
  // planner then drops the range and scans the whole account once per bucket.)
  const std::string accounts_in = "account_id IN (" + Placeholders(1, accounts.size()) + ")";
  std::vector<store::Value> params = AccountParams(accounts);
  auto param = [&](int64_t v) {
    params.emplace_back(v);
    return "$" + std::to_string(params.size());
  };
  const std::string lo = param(period.previous_from);
  const std::string hi = param(period.to);
  const std::string time = "t." + std::string(q.time_column);
  std::string offset = "CASE";
  for (const OffsetSpan& span : Offsets(period.tz, period.previous_from, period.to)) {
    offset += " WHEN " + time + " < " + param(span.end) + " THEN " + param(span.offset);
  }
  offset += " ELSE 0 END";
  const std::string local_day = "(" + time + " + " + offset + ") / 86400";
  const std::string where = " FROM stripe_" + std::string(q.stream) + " t WHERE t." +
                            accounts_in + " AND " + time + " >= " + lo + " AND " + time +
                            " < " + hi + " AND t.deleted = 0";
  SL_ASSIGN_OR_RETURN(
      store::Rows rows,
      db.Query("SELECT " + local_day + ", t.currency, " + std::string(q.value) + ", COUNT(*)" +
                    where + " AND " + std::string(q.filter) + " GROUP BY 1, t.currency",
                params));
  // Dates: bounds[0] starts the previous period, bounds[k] bucket k-1; the last is `to`.
  std::vector<int64_t> bounds{period.from_day - (period.to_day - period.from_day)};
  for (const Bucket& bucket : period.buckets) bounds.push_back(bucket.start_day);
  bounds.push_back(period.to_day);
  for (const store::Row& row : rows) {
    const size_t k =
        std::upper_bound(bounds.begin(), bounds.end(), row.GetInt(0)) - bounds.begin();
    if (k == 0 || k >= bounds.size()) continue;  // outside (cannot happen: the query's range)
    add(k - 1, row.GetString(1), "", static_cast<double>(row.GetInt(2)), row.GetInt(3));
  }
  if (statuses) {
    // The period itself: the accounts, then lo (from) and hi (to).
    std::vector<store::Value> range(params.begin(), params.begin() + accounts.size() + 2);
    range[accounts.size()] = period.from;
    SL_ASSIGN_OR_RETURN(store::Rows rows,
                        db.Query("SELECT t.currency, t.status, SUM(t.amount), COUNT(*)" +
                                      where + " GROUP BY t.currency, t.status",
                                  range));
    for (const store::Row& row : rows) {
      add_status(1, row.GetString(0), row.GetString(1), static_cast<double>(row.GetInt(2)),
                 row.GetInt(3));
    }
  }
  return Status::OK();
}

}  // namespace

bool ReportRepository::PerCurrency(std::string_view metric) {
  return VolumeQueries().at(metric).per_currency;
}

Status ReportRepository::ReadVolume(std::string_view metric,
                                    const std::vector<std::string>& accounts,
                                    const ReportPeriod& period, const SpanAdder& add,
                                    const SpanAdder* add_status) {
  const VolumeSql& q = VolumeQueries().at(metric);
  if (Aligned(period, kQuarter)) {
    SL_RETURN_IF_ERROR(
        ReadRollup(db_, accounts, q.stream, q.rollup_value, q.rollup_filter, period, add));
    if (add_status != nullptr) {
      SL_RETURN_IF_ERROR(
          ReadRollup(db_, accounts, q.stream, "r.amount{cut}", "1 = 1", period, *add_status));
    }
    return Status::OK();
  }
  return ReadRows(db_, accounts, q, period, add_status != nullptr, add,
                  add_status != nullptr ? *add_status : add);
}

Status ReportRepository::QueueEverySubscription() {
  return db_.Execute("INSERT INTO report_subscription_queue (account_id, id) "
                     "SELECT account_id, id FROM stripe_subscriptions WHERE 1 = 1 "
                     "ON CONFLICT DO NOTHING",
                     {})
      .status();
}

Result<std::vector<QueuedSubscription>> ReportRepository::QueuedSubscriptions(
    const std::vector<std::string>& accounts) {
  const std::string in = " IN (" + Placeholders(1, accounts.size()) + ")";
  SL_ASSIGN_OR_RETURN(
      store::Rows rows,
      db_.Query("SELECT q.account_id, q.id, s.raw, s.deleted FROM report_subscription_queue q "
                "LEFT JOIN stripe_subscriptions s ON s.account_id = q.account_id AND "
                "s.id = q.id WHERE q.account_id" + in,
                AccountParams(accounts)));
  std::vector<QueuedSubscription> queued;
  queued.reserve(rows.size());
  for (const store::Row& row : rows) {
    queued.push_back({.account_id = row.GetString(0),
                      .id = row.GetString(1),
                      .raw = row.GetOptionalString(2),
                      .deleted = !row.IsNull(3) && row.GetBool(3)});
  }
  return queued;
}

Status ReportRepository::PutFacts(const SubscriptionFacts& f) {
  auto opt_int = [](const std::optional<int64_t>& v) { return store::OptionalValue(v); };
  return db_
      .Execute(
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
      .status();
}

Status ReportRepository::DeleteFacts(const std::string& account_id, const std::string& id) {
  return db_
      .Execute("DELETE FROM report_subscriptions WHERE account_id = $1 AND id = $2",
               {account_id, id})
      .status();
}

Status ReportRepository::AdvanceGeneration(const std::string& account_id) {
  return db_
      .Execute("INSERT INTO report_state (account_id, generation) VALUES "
               "($1, 1) ON CONFLICT (account_id) DO UPDATE SET "
               "generation = report_state.generation + 1",
               {account_id})
      .status();
}

Status ReportRepository::ClearQueue(const std::vector<std::string>& accounts) {
  const std::string in = " IN (" + Placeholders(1, accounts.size()) + ")";
  return db_.Execute("DELETE FROM report_subscription_queue WHERE account_id" + in,
                     AccountParams(accounts))
      .status();
}

Result<AccountGenerations> ReportRepository::Generations(
    const std::vector<std::string>& accounts) {
  SL_ASSIGN_OR_RETURN(store::Rows generations,
                      db_.Query("SELECT account_id, generation FROM report_state WHERE "
                                "account_id IN (" + Placeholders(1, accounts.size()) + ")",
                                AccountParams(accounts)));
  AccountGenerations current;
  for (const store::Row& r : generations) current[r.GetString(0)] = r.GetInt(1);
  return current;
}

Result<std::vector<SubscriptionFacts>> ReportRepository::Facts(const std::string& account_id) {
  SL_ASSIGN_OR_RETURN(
      store::Rows rows,
      db_.Query("SELECT account_id, id, customer, currency, status, start_at, end_at, "
                "trial_start, trial_end, monthly, interval_months, discount_percent_off, "
                "discount_amount_off, discount_currency, discount_start, discount_end, "
                "discount_unknown FROM report_subscriptions WHERE account_id = $1",
                {account_id}));
  std::vector<SubscriptionFacts> facts;
  facts.reserve(rows.size());
  for (const store::Row& r : rows) facts.push_back(FactsFromRow(r));
  return facts;
}

Result<SubscriptionEventHistory> ReportRepository::SubscriptionEvents(
    const std::vector<std::string>& accounts, int64_t since) {
  const size_t n = accounts.size();
  std::vector<store::Value> p = AccountParams(accounts);
  p.emplace_back(since);
  SL_ASSIGN_OR_RETURN(
      store::Rows rows,
      db_.Query("SELECT (SELECT COUNT(*) FROM stripe_events WHERE account_id IN (" +
                    Placeholders(1, n) + ") AND type = 'customer.subscription.updated' AND "
                    "created >= $" + std::to_string(n + 1) +
                    "), (SELECT MIN(created) FROM stripe_events WHERE account_id IN (" +
                    Placeholders(1, n) + "))",
                p));
  SubscriptionEventHistory history;
  if (!rows.empty()) {
    history.updates_since = rows[0].GetInt(0);
    history.oldest_event = rows[0].GetOptionalInt(1);
  }
  return history;
}

Result<std::vector<Widget>> ReportRepository::Widgets(const std::string& client_id) {
  SL_ASSIGN_OR_RETURN(
      store::Rows rows,
      db_.Query("SELECT id, metric, integration_id, kind, title, options FROM "
                "dashboard_widgets WHERE client_id = $1 ORDER BY position",
                {client_id}));
  std::vector<Widget> widgets;
  for (const store::Row& r : rows) {
    // Kinds are validated when saved; a row of another kind (edited by hand) shows a number.
    widgets.push_back({.id = r.GetString(0),
                       .metric = r.GetString(1),
                       .integration_id = r.GetOptionalString(2),
                       .kind = ParseWidgetKind(r.GetString(3)).value_or(WidgetKind::kNumber),
                       .title = r.GetString(4),
                       .options_json = r.GetString(5)});
  }
  return widgets;
}

Status ReportRepository::ReplaceWidgets(const std::string& client_id,
                                        const std::vector<Widget>& widgets) {
  return db_.Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR(
        db_.Execute("DELETE FROM dashboard_widgets WHERE client_id = $1", {client_id}).status());
    for (size_t i = 0; i < widgets.size(); ++i) {
      const Widget& w = widgets[i];
      SL_RETURN_IF_ERROR(
          db_.Execute("INSERT INTO dashboard_widgets (client_id, id, position, metric, "
                      "integration_id, kind, title, options) VALUES ($1, $2, $3, $4, $5, $6, "
                      "$7, $8)",
                      {client_id, w.id, static_cast<int64_t>(i), w.metric,
                       store::OptionalValue(w.integration_id), std::string(WidgetKindName(w.kind)),
                       w.title, w.options_json})
              .status());
    }
    return Status::OK();
  });
}

}  // namespace stripeline::reports
