// /api/v1/metrics (the catalog), /api/v1/metrics/{metric} and /api/v1/clients/{id}/dashboard...: metrics over the synced data,
// the clients' dashboards and their CSV export. The rules are MetricsService's
// (reports/metrics_service.h); the JSON shapes are reports/views.h's, shared with the CLI.
#include <boost/json.hpp>

#include <sstream>

#include "http/api.h"
#include "http/request_bodies.h"
#include "reports/views.h"

namespace stripeline::http {

namespace {

// A query parameter; an empty one counts as absent.
std::optional<std::string> Param(const HttpRequest& request, std::string_view name) {
  std::optional<std::string> value = request.Query(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

std::string ParamOr(const HttpRequest& request, std::string_view name, std::string fallback) {
  return Param(request, name).value_or(std::move(fallback));
}

Result<std::string> RequiredParam(const HttpRequest& request, std::string_view name) {
  std::optional<std::string> value = Param(request, name);
  if (!value) {
    return Status::InvalidArgument(std::string(name) + " is required (YYYY-MM-DD).",
                                   "invalid_field");
  }
  return *value;
}

}  // namespace

void RegisterMetricsRoutes(ApiRoutes& routes) {
  reports::MetricsService* service = &routes.services().metrics;

  routes.Authenticated("GET", "/api/v1/metrics", [](const Call&) -> Result<HttpResponse> {
    boost::json::array data;
    for (const reports::MetricInfo& info : reports::Metrics()) {
      data.push_back(reports::MetricInfoJson(info));
    }
    return JsonAnswer(200, {{"data", std::move(data)}});
  });

  routes.Authenticated(
      "GET", "/api/v1/metrics/{metric}", [service](const Call& call) -> Result<HttpResponse> {
        const HttpRequest& q = call.request;
        reports::MetricRequest request{.metric = call.Param("metric"),
                                       .integration_id = Param(q, "integration"),
                                       .client_id = Param(q, "client"),
                                       .interval = ParamOr(q, "interval", "day"),
                                       .tz = ParamOr(q, "tz", "UTC")};
        SL_ASSIGN_OR_RETURN(request.from, RequiredParam(q, "from"));
        SL_ASSIGN_OR_RETURN(request.to, RequiredParam(q, "to"));
        SL_ASSIGN_OR_RETURN(request.options, reports::ParseMetricOptions(
                                                 [&q](std::string_view n) { return Param(q, n); }));
        SL_ASSIGN_OR_RETURN(reports::MetricAnswer answer, service->Compute(call.actor, request));
        return JsonAnswer(200, reports::MetricAnswerJson(answer));
      });

  routes.Authenticated("GET", "/api/v1/clients/{id}/dashboard",
                       [service](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(auto widgets,
                                             service->Dashboard(call.actor, call.Param("id")));
                         return JsonAnswer(200, reports::DashboardJson(call.Param("id"), widgets));
                       });

  routes.Authenticated(
      "PUT", "/api/v1/clients/{id}/dashboard",
      [service](const Call& call) -> Result<HttpResponse> {
        SL_ASSIGN_OR_RETURN(std::vector<reports::Widget> widgets, ReadDashboard(call.body));
        SL_ASSIGN_OR_RETURN(widgets,
                            service->SaveDashboard(call.actor, call.Param("id"), std::move(widgets)));
        boost::json::object answer = reports::DashboardJson(call.Param("id"), widgets);
        answer["message"] = "Dashboard saved";
        return JsonAnswer(200, std::move(answer));
      });

  routes.Authenticated(
      "GET", "/api/v1/clients/{id}/dashboard/export",
      [service](const Call& call) -> Result<HttpResponse> {
        const HttpRequest& q = call.request;
        SL_ASSIGN_OR_RETURN(std::string from, RequiredParam(q, "from"));
        SL_ASSIGN_OR_RETURN(std::string to, RequiredParam(q, "to"));
        std::ostringstream csv;
        SL_RETURN_IF_ERROR(service->ExportDashboardCsv(call.actor, call.Param("id"), from, to,
                                                       ParamOr(q, "interval", "day"),
                                                       ParamOr(q, "tz", "UTC"), csv));
        HttpResponse response = HttpResponse::Text(200, csv.str(), "text/csv; charset=utf-8");
        response.SetHeader("Content-Disposition",
                           "attachment; filename=\"dashboard-" + call.Param("id") + ".csv\"");
        return response;
      });
}

}  // namespace stripeline::http
