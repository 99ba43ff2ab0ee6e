#include "reports/time_range.h"

#include <date/date.h>
#include <date/tz.h>

#include <charconv>
#include <stdexcept>

namespace stripeline::reports {

namespace {

using date::days;
using date::sys_days;

const date::time_zone* FindZone(std::string_view tz) {
  try {
    return date::locate_zone(std::string(tz));
  } catch (const std::exception&) {
    return nullptr;
  }
}

int64_t Midnight(const date::time_zone& zone, int64_t day) {
  date::local_seconds local{date::local_days{days{day}}};
  date::local_info info = zone.get_info(local);
  switch (info.result) {
    case date::local_info::unique:
      return (local.time_since_epoch() - info.first.offset).count();
    case date::local_info::ambiguous:  // the earlier of the two
      return (local.time_since_epoch() - info.first.offset).count();
    case date::local_info::nonexistent:  // midnight skipped: the day starts when the gap ends
      return info.first.end.time_since_epoch().count();
  }
  return (local.time_since_epoch() - info.first.offset).count();
}

int64_t NextBoundary(Interval interval, int64_t day) {
  switch (interval) {
    case Interval::kDay:
      return day + 1;
    case Interval::kWeek: {
      date::weekday wd{sys_days{days{day}}};
      // ISO weeks start on Monday: days until the next Monday (1..7).
      int64_t to_monday = (8 - static_cast<int64_t>(wd.iso_encoding())) % 7;
      return day + (to_monday == 0 ? 7 : to_monday);
    }
    case Interval::kMonth: {
      date::year_month_day ymd{sys_days{days{day}}};
      date::year_month next = date::year_month{ymd.year(), ymd.month()} + date::months{1};
      return sys_days{next / 1}.time_since_epoch().count();
    }
  }
  return day + 1;
}

}  // namespace

std::string_view IntervalName(Interval interval) {
  switch (interval) {
    case Interval::kDay:
      return "day";
    case Interval::kWeek:
      return "week";
    case Interval::kMonth:
      return "month";
  }
  return "day";
}

Result<Interval> ParseInterval(std::string_view name) {
  if (name == "day") return Interval::kDay;
  if (name == "week") return Interval::kWeek;
  if (name == "month") return Interval::kMonth;
  return Status::InvalidArgument("interval must be day, week or month.", "invalid_field");
}

Result<int64_t> ParseIsoDate(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return Status::InvalidArgument(std::string(field) + " must be a date YYYY-MM-DD, got '" +
                                       std::string(text) + "'.",
                                   "invalid_field");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int y = 0;
  unsigned m = 0, d = 0;
  auto number = [&](std::string_view part, auto& out) {
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && end == part.data() + part.size();
  };
  if (!number(text.substr(0, 4), y) || !number(text.substr(5, 2), m) ||
      !number(text.substr(8, 2), d)) {
    return bad();
  }
  date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  if (!ymd.ok()) return bad();
  return static_cast<int64_t>(sys_days{ymd}.time_since_epoch().count());
}

std::string FormatIsoDate(int64_t day) {
  return date::format("%F", sys_days{days{day}});
}

int64_t LocalMidnight(std::string_view tz, int64_t day) {
  const date::time_zone* zone = FindZone(tz);
  return zone == nullptr ? day * 86400 : Midnight(*zone, day);
}

std::vector<OffsetSpan> Offsets(std::string_view tz, int64_t from, int64_t to) {
  std::vector<OffsetSpan> spans;
  const date::time_zone* zone = FindZone(tz);
  if (zone == nullptr) return {{from, to, 0}};
  for (int64_t t = from; t < to;) {
    date::sys_info info = zone->get_info(date::sys_seconds{std::chrono::seconds{t}});
    const int64_t end = std::min<int64_t>(to, info.end.time_since_epoch().count());
    spans.push_back({t, end, info.offset.count()});
    t = end;
  }
  return spans;
}

Result<ReportPeriod> MakePeriod(std::string_view from, std::string_view to,
                                std::string_view interval, std::string_view tz) {
  ReportPeriod period;
  SL_ASSIGN_OR_RETURN(period.from_day, ParseIsoDate(from, "from"));
  SL_ASSIGN_OR_RETURN(period.to_day, ParseIsoDate(to, "to"));
  SL_ASSIGN_OR_RETURN(period.interval, ParseInterval(interval));
  if (period.from_day >= period.to_day) {
    return Status::InvalidArgument("from must be before to (to is exclusive).", "invalid_field");
  }
  if (period.to_day - period.from_day > kMaxReportDays) {
    return Status::InvalidArgument(
        "A report covers at most " + std::to_string(kMaxReportDays) + " days.", "invalid_field");
  }
  const date::time_zone* zone = FindZone(tz);
  if (zone == nullptr) {
    return Status::InvalidArgument(
        "Unknown time zone '" + std::string(tz) + "' (use a tz database name: UTC, Europe/Berlin).",
        "invalid_field");
  }
  period.tz = std::string(tz);
  period.from = Midnight(*zone, period.from_day);
  period.to = Midnight(*zone, period.to_day);
  const int64_t length = period.to_day - period.from_day;
  period.previous_from = Midnight(*zone, period.from_day - length);
  period.previous_to = period.from;
  for (int64_t day = period.from_day; day < period.to_day;) {
    int64_t next = std::min(NextBoundary(period.interval, day), period.to_day);
    period.buckets.push_back(
        {.start_day = day, .end_day = next, .start = Midnight(*zone, day),
         .end = next == period.to_day ? period.to : Midnight(*zone, next)});
    day = next;
  }
  return period;
}

}  // namespace stripeline::reports
