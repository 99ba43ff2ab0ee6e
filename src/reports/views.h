#pragma once
// JSON views of metric answers and dashboards, shared by the REST API and the CLI so both give
// the same numbers in the same shape (docs/openapi.yaml, MetricAnswer / Dashboard).

#include <boost/json/object.hpp>

#include "common/result.h"
#include "reports/metrics_service.h"

namespace stripeline::reports {

// {"metric","from","to","interval","tz","as_of","approximate","approximate_reasons","options",
//  "sources","values":[{"currency","total","previous_total","series":[{"start","value"}]}]}.
// Amounts and counts are integers, rates numbers, undefined values null; currency is null for
// metrics that are not per currency.
boost::json::object MetricAnswerJson(const MetricAnswer& answer);

// A value as the API shows it: an integer for amounts and counts, null when undefined.
boost::json::value MetricValueJson(const MetricInfo& info, const std::optional<double>& value);

// {"name","title","unit":"amount"|"count"|"rate","at_instant","streams","definition"}: the
// catalog entry of a metric (GET /api/v1/metrics), so clients need no list of their own.
boost::json::object MetricInfoJson(const MetricInfo& info);

boost::json::object WidgetJson(const Widget& widget);
// {"client","widgets":[...]}: a client's dashboard.
boost::json::object DashboardJson(const std::string& client_id, const std::vector<Widget>& widgets);
// A widget from the API's JSON; InvalidArgument (invalid_field) for a malformed one.
Result<Widget> WidgetFromJson(const boost::json::value& json);

}  // namespace stripeline::reports
