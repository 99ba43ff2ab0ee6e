#pragma once
// Printing command results: a JSON document with --json, else aligned columns for people.

#include <boost/json/value.hpp>
#include <string>
#include <vector>

namespace stripeline::cli {

void PrintJson(const boost::json::value& value);
// Prints `rows` under `headers`, each column as wide as its widest cell.
void PrintTable(const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace stripeline::cli
