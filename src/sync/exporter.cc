#include "sync/exporter.h"

#include <charconv>
#include <variant>

#include "common/csv.h"

namespace stripeline::sync {

namespace {

// One CSV cell: numbers as they are, text (from Stripe: names, descriptions, ids) through
// CsvText, so a customer named "=HYPERLINK(...)" stays text in a spreadsheet.
std::string CsvCell(const store::Row& row, size_t i) {
  if (row.IsNull(i)) return "";
  const store::Value& v = row.at(i);
  if (std::holds_alternative<double>(v)) {
    // The shortest text that reads back as the same double, in plain notation ("5", "0.25"):
    // JSON serialisation would write 5.0 as "5E0", which spreadsheets do not read as 5.
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, std::get<double>(v),
                                   std::chars_format::fixed);
    return ec == std::errc() ? std::string(buffer, end) : std::to_string(std::get<double>(v));
  }
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  return CsvText(row.GetString(i));
}

}  // namespace

Status Exporter::Export(const DataScope& scope, const StreamSpec& stream,
                        ExportFormat format, std::ostream& out) {
  const std::vector<std::string> columns = SyncedData::ExportColumns(stream);
  SL_ASSIGN_OR_RETURN(store::Rows rows, data_.ExportRows(stream, scope));
  if (format == ExportFormat::kJsonLines) {
    for (const store::Row& row : rows) out << row.GetString(0) << '\n';
  } else {
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i];
    out << "\r\n";
    for (const store::Row& row : rows) {
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i) out << ',';
        out << CsvCell(row, i + 1);
      }
      out << "\r\n";
    }
  }
  if (!out) return Status::Internal("Writing the export failed", "export_failed");
  return Status::OK();
}

}  // namespace stripeline::sync
