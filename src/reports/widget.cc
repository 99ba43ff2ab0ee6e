#include "reports/widget.h"

namespace stripeline::reports {

std::string_view WidgetKindName(WidgetKind kind) {
  switch (kind) {
    case WidgetKind::kNumber:
      return "number";
    case WidgetKind::kChart:
      return "chart";
    case WidgetKind::kTable:
      return "table";
  }
  return "number";
}

std::optional<WidgetKind> ParseWidgetKind(std::string_view name) {
  for (WidgetKind kind : {WidgetKind::kNumber, WidgetKind::kChart, WidgetKind::kTable}) {
    if (WidgetKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

}  // namespace stripeline::reports
