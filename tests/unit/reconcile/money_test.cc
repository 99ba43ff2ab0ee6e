// Amounts and dates as bookkeeping files write them.
#include "reconcile/money.h"

#include <gtest/gtest.h>

#include "reconcile/calendar.h"

namespace stripeline::reconcile {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

TEST(ParseAmount, ReadsBothDecimalMarksWithThousandsSeparators) {
  EXPECT_EQ(*ParseAmount("1.234,56", DecimalMark::kComma, "EUR"), 123456);
  EXPECT_EQ(*ParseAmount("1,234.56", DecimalMark::kPoint, "USD"), 123456);
  EXPECT_EQ(*ParseAmount(" -103,95 ", DecimalMark::kComma, "EUR"), -10395);
  EXPECT_EQ(*ParseAmount("+12,5", DecimalMark::kComma, "EUR"), 1250);
  EXPECT_EQ(*ParseAmount("1 234 567", DecimalMark::kComma, "EUR"), 123456700);
  EXPECT_EQ(*ParseAmount("500", DecimalMark::kPoint, "JPY"), 500);
  EXPECT_EQ(*ParseAmount("0.00", DecimalMark::kPoint, "EUR"), 0);
}

TEST(ParseAmount, SaysWhatIsWrongWithTheText) {
  EXPECT_EQ(ParseAmount("1.234,5x", DecimalMark::kComma, "EUR").status().message(),
            "\"1.234,5x\" is not a number");
  EXPECT_EQ(ParseAmount("12.34", DecimalMark::kComma, "EUR").status().message(),
            "\"12.34\" is not a number");  // a point in a comma file is not a decimal
  EXPECT_EQ(ParseAmount("1,234", DecimalMark::kComma, "EUR").status().message(),
            "\"1,234\" has 3 decimals, EUR has 2");
  EXPECT_EQ(ParseAmount("5.5", DecimalMark::kPoint, "JPY").status().message(),
            "\"5.5\" has 1 decimals, JPY has 0");
  for (const char* text : {"", "-", "1,", ",5", "1..234", "12.3456,00", "99999999999999999999"}) {
    EXPECT_FALSE(ParseAmount(text, DecimalMark::kComma, "EUR").ok()) << text;
  }
}

TEST(FormatAmount, WritesTheCurrencysDecimals) {
  EXPECT_EQ(FormatAmount(10395, "EUR"), "103.95");
  EXPECT_EQ(FormatAmount(-5, "EUR"), "-0.05");
  EXPECT_EQ(FormatAmount(-5, "JPY"), "-5");
  EXPECT_EQ(FormatAmount(1234, "KWD"), "1.234");
}

TEST(ParseCurrency, UpperCasesThreeLetters) {
  EXPECT_EQ(*ParseCurrency(" eur "), "EUR");
  EXPECT_EQ(ParseCurrency("EURO").status().message(),
            "\"EURO\" is not a currency (three letters, e.g. EUR)");
}

TEST(ParseDate, ReadsIsoAndGermanDatesAndNamesTheExpectedFormat) {
  const Date expected{year(2024), month(2), day(29)};
  EXPECT_EQ(*ParseDate("2024-02-29", DateFormat::kAuto), expected);
  EXPECT_EQ(*ParseDate("29.02.2024", DateFormat::kAuto), expected);
  EXPECT_EQ(*ParseDate("29.02.2024", DateFormat::kGerman), expected);
  EXPECT_EQ(ParseDate("29.02.2023", DateFormat::kGerman).status().message(),
            "\"29.02.2023\" is not a date (DD.MM.YYYY)");
  EXPECT_EQ(ParseDate("2024-02-29", DateFormat::kGerman).status().message(),
            "\"2024-02-29\" is not a date (DD.MM.YYYY)");
  EXPECT_EQ(ParseDate("2/29/2024", DateFormat::kAuto).status().message(),
            "\"2/29/2024\" is not a date (YYYY-MM-DD or DD.MM.YYYY)");
}

TEST(AddBusinessDays, SkipsWeekends) {
  const Date friday{year(2024), month(3), day(1)};
  const Date monday{year(2024), month(3), day(4)};
  EXPECT_EQ(AddBusinessDays(friday, 1), monday);
  EXPECT_EQ(AddBusinessDays(monday, -1), friday);
  EXPECT_EQ(AddBusinessDays(friday, 3), (Date{year(2024), month(3), day(6)}));
  EXPECT_EQ(AddBusinessDays(Date{year(2024), month(3), day(2)}, 1), monday);  // a Saturday
  EXPECT_EQ(DaysBetween(friday, monday), 3);
  EXPECT_FALSE(IsBusinessDay(Date{year(2024), month(3), day(3)}));
}

}  // namespace
}  // namespace stripeline::reconcile
