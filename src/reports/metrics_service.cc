#include "reports/metrics_service.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <set>

#include "common/csv.h"
#include "common/secrets.h"
#include "reports/views.h"
#include "sync/data_scope.h"
#include "sync/sync_state.h"

namespace stripeline::reports {

namespace {

Result<bool> Choice(const std::function<std::optional<std::string>(std::string_view)>& lookup,
                    std::string_view name, std::string_view yes, std::string_view no,
                    bool fallback) {
  std::optional<std::string> given = lookup(name);
  if (!given) return fallback;
  if (*given == yes) return true;
  if (*given == no) return false;
  return Status::InvalidArgument(std::string(name) + " must be " + std::string(yes) + " or " +
                                     std::string(no) + ".",
                                 "invalid_field");
}

std::string CsvValue(const boost::json::value& v) {
  return v.is_null() ? "" : boost::json::serialize(v);
}

}  // namespace

Result<MetricOptions> ParseMetricOptions(
    const std::function<std::optional<std::string>(std::string_view)>& lookup) {
  MetricOptions options;
  SubscriptionRules& rules = options.subscriptions;
  SL_ASSIGN_OR_RETURN(rules.subtract_discounts,
                      Choice(lookup, "discounts", "subtract", "ignore", true));
  SL_ASSIGN_OR_RETURN(rules.count_past_due, Choice(lookup, "past_due", "include", "exclude", true));
  SL_ASSIGN_OR_RETURN(rules.count_trials, Choice(lookup, "trials", "include", "exclude", false));
  if (std::optional<std::string> days = lookup("churn_window_days")) {
    int value = 0;
    auto [end, ec] = std::from_chars(days->data(), days->data() + days->size(), value);
    if (ec != std::errc() || end != days->data() + days->size() || value < 1 || value > 365) {
      return Status::InvalidArgument("churn_window_days must be a whole number from 1 to 365.",
                                     "invalid_field");
    }
    options.churn_window_days = value;
  }
  return options;
}

Result<MetricAnswer> MetricsService::Compute(const access::Actor& actor,
                                             const MetricRequest& request) {
  const MetricInfo* info = FindMetric(request.metric);
  if (info == nullptr) {
    return Status::NotFound(
        "Unknown metric '" + request.metric + "'; metrics: " + MetricNames(), "unknown_metric");
  }
  if (request.integration_id.has_value() == request.client_id.has_value()) {
    return Status::InvalidArgument("Give exactly one of integration and client.",
                                   "invalid_field");
  }
  SL_ASSIGN_OR_RETURN(ReportPeriod period,
                      MakePeriod(request.from, request.to, request.interval, request.tz));
  std::vector<store::Integration> sources;
  if (request.integration_id) {
    SL_ASSIGN_OR_RETURN(store::Integration integration,
                        integrations_.Get(actor, *request.integration_id));
    sources.push_back(std::move(integration));
  } else {
    SL_RETURN_IF_ERROR(clients_.Get(actor, *request.client_id).status());
    SL_ASSIGN_OR_RETURN(sources, integrations_.List(actor, *request.client_id));
  }

  MetricAnswer answer;
  std::vector<sync::DataScope> scopes;  // each integration's own rows: its account, its mode
  std::vector<std::string> reasons;
  sync::SyncStateStore state(db_);
  for (const store::Integration& integration : sources) {
    answer.sources.push_back({integration.id, integration.name, integration.health,
                              integration.health_reason, integration.last_sync_at});
    const std::string who = "Integration '" + integration.name + "' (" + integration.id + ")";
    if (integration.last_sync_at) {
      answer.as_of = std::min(answer.as_of.value_or(*integration.last_sync_at),
                              *integration.last_sync_at);
    } else {
      reasons.push_back(who + " has not finished a sync yet.");
    }
    if (integration.health == store::Health::kNeedsReconnect) {
      reasons.push_back(who + " needs reconnecting: its data stops at its last sync.");
    }
    if (sync::DataScope scope = sync::DataScopeOf(integration); !scope.account_id.empty()) {
      scopes.push_back(std::move(scope));
    }
    SL_ASSIGN_OR_RETURN(std::vector<sync::StreamRecord> streams, state.Streams(integration.id));
    for (std::string_view needed : info->streams) {
      auto it = std::find_if(streams.begin(), streams.end(),
                             [&](const sync::StreamRecord& s) { return s.stream == needed; });
      if (it == streams.end()) {
        if (integration.last_sync_at) {
          reasons.push_back(who + ": stream " + std::string(needed) + " was never synced.");
        }
      } else if (it->state != sync::StreamState::kSynced) {
        std::string why =
            who + ": stream " + it->stream + " is " + std::string(sync::Name(it->state));
        if (it->missing_permission) why += " (missing " + *it->missing_permission + ")";
        reasons.push_back(why + ".");
      }
    }
  }
  if (sources.empty()) reasons.push_back("The client has no integration.");
  SL_ASSIGN_OR_RETURN(answer.result,
                      engine_.Compute(request.metric, scopes, period, request.options));
  answer.approximate_reasons = std::move(reasons);
  for (const std::string& r : answer.result.approximate_reasons) {
    answer.approximate_reasons.push_back(r);
  }
  return answer;
}

Result<std::vector<Widget>> MetricsService::Dashboard(const access::Actor& actor,
                                                      const std::string& client_id) {
  SL_RETURN_IF_ERROR(clients_.Get(actor, client_id).status());
  return repository_.Widgets(client_id);
}

Result<std::vector<Widget>> MetricsService::SaveDashboard(const access::Actor& actor,
                                                          const std::string& client_id,
                                                          std::vector<Widget> widgets) {
  SL_RETURN_IF_ERROR(clients_.Get(actor, client_id).status());
  SL_RETURN_IF_ERROR(access::RequireMember(actor, "change a dashboard"));
  if (widgets.size() > kMaxWidgets) {
    return Status::InvalidArgument(
        "A dashboard has at most " + std::to_string(kMaxWidgets) + " widgets.", "invalid_field");
  }
  SL_ASSIGN_OR_RETURN(std::vector<store::Integration> integrations,
                      integrations_.List(actor, client_id));
  std::set<std::string> ids;
  for (Widget& w : widgets) {
    if (FindMetric(w.metric) == nullptr) {
      return Status::InvalidArgument(
          "Unknown metric '" + w.metric + "'; metrics: " + MetricNames(), "invalid_field");
    }
    if (w.integration_id &&
        std::none_of(integrations.begin(), integrations.end(),
                     [&](const store::Integration& i) { return i.id == *w.integration_id; })) {
      return Status::InvalidArgument(
          "Integration '" + *w.integration_id + "' is not one of this client's.",
          "invalid_field");
    }
    if (w.title.size() > 200) {
      return Status::InvalidArgument("A widget's title has at most 200 characters.",
                                     "invalid_field");
    }
    if (w.id.empty()) w.id = NewId("wgt");
    if (!ids.insert(w.id).second) {
      return Status::InvalidArgument("Widget id '" + w.id + "' appears twice.", "invalid_field");
    }
  }
  SL_RETURN_IF_ERROR(repository_.ReplaceWidgets(client_id, widgets));
  return widgets;
}

Status MetricsService::ExportDashboardCsv(const access::Actor& actor, const std::string& client_id,
                                          const std::string& from, const std::string& to,
                                          const std::string& interval, const std::string& tz,
                                          std::ostream& out) {
  SL_ASSIGN_OR_RETURN(std::vector<Widget> widgets, Dashboard(actor, client_id));
  // Every answer first, so a failing widget leaves no half-written file.
  std::vector<MetricAnswer> answers;
  for (const Widget& w : widgets) {
    MetricRequest request{.metric = w.metric, .from = from, .to = to, .interval = interval,
                          .tz = tz};
    if (w.integration_id) {
      request.integration_id = w.integration_id;
    } else {
      request.client_id = client_id;
    }
    SL_ASSIGN_OR_RETURN(MetricAnswer answer, Compute(actor, request));
    answers.push_back(std::move(answer));
  }
  out << "widget_id,title,metric,integration_id,currency,period,value\r\n";
  for (size_t i = 0; i < widgets.size(); ++i) {
    const Widget& w = widgets[i];
    const MetricInfo& info = *FindMetric(w.metric);
    for (const CurrencyValues& v : answers[i].result.values) {
      const std::string prefix = CsvText(w.id) + "," + CsvText(w.title) + "," + w.metric + "," +
                                 CsvText(w.integration_id.value_or("")) + "," + v.currency + ",";
      out << prefix << "total," << CsvValue(MetricValueJson(info, v.total)) << "\r\n";
      out << prefix << "previous_total," << CsvValue(MetricValueJson(info, v.previous_total))
          << "\r\n";
      for (const SeriesPoint& p : v.series) {
        out << prefix << FormatIsoDate(p.start_day) << "," << CsvValue(MetricValueJson(info, p.value))
            << "\r\n";
      }
    }
  }
  return Status::OK();
}

}  // namespace stripeline::reports
