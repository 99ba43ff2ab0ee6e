// `stripeline metrics METRIC`: the numbers of GET /api/v1/metrics/{metric}, from the same
// MetricsService and JSON view (--json prints exactly the API's answer). Acts as the local
// operator, like every command on a data directory.
#include <boost/json.hpp>

#include <iostream>

#include "cli/cli.h"
#include "cli/output.h"
#include "common/clock.h"
#include "reports/metrics_service.h"
#include "reports/views.h"

namespace stripeline::cli {

namespace {

struct MetricsOptions {
  CommonOptions common;
  std::string metric, integration, client, from, to, interval = "day", tz = "UTC";
  std::string discounts = "subtract", past_due = "include", trials = "exclude";
  int churn_window_days = 30;
};

std::string Cell(const boost::json::value& v) {
  if (v.is_null()) return "-";
  if (v.is_double()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4f", v.get_double());
    return buffer;
  }
  return boost::json::serialize(v);
}

void PrintAnswer(const boost::json::object& answer) {
  std::cout << answer.at("metric").as_string() << " " << answer.at("from").as_string() << " .. "
            << answer.at("to").as_string() << " (to exclusive), by "
            << answer.at("interval").as_string() << ", " << answer.at("tz").as_string() << "\n";
  const boost::json::value& as_of = answer.at("as_of");
  std::cout << "as of: " << (as_of.is_null() ? "never synced" : FormatUnixTime(as_of.as_int64()))
            << "\n";
  for (const boost::json::value& reason : answer.at("approximate_reasons").as_array()) {
    std::cout << "approximate: " << reason.as_string() << "\n";
  }
  for (const boost::json::value& v : answer.at("values").as_array()) {
    const boost::json::object& entry = v.as_object();
    const std::string currency =
        entry.at("currency").is_null() ? "" : std::string(entry.at("currency").as_string());
    std::cout << "\n" << (currency.empty() ? "all currencies" : currency)
              << ": total " << Cell(entry.at("total")) << ", previous period "
              << Cell(entry.at("previous_total")) << "\n";
    std::vector<std::vector<std::string>> rows;
    for (const boost::json::value& p : entry.at("series").as_array()) {
      rows.push_back({std::string(p.at("start").as_string()), Cell(p.at("value"))});
    }
    PrintTable({"START", "VALUE"}, rows);
  }
  if (answer.at("values").as_array().empty()) std::cout << "\nno data\n";
}

}  // namespace

void AddMetricsCommands(CLI::App& app) {
  auto options = std::make_shared<MetricsOptions>();
  auto* command = app.add_subcommand(
      "metrics", "A metric of an integration or a whole client over [from, to): total, "
                 "previous period and series (the numbers of GET /api/v1/metrics/{metric})");
  AddCommonOptions(*command, options->common);
  command->add_option("metric", options->metric, "One of: " + reports::MetricNames())
      ->required();
  auto* integration =
      command->add_option("--integration", options->integration, "Integration id");
  auto* client = command->add_option("--client", options->client, "Client id (all its integrations)");
  integration->excludes(client);
  command->add_option("--from", options->from, "First date, YYYY-MM-DD")->required();
  command->add_option("--to", options->to, "Date after the last, YYYY-MM-DD (exclusive)")
      ->required();
  command->add_option("--interval", options->interval, "day, week or month")
      ->capture_default_str();
  command->add_option("--tz", options->tz, "Time zone of the dates (tz database name)")
      ->capture_default_str();
  command->add_option("--discounts", options->discounts, "subtract or ignore (MRR)")
      ->capture_default_str();
  command->add_option("--past-due", options->past_due, "include or exclude (MRR)")
      ->capture_default_str();
  command->add_option("--trials", options->trials, "exclude or include (MRR)")
      ->capture_default_str();
  command->add_option("--churn-window-days", options->churn_window_days,
                      "Churn window ending at each point (churn, LTV)")
      ->capture_default_str();
  OnRun(command, options->common, [options](Runtime& runtime) -> Status {
    if (options->integration.empty() == options->client.empty()) {
      return Status::InvalidArgument("Give exactly one of --integration and --client.",
                                     "invalid_field");
    }
    reports::MetricRequest request{.metric = options->metric,
                                   .from = options->from,
                                   .to = options->to,
                                   .interval = options->interval,
                                   .tz = options->tz};
    if (!options->integration.empty()) request.integration_id = options->integration;
    if (!options->client.empty()) request.client_id = options->client;
    const std::string churn_days = std::to_string(options->churn_window_days);
    SL_ASSIGN_OR_RETURN(request.options,
                        reports::ParseMetricOptions(
                            [&](std::string_view name) -> std::optional<std::string> {
                              if (name == "discounts") return options->discounts;
                              if (name == "past_due") return options->past_due;
                              if (name == "trials") return options->trials;
                              if (name == "churn_window_days") return churn_days;
                              return std::nullopt;
                            }));
    reports::MetricsService& service = runtime.metrics();
    SL_ASSIGN_OR_RETURN(reports::MetricAnswer answer,
                        service.Compute(access::Actor::LocalOperator(), request));
    boost::json::object json = reports::MetricAnswerJson(answer);
    if (options->common.json) {
      PrintJson(json);
    } else {
      PrintAnswer(json);
    }
    return Status::OK();
  });
}

}  // namespace stripeline::cli
