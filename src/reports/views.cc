#include "reports/views.h"

#include <boost/json.hpp>

#include <cmath>

namespace stripeline::reports {

namespace json = boost::json;

json::value MetricValueJson(const MetricInfo& info, const std::optional<double>& value) {
  if (!value) return nullptr;
  if (info.unit == MetricUnit::kRate) return *value;
  return static_cast<int64_t>(std::llround(*value));
}

json::object MetricAnswerJson(const MetricAnswer& answer) {
  const MetricResult& r = answer.result;
  const MetricInfo& info = *FindMetric(r.metric);
  json::array values;
  for (const CurrencyValues& v : r.values) {
    json::array series;
    for (const SeriesPoint& p : v.series) {
      series.push_back({{"start", FormatIsoDate(p.start_day)},
                        {"value", MetricValueJson(info, p.value)}});
    }
    json::object entry{{"currency", v.currency.empty() ? json::value(nullptr)
                                                        : json::value(v.currency)},
                       {"total", MetricValueJson(info, v.total)},
                       {"previous_total", MetricValueJson(info, v.previous_total)},
                       {"series", std::move(series)}};
    if (v.count) {
      entry["count"] = *v.count;
      json::object statuses;
      for (const auto& [status, amount_count] : v.by_status) {
        statuses[status] = {{"total", amount_count.first}, {"count", amount_count.second}};
      }
      entry["by_status"] = std::move(statuses);
    }
    values.push_back(std::move(entry));
  }
  json::array reasons, sources;
  for (const std::string& reason : answer.approximate_reasons) reasons.push_back(json::string(reason));
  for (const MetricSource& s : answer.sources) {
    sources.push_back({{"integration", s.integration_id},
                       {"name", s.name},
                       {"health", store::HealthName(s.health)},
                       {"health_reason", s.health_reason},
                       {"last_sync_at", s.last_sync_at ? json::value(*s.last_sync_at)
                                                       : json::value(nullptr)}});
  }
  const SubscriptionRules& rules = r.options.subscriptions;
  return {{"metric", r.metric},
          {"from", FormatIsoDate(r.period.from_day)},
          {"to", FormatIsoDate(r.period.to_day)},
          {"interval", IntervalName(r.period.interval)},
          {"tz", r.period.tz},
          {"as_of", answer.as_of ? json::value(*answer.as_of) : json::value(nullptr)},
          {"approximate", answer.approximate()},
          {"approximate_reasons", std::move(reasons)},
          {"options",
           {{"discounts", rules.subtract_discounts ? "subtract" : "ignore"},
            {"past_due", rules.count_past_due ? "include" : "exclude"},
            {"trials", rules.count_trials ? "include" : "exclude"},
            {"churn_window_days", r.options.churn_window_days}}},
          {"sources", std::move(sources)},
          {"values", std::move(values)}};
}

json::object MetricInfoJson(const MetricInfo& info) {
  json::array streams;
  for (std::string_view stream : info.streams) streams.push_back(json::string(stream));
  const char* unit = info.unit == MetricUnit::kAmount  ? "amount"
                     : info.unit == MetricUnit::kCount ? "count"
                                                       : "rate";
  return {{"name", info.name},
          {"title", info.title},
          {"unit", unit},
          {"at_instant", info.at_instant},
          {"streams", std::move(streams)},
          {"definition", info.definition}};
}

json::object WidgetJson(const Widget& w) {
  boost::system::error_code ec;
  json::value options = json::parse(w.options_json, ec);
  if (ec || !options.is_object()) options = json::object{};
  return {{"id", w.id},
          {"metric", w.metric},
          {"integration", w.integration_id ? json::value(*w.integration_id) : json::value(nullptr)},
          {"kind", WidgetKindName(w.kind)},
          {"title", w.title},
          {"options", std::move(options)}};
}

Result<Widget> WidgetFromJson(const json::value& value) {
  auto bad = [](const std::string& what) {
    return Status::InvalidArgument("Each widget " + what + ".", "invalid_field");
  };
  if (!value.is_object()) return bad("must be an object");
  const json::object& o = value.get_object();
  for (const auto& field : o) {
    const std::string_view key = field.key();
    if (key != "id" && key != "metric" && key != "integration" && key != "kind" &&
        key != "title" && key != "options") {
      return bad("has only id, metric, integration, kind, title and options, not '" +
                 std::string(key) + "'");
    }
  }
  Widget w;
  auto text = [&](std::string_view key, std::string& out, bool required) -> Status {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
      return required ? bad("needs a " + std::string(key)) : Status::OK();
    }
    if (!v->is_string()) return bad("'s " + std::string(key) + " must be a string");
    out = std::string(v->get_string());
    return Status::OK();
  };
  SL_RETURN_IF_ERROR(text("id", w.id, false));
  SL_RETURN_IF_ERROR(text("metric", w.metric, true));
  std::string kind(WidgetKindName(w.kind));
  SL_RETURN_IF_ERROR(text("kind", kind, false));
  std::optional<WidgetKind> parsed = ParseWidgetKind(kind);
  if (!parsed) {
    return Status::InvalidArgument("A widget's kind is number, chart or table.", "invalid_field");
  }
  w.kind = *parsed;
  SL_RETURN_IF_ERROR(text("title", w.title, false));
  std::string integration;
  SL_RETURN_IF_ERROR(text("integration", integration, false));
  if (!integration.empty()) w.integration_id = integration;
  if (const json::value* options = o.if_contains("options"); options && !options->is_null()) {
    if (!options->is_object()) return bad("'s options must be an object");
    w.options_json = json::serialize(*options);
  }
  return w;
}

boost::json::object DashboardJson(const std::string& client_id,
                                  const std::vector<Widget>& widgets) {
  boost::json::array list;
  for (const Widget& widget : widgets) list.push_back(WidgetJson(widget));
  return {{"client", client_id}, {"widgets", std::move(list)}};
}

}  // namespace stripeline::reports
