#include "reports/metrics_engine.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <set>
#include <tuple>

namespace stripeline::reports {

namespace json = boost::json;

namespace {

using enum MetricUnit;

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
                                            const std::vector<sync::DataScope>& scopes,
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
  // Integrations of one scope share its rows: each scope is counted once.
  std::vector<sync::DataScope> unique(scopes);
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  if (unique.empty()) {
    MetricResult empty{.metric = std::string(metric), .period = period, .options = options};
    empty.approximate_reasons.push_back("No synced Stripe account: nothing to count yet.");
    return empty;
  }
  SL_ASSIGN_OR_RETURN(MetricResult result,
                      info->at_instant ? Subscriptions(*info, unique, period, options)
                                       : Volume(*info, unique, period));
  result.options = options;
  return result;
}

Result<MetricResult> MetricsEngine::Volume(const MetricInfo& info,
                                           const std::vector<sync::DataScope>& scopes,
                                           const ReportPeriod& period) {
  const bool per_currency = ReportRepository::PerCurrency(info.name);
  MetricResult result{.metric = std::string(info.name), .period = period};
  std::map<std::string, CurrencyValues> by_currency;
  auto entry = [&](const std::string& c) -> CurrencyValues& {
    auto [it, inserted] = by_currency.try_emplace(per_currency ? c : "");
    if (inserted) {
      it->second.currency = per_currency ? c : "";
      it->second.total = 0;
      it->second.previous_total = 0;
      for (const Bucket& b : period.buckets) it->second.series.push_back({b.start_day, 0.0});
      if (info.name == "payouts") it->second.count = 0;
    }
    return it->second;
  };
  if (!per_currency) entry("");
  // Span 0 is the previous period, span k >= 1 the period's bucket k - 1.
  auto add = [&](size_t span, const std::string& currency, const std::string&, double value,
                 int64_t n) {
    CurrencyValues& v = entry(currency);
    if (span == 0) {
      *v.previous_total += value;
      return;
    }
    *v.series[span - 1].value += value;
    *v.total += value;
    if (v.count) *v.count += n;
  };
  // payouts only: the period's sums per status, of every status.
  auto add_status = [&](size_t span, const std::string& currency, const std::string& status,
                        double value, int64_t n) {
    if (span == 0) return;
    auto& [amount, count] = entry(currency).by_status[status];
    amount += static_cast<int64_t>(value);
    count += n;
  };
  const SpanAdder add_span = add, add_status_span = add_status;
  SL_RETURN_IF_ERROR(repository_.ReadVolume(info.name, scopes, period, add_span,
                                            info.name == "payouts" ? &add_status_span : nullptr));
  for (auto& [c, v] : by_currency) result.values.push_back(std::move(v));
  return result;
}

Status MetricsEngine::RefreshSubscriptionFacts(const std::vector<sync::DataScope>& scopes) {
  // Facts derived by older rules are derived again.
  SL_ASSIGN_OR_RETURN(std::optional<std::string> rules,
                      store_.GetSetting("reports.subscription_rules_version"));
  const std::string current = std::to_string(kSubscriptionRulesVersion);
  if (rules != current) {
    SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
      SL_RETURN_IF_ERROR(repository_.QueueEverySubscription());
      return store_.PutSetting("reports.subscription_rules_version", current);
    }));
  }
  // In one transaction, so a subscription queued again meanwhile is not lost with the queue.
  return store_.InTransaction([&]() -> Status {
    SL_ASSIGN_OR_RETURN(std::vector<QueuedSubscription> queued,
                        repository_.QueuedSubscriptions(scopes));
    if (queued.empty()) return Status::OK();
    for (const QueuedSubscription& row : queued) {
      boost::system::error_code ec;
      json::value raw;
      if (row.raw && !row.deleted) raw = json::parse(*row.raw, ec);
      if (!row.raw || row.deleted || ec || !raw.is_object()) {
        SL_RETURN_IF_ERROR(repository_.DeleteFacts(row.scope, row.id));
        continue;
      }
      SL_RETURN_IF_ERROR(repository_.PutFacts(FactsFromJson(row.scope, raw.get_object())));
    }
    std::set<sync::DataScope> changed;
    for (const QueuedSubscription& row : queued) changed.insert(row.scope);
    for (const sync::DataScope& scope : changed) {
      SL_RETURN_IF_ERROR(repository_.AdvanceGeneration(scope));
    }
    return repository_.ClearQueue(scopes);
  });
}

Result<std::vector<std::string>> MetricsEngine::HistoryReasons(
    const std::vector<sync::DataScope>& scopes, int64_t first_point,
    const std::vector<Facts>& facts) {
  std::vector<std::string> reasons;
  size_t never = 0, unknown_discount = 0, total = 0;
  int64_t oldest_start = kForever;
  for (const Facts& scope : facts) {
    total += scope->size();
    for (const SubscriptionFacts& f : *scope) {
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
  SL_ASSIGN_OR_RETURN(SubscriptionEventHistory history,
                      repository_.SubscriptionEvents(scopes, first_point));
  const int64_t updates = history.updates_since;
  const std::optional<int64_t> oldest_event = history.oldest_event;
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
    const std::vector<sync::DataScope>& scopes) {
  SL_RETURN_IF_ERROR(RefreshSubscriptionFacts(scopes));
  SL_ASSIGN_OR_RETURN(ScopeGenerations current, repository_.Generations(scopes));
  std::vector<Facts> out;
  for (const sync::DataScope& scope : scopes) {
    const int64_t generation = current.count(scope) ? current[scope] : 0;
    {
      std::lock_guard lock(cache_mu_);
      auto it = cache_.find(scope);
      if (it != cache_.end() && it->second.first == generation) {
        out.push_back(it->second.second);
        continue;
      }
    }
    SL_ASSIGN_OR_RETURN(std::vector<SubscriptionFacts> rows, repository_.Facts(scope));
    auto facts = std::make_shared<std::vector<SubscriptionFacts>>(std::move(rows));
    std::sort(facts->begin(), facts->end(), [](const auto& a, const auto& b) {
      return std::tie(a.currency, a.customer, a.id) < std::tie(b.currency, b.customer, b.id);
    });
    std::lock_guard lock(cache_mu_);
    cache_[scope] = {generation, facts};
    out.push_back(std::move(facts));
  }
  return out;
}

Result<MetricResult> MetricsEngine::Subscriptions(const MetricInfo& info,
                                                  const std::vector<sync::DataScope>& scopes,
                                                  const ReportPeriod& period,
                                                  const MetricOptions& options) {
  SL_ASSIGN_OR_RETURN(std::vector<Facts> facts, LoadFacts(scopes));
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

  for (const Facts& scope : facts) {
    const std::string* current_customer = nullptr;
    for (const SubscriptionFacts& f : *scope) {
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
                      HistoryReasons(scopes, std::min(period.from, points.front()) - window,
                                     facts));
  for (auto& entry : sweeps) {
    // Named, not bound: Clang 14 (the fuzz build's) cannot capture a structured binding.
    const auto& currency = entry.first;
    Sweep& s = entry.second;
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
