#pragma once
// A dashboard widget: one metric of a client (or of one of its integrations) drawn as a number,
// a chart or a table. WidgetKind's names are those of the API's JSON and of the database
// (dashboard_widgets.kind); WidgetKindName / ParseWidgetKind are the only places that spell
// them, used by the row mapper (ReportRepository) and the JSON views (views.h).
//
// Thread-safety: plain values.

#include <optional>
#include <string>
#include <string_view>

namespace stripeline::reports {

enum class WidgetKind { kNumber, kChart, kTable };

// "number", "chart", "table".
std::string_view WidgetKindName(WidgetKind kind);
// The kind named `name`; nullopt for any other text.
std::optional<WidgetKind> ParseWidgetKind(std::string_view name);

struct Widget {
  std::string id;  // "wgt_..."; given ids are kept, new widgets get one
  std::string metric;
  std::optional<std::string> integration_id;  // none: the whole client
  WidgetKind kind = WidgetKind::kNumber;
  std::string title;
  std::string options_json = "{}";  // a JSON object for the front end (chart type, ...)
};

}  // namespace stripeline::reports
