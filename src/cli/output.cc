#include "cli/output.h"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <iostream>

#include "http/status_mapping.h"

namespace stripeline::cli {
namespace {

// One command runs per process, so whether it printed its answer is the process's.
bool answer_printed = false;

}  // namespace

void PrintJson(const boost::json::value& value) {
  std::cout << boost::json::serialize(value) << std::endl;
  answer_printed = true;
}

void PrintJsonList(boost::json::array items) {
  PrintJson(boost::json::object{{"data", std::move(items)}});
}

void PrintMessage(bool json, const std::string& message) {
  if (json) {
    PrintJson(boost::json::object{{"message", message}});
  } else {
    std::cout << message << "\n";
  }
}

bool AnswerPrinted() { return answer_printed; }

void PrintJsonError(const Status& status) {
  std::cout << boost::json::serialize(http::ErrorJson(status.error_code(), status.message()))
            << std::endl;
}

void PrintTable(const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) widths[i] = headers[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      std::cout << cells[i];
      if (i + 1 < cells.size()) std::cout << std::string(widths[i] - cells[i].size() + 2, ' ');
    }
    std::cout << "\n";
  };
  print_row(headers);
  for (const auto& row : rows) print_row(row);
  if (rows.empty()) std::cout << "(none)\n";
  std::cout << std::flush;
}

}  // namespace stripeline::cli
