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
std::string FormatTime(int64_t unix_seconds);  // "2026-11-23 10:00 UTC", "-" for 0

}  // namespace stripeline::cli
