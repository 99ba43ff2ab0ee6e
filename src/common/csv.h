#pragma once
// CSV cells, for every CSV file Stripeline writes (exports, dashboards, reports): RFC 4180
// quoting, and text that a spreadsheet cannot mistake for a formula. Pure functions;
// thread-safe.

#include <string>
#include <string_view>

namespace stripeline {

// A cell of text that came from people or from Stripe (names, titles, ids, descriptions).
// Quoted ("...", inner quotes doubled) when it holds a comma, quote, CR or LF. Text starting
// with = + - @, a tab or a CR would run as a formula when the file is opened in a spreadsheet
// (CSV injection): it gets a leading ' as OWASP advises, so it shows as the text it is.
// Numbers the program formats itself are written as they are, not through this function:
// "-5" is then a number, not text to neutralise.
std::string CsvText(std::string_view text);

}  // namespace stripeline
