#pragma once
// Report periods: a range of calendar dates [from, to) in a time zone of the system tz database
// (Debian tzdata, read through Howard Hinnant's date library, since GCC 12's <chrono> has no
// time zones), cut into day / week (ISO, Monday first) / month buckets, with the previous period
// of the same number of days for comparison. Each date starts at its local midnight, turned into
// a UTC instant (on a day whose midnight does not exist, at the first instant after the gap).
//
// Thread-safety: value types; the tz database is loaded once and read-only afterwards.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace stripeline::reports {

enum class Interval { kDay, kWeek, kMonth };

// "day" | "week" | "month".
std::string_view IntervalName(Interval interval);
Result<Interval> ParseInterval(std::string_view name);

// Days since 1970-01-01 of an ISO date "YYYY-MM-DD"; InvalidArgument for anything else.
Result<int64_t> ParseIsoDate(std::string_view text, std::string_view field);
// "YYYY-MM-DD" of days since 1970-01-01.
std::string FormatIsoDate(int64_t days);

// One bucket: dates [start_day, end_day) and the UTC instants of their local midnights.
struct Bucket {
  int64_t start_day = 0, end_day = 0;
  int64_t start = 0, end = 0;  // unix seconds
};

struct ReportPeriod {
  std::string tz;       // the zone's name as given ("Europe/Berlin", "UTC")
  Interval interval = Interval::kDay;
  int64_t from_day = 0, to_day = 0;  // dates [from, to)
  int64_t from = 0, to = 0;          // their UTC instants
  // The previous period: as many days, ending where this one starts.
  int64_t previous_from = 0, previous_to = 0;
  std::vector<Bucket> buckets;  // cover [from, to); the first and last may be partial
};

// Longest range a report covers (a daily series of it stays small enough to answer quickly).
inline constexpr int64_t kMaxReportDays = 3660;

// Builds the period; InvalidArgument (code invalid_field) for a bad date, from >= to, a range
// over kMaxReportDays days, an unknown interval or an unknown time zone.
Result<ReportPeriod> MakePeriod(std::string_view from, std::string_view to,
                                std::string_view interval, std::string_view tz);

// The UTC instant of the local midnight starting `day` in zone `tz` (already validated).
int64_t LocalMidnight(std::string_view tz, int64_t day);

// The zone's UTC offset over time between two instants: stretches [start, end) of one offset
// (seconds east of UTC), in order, covering [from, to).
struct OffsetSpan {
  int64_t start = 0, end = 0, offset = 0;
};
std::vector<OffsetSpan> Offsets(std::string_view tz, int64_t from, int64_t to);

}  // namespace stripeline::reports
