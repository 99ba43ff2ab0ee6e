#pragma once
// MetricsService: metrics for people — an integration's or a whole client's numbers, limited to
// what the actor may see, with how fresh they are (as_of: the oldest last successful sync of the
// integrations read) and why they may be approximate (a stream not synced or missing a
// permission, an integration never synced or needing a reconnect, plus the engine's own
// reasons). Also the clients' dashboards: an ordered list of widgets, each a metric of one of
// the client's integrations (or of the whole client) shown as a number, a chart or a table, and
// their numbers as CSV. The REST API and the CLI are thin layers over it.
//
// Roles: anyone who can see the integration or client reads its metrics and dashboard;
// administrators and members change a dashboard; viewers only read. Something the actor cannot
// see is NotFound.
//
// Thread-safety: thread-safe; no mutable state of its own.

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "access/actor.h"
#include "common/result.h"
#include "integrations/client_service.h"
#include "integrations/integration_service.h"
#include "reports/metrics_engine.h"
#include "reports/report_repository.h"
#include "reports/widget.h"

namespace stripeline::reports {

struct MetricRequest {
  std::string metric;
  // Exactly one of them.
  std::optional<std::string> integration_id, client_id;
  std::string from, to, interval = "day", tz = "UTC";
  MetricOptions options;
};

// An integration whose data an answer read.
struct MetricSource {
  std::string integration_id, name;
  store::Health health = store::Health::kUnknown;
  std::string health_reason;
  std::optional<int64_t> last_sync_at;
};

struct MetricAnswer {
  MetricResult result;
  std::optional<int64_t> as_of;           // unix seconds; none when nothing was synced yet
  std::vector<std::string> approximate_reasons;  // the engine's and the sources'
  std::vector<MetricSource> sources;
  bool approximate() const { return !approximate_reasons.empty(); }
};

// The options of the API's query string and the CLI's flags, by name (a missing one keeps its
// default): discounts=subtract|ignore, past_due=include|exclude, trials=exclude|include,
// churn_window_days=1..365. InvalidArgument (invalid_field) for a bad value.
Result<MetricOptions> ParseMetricOptions(
    const std::function<std::optional<std::string>(std::string_view)>& lookup);

inline constexpr size_t kMaxWidgets = 50;

class MetricsService {
 public:
  // `db` holds the report tables (ReportRepository) and sync's state (read for freshness);
  // `store` the settings the engine keeps (the same database: the composition root opens it
  // once). All must outlive the service.
  MetricsService(store::Database& db, store::Store& store,
                 integrations::IntegrationService& integrations,
                 integrations::ClientService& clients)
      : db_(db),
        integrations_(integrations),
        clients_(clients),
        repository_(db_),
        engine_(store, repository_) {}

  Result<MetricAnswer> Compute(const access::Actor& actor, const MetricRequest& request);

  // The client's widgets, in order.
  Result<std::vector<Widget>> Dashboard(const access::Actor& actor, const std::string& client_id);
  // Replaces the client's widgets (validated: known metric and kind, an integration of this
  // client, at most kMaxWidgets); returns them as stored.
  Result<std::vector<Widget>> SaveDashboard(const access::Actor& actor,
                                            const std::string& client_id,
                                            std::vector<Widget> widgets);
  // Every widget's numbers over the period as CSV (RFC 4180): widget_id, title, metric,
  // integration_id, currency, period (a series start date, "total" or "previous_total"), value.
  Status ExportDashboardCsv(const access::Actor& actor, const std::string& client_id,
                            const std::string& from, const std::string& to,
                            const std::string& interval, const std::string& tz,
                            std::ostream& out);

 private:
  store::Database& db_;  // for the repository and sync's state
  integrations::IntegrationService& integrations_;
  integrations::ClientService& clients_;
  ReportRepository repository_;
  MetricsEngine engine_;
};

}  // namespace stripeline::reports
