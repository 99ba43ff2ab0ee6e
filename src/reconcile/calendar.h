#pragma once
// Calendar days as reconciliation uses them: invoice due dates and bank booking dates are
// dates without a time (std::chrono::year_month_day), parsed from the formats bookkeeping files
// use, and the business days of the bank-matching window (Monday to Friday; public holidays are
// not known, so a window that spans one is a day shorter than the bank's). Pure functions;
// thread-safe.

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace stripeline::reconcile {

using Date = std::chrono::year_month_day;

// How a file writes its dates. kAuto takes each text as it comes: "2024-03-31" or "31.03.2024".
enum class DateFormat { kAuto, kIso, kGerman };
std::string_view Name(DateFormat format);  // "auto", "YYYY-MM-DD", "DD.MM.YYYY"
Result<DateFormat> ParseDateFormat(std::string_view name);

// `text` (surrounding spaces ignored) in `format`; the error quotes the text and says which
// format was expected: `"31.02.2024" is not a date (DD.MM.YYYY)`.
Result<Date> ParseDate(std::string_view text, DateFormat format);

// "2024-03-31".
std::string FormatDate(Date date);

// The UTC calendar day of an instant (Stripe's `created`, `arrival_date`).
Date DayOf(std::chrono::sys_seconds instant);

bool IsBusinessDay(Date date);
// `date` moved by `business_days` business days (negative: backwards). From a weekend day the
// first step lands on the next (previous) business day.
Date AddBusinessDays(Date date, int business_days);
// Whole days from `from` to `to` (negative when `to` is earlier).
int DaysBetween(Date from, Date to);

}  // namespace stripeline::reconcile
