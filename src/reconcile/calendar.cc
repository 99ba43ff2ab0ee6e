#include "reconcile/calendar.h"

#include <cstdio>
#include <optional>

#include "common/text.h"

namespace stripeline::reconcile {
namespace {

// Reads exactly `width` digits at `at`; -1 when one is not a digit.
int Digits(std::string_view text, size_t at, size_t width) {
  if (at + width > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<Date> ParseIso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = Digits(text, 0, 4), m = Digits(text, 5, 2), d = Digits(text, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  Date date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  return date.ok() ? std::optional<Date>(date) : std::nullopt;
}

std::optional<Date> ParseGerman(std::string_view text) {
  if (text.size() != 10 || text[2] != '.' || text[5] != '.') return std::nullopt;
  int d = Digits(text, 0, 2), m = Digits(text, 3, 2), y = Digits(text, 6, 4);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  Date date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  return date.ok() ? std::optional<Date>(date) : std::nullopt;
}

}  // namespace

std::string_view Name(DateFormat format) {
  switch (format) {
    case DateFormat::kAuto: return "auto";
    case DateFormat::kIso: return "YYYY-MM-DD";
    case DateFormat::kGerman: return "DD.MM.YYYY";
  }
  return "auto";
}

Result<DateFormat> ParseDateFormat(std::string_view name) {
  for (DateFormat format : {DateFormat::kAuto, DateFormat::kIso, DateFormat::kGerman}) {
    if (name == Name(format)) return format;
  }
  return Status::InvalidArgument("date format \"" + std::string(name) +
                                 "\" is not one of auto, YYYY-MM-DD, DD.MM.YYYY");
}

Result<Date> ParseDate(std::string_view text, DateFormat format) {
  std::string_view trimmed = Trim(text);
  std::optional<Date> date;
  if (format != DateFormat::kGerman) date = ParseIso(trimmed);
  if (!date && format != DateFormat::kIso) date = ParseGerman(trimmed);
  if (date) return *date;
  std::string expected = format == DateFormat::kAuto ? "YYYY-MM-DD or DD.MM.YYYY"
                                                     : std::string(Name(format));
  return Status::InvalidArgument("\"" + std::string(text) + "\" is not a date (" + expected + ")");
}

std::string FormatDate(Date date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

Date DayOf(std::chrono::sys_seconds instant) {
  return Date{std::chrono::floor<std::chrono::days>(instant)};
}

bool IsBusinessDay(Date date) {
  std::chrono::weekday weekday{std::chrono::sys_days(date)};
  return weekday != std::chrono::Saturday && weekday != std::chrono::Sunday;
}

Date AddBusinessDays(Date date, int business_days) {
  std::chrono::sys_days day(date);
  const std::chrono::days step(business_days < 0 ? -1 : 1);
  for (int left = business_days < 0 ? -business_days : business_days; left > 0;) {
    day += step;
    if (IsBusinessDay(Date{day})) --left;
  }
  return Date{day};
}

int DaysBetween(Date from, Date to) {
  return static_cast<int>((std::chrono::sys_days(to) - std::chrono::sys_days(from)).count());
}

}  // namespace stripeline::reconcile
