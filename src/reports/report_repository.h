#pragma once
// ReportRepository: every SQL statement of reports/, over the tables reports/ owns
// (report_migrations.h: the rollup, the subscription facts with their queue and generations,
// the dashboards) and its reads of the synced stream tables. MetricsEngine and MetricsService
// hold the rules; this class only reads and writes rows. The statements are fixed text chosen
// by metric name, never built from input. Every read of synced or derived data names the
// scopes (sync::DataScope: an account in one mode) it covers, and touches no other row: a test
// integration's numbers never include live data of its account, nor the reverse. Over several
// scopes a read is the sum of one read per scope (each keyed like the tables, so each is as
// cheap as a single account's).
//
// Thread-safety: thread-safe (the Database is). Single calls are atomic; several calls are made
// atomic together by the caller's transaction (Store::InTransaction on the same Database).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "reports/subscription_facts.h"
#include "reports/time_range.h"
#include "reports/widget.h"
#include "store/database.h"
#include "sync/data_scope.h"

namespace stripeline::reports {

// Takes a value of a volume metric and its row count: span 0 is the previous period, span
// k >= 1 the period's bucket k - 1; kind is the rows' status (the rollup only).
using SpanAdder = std::function<void(size_t span, const std::string& currency,
                                     const std::string& kind, double value, int64_t n)>;

// A subscription queued for its facts to be derived again, with its row (none when it is gone).
struct QueuedSubscription {
  sync::DataScope scope;
  std::string id;
  std::optional<std::string> raw;  // the stored object's JSON; none: no row
  bool deleted = false;
};

// scope -> generation (report_state).
using ScopeGenerations = std::map<sync::DataScope, int64_t>;

// What the synced events say about subscription history (MetricsEngine's approximation notes).
struct SubscriptionEventHistory {
  int64_t updates_since = 0;            // customer.subscription.updated events since the point
  std::optional<int64_t> oldest_event;  // the oldest synced event's `created`, of any type
};

class ReportRepository {
 public:
  explicit ReportRepository(store::Database& db) : db_(db) {}

  // ---- Volume metrics ----

  // Whether the sums of volume metric `metric` are per currency (all but new_customers).
  static bool PerCurrency(std::string_view metric);
  // Hands the sums of volume metric `metric` over `period` for `scopes` to `add`: from the
  // rollup when every bound of the period is on a quarter hour, else from the rows. With
  // `add_status` (payouts), also the period's sums per status of every row (span 1).
  // Precondition: `metric` is a volume metric (MetricInfo::at_instant false).
  [[nodiscard]] Status ReadVolume(std::string_view metric,
                                  const std::vector<sync::DataScope>& scopes,
                                  const ReportPeriod& period, const SpanAdder& add,
                                  const SpanAdder* add_status);

  // ---- Subscription facts ----

  // Queues every synced subscription (facts derived by older rules are derived again).
  [[nodiscard]] Status QueueEverySubscription();
  // The queued subscriptions of `scopes`.
  [[nodiscard]] Result<std::vector<QueuedSubscription>> QueuedSubscriptions(
      const std::vector<sync::DataScope>& scopes);
  // Inserts or replaces the facts of one subscription, marked with kSubscriptionRulesVersion.
  [[nodiscard]] Status PutFacts(const SubscriptionFacts& facts);
  [[nodiscard]] Status DeleteFacts(const sync::DataScope& scope, const std::string& id);
  // Tells every process that the scope's cached facts are stale.
  [[nodiscard]] Status AdvanceGeneration(const sync::DataScope& scope);
  // Empties the queue of `scopes`.
  [[nodiscard]] Status ClearQueue(const std::vector<sync::DataScope>& scopes);
  // scope -> generation, for those of `scopes` that have one.
  [[nodiscard]] Result<ScopeGenerations> Generations(const std::vector<sync::DataScope>& scopes);
  // The facts of one scope, unordered.
  [[nodiscard]] Result<std::vector<SubscriptionFacts>> Facts(const sync::DataScope& scope);
  [[nodiscard]] Result<SubscriptionEventHistory> SubscriptionEvents(
      const std::vector<sync::DataScope>& scopes, int64_t since);

  // ---- Dashboards ----

  // The client's widgets, in order.
  [[nodiscard]] Result<std::vector<Widget>> Widgets(const std::string& client_id);
  // Replaces the client's widgets by `widgets` (in this order), in one transaction.
  [[nodiscard]] Status ReplaceWidgets(const std::string& client_id,
                                      const std::vector<Widget>& widgets);

 private:
  store::Database& db_;
};

}  // namespace stripeline::reports
