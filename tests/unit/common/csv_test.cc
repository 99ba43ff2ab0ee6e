// CsvText: RFC 4180 quoting and neutralised formulas (OWASP's CSV injection rule).
#include "common/csv.h"

#include <gtest/gtest.h>

namespace stripeline {
namespace {

TEST(CsvText, PlainTextIsWrittenAsItIs) {
  EXPECT_EQ(CsvText(""), "");
  EXPECT_EQ(CsvText("Acme Ltd"), "Acme Ltd");
  EXPECT_EQ(CsvText("ch_3Nx"), "ch_3Nx");
}

TEST(CsvText, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvText("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvText("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvText("two\nlines"), "\"two\nlines\"");
}

TEST(CsvText, TextThatASpreadsheetWouldRunAsAFormulaIsNeutralised) {
  EXPECT_EQ(CsvText("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(CsvText("+1+1"), "'+1+1");
  EXPECT_EQ(CsvText("-2+3"), "'-2+3");
  EXPECT_EQ(CsvText("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvText("\tcmd"), "'\tcmd");
  EXPECT_EQ(CsvText("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(CsvText("a=1"), "a=1");  // only a leading character starts a formula
}

}  // namespace
}  // namespace stripeline
