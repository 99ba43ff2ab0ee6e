#include "cli/output.h"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <iostream>

namespace stripeline::cli {

void PrintJson(const boost::json::value& value) {
  std::cout << boost::json::serialize(value) << std::endl;
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
