#pragma once
// Printing command results: a JSON document with --json, else text and aligned columns for
// people.
//
// The one rule of --json (README, "Commands"): a command prints one JSON document on stdout,
// the body the REST API answers for the same action, built from the same views: a list as
// {"data": [...]}; one object under its kind's name ({"integration": ...}, {"client": ...},
// with the API's "message" when the command changed something); a change that leaves no object
// as {"message": ...}; where the API answers a bare view (a connection check, a sync run, a
// verification, a metric, the Connect settings), that view. A failure prints the API's error
// body {"error": {"code", "message"}} instead (and the text on stderr); the exit status is
// non-zero. A command whose answer is itself a negative result (a failed connection check,
// differences found) prints that answer and exits non-zero without the error body.
//
// Not thread-safe: a command prints from its own thread.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace stripeline::cli {

// Prints `value` as the command's answer.
void PrintJson(const boost::json::value& value);
// Prints {"data": items}.
void PrintJsonList(boost::json::array items);
// With `json` {"message": message}, else the message as a line of text.
void PrintMessage(bool json, const std::string& message);
// Whether PrintJson printed the command's answer already (then a failure prints no error body).
bool AnswerPrinted();
// The error body of `status`, as the API answers it.
void PrintJsonError(const Status& status);

// Prints `rows` under `headers`, each column as wide as its widest cell.
void PrintTable(const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace stripeline::cli
