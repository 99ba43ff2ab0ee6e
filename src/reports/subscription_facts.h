#pragma once
// What the subscription metrics need of one subscription, derived once from its raw JSON (items
// and discount live only there) and kept in `report_subscriptions` (migration 6), and the rules
// of metrics-and-reconciliation.md that turn it into MRR over time:
//
//   - counted while active or past_due: [start_date, ended_at) — or canceled_at for a canceled
//     subscription without ended_at — minus the trial window [trial_start, trial_end);
//     incomplete, incomplete_expired, unpaid and paused subscriptions are never counted (their
//     history is unknown without events: the engine says so);
//   - the value: Σ over licensed items (metered excluded) of unit_amount × quantity normalised
//     to one month (month ÷ n; year ÷ 12n; week × 52 ÷ 12n; day × 365 ÷ 12n), minus a
//     recurring discount (percent_off, or amount_off per billing period) of a `forever` or
//     `repeating` coupon while it is in effect [discount.start, discount.end). Not rounded here:
//     sums are rounded once, at the end, per currency.
//
// Thread-safety: value types and pure functions.

#include <boost/json/object.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "store/database.h"
#include "sync/data_scope.h"

namespace stripeline::reports {

// Bumped when FactsFromJson's rules change: stored facts of another version are derived again.
inline constexpr int64_t kSubscriptionRulesVersion = 1;

inline constexpr int64_t kForever = std::numeric_limits<int64_t>::max();

struct SubscriptionFacts {
  sync::DataScope scope;  // whose subscription: an account in one mode
  std::string id, customer, currency, status;
  int64_t start = 0;
  std::optional<int64_t> end;  // when it stopped counting; none while it runs
  std::optional<int64_t> trial_start, trial_end;
  double monthly = 0;          // licensed items normalised to one month, before discounts
  double interval_months = 1;  // the billing period in months (for amount_off coupons)
  // The recurring discount (forever/repeating coupons only).
  std::optional<double> discount_percent_off;
  std::optional<int64_t> discount_amount_off;
  std::optional<std::string> discount_currency;
  std::optional<int64_t> discount_start, discount_end;  // end none = forever
  // The subscription names a discount by id only (not expanded): its effect is unknown.
  bool discount_unknown = false;
};

// The facts of a subscription object (as Stripe sends it, API 2025-03-31.basil or older).
SubscriptionFacts FactsFromJson(const sync::DataScope& scope, const boost::json::object& sub);

// Contested choices of the subscription metrics (options of the API and CLI).
struct SubscriptionRules {
  bool subtract_discounts = true;  // discounts=subtract|ignore
  bool count_past_due = true;      // past_due=include|exclude (Stripe counts them)
  bool count_trials = false;       // trials=exclude|include (Stripe excludes them)
};

// A stretch of time [start, end) over which a subscription's monthly value is constant.
struct Segment {
  int64_t start = 0, end = kForever;
  double value = 0;
};

// The subscription's contribution to MRR over time: disjoint segments, oldest first, value > 0
// only where it counts (a 100 % discount yields a segment of value 0).
std::vector<Segment> Segments(const SubscriptionFacts& facts, const SubscriptionRules& rules);

// Whether the status is one whose history the current object cannot tell (never counted).
bool StatusNeverCounted(const std::string& status);

}  // namespace stripeline::reports
