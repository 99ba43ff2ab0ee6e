// The CSV machinery the invoice and bank readers share.
#include "reconcile/delimited_table.h"

#include <gtest/gtest.h>

namespace stripeline::reconcile {
namespace {

TEST(DecodeText, TakesUtf8AsItIsAndLatin1ThroughIconv) {
  EXPECT_EQ(*DecodeText("M\xC3\xBCller", Charset::kAuto), "Müller");
  EXPECT_EQ(*DecodeText("\xEF\xBB\xBFM\xC3\xBCller", Charset::kAuto), "Müller");  // BOM dropped
  EXPECT_EQ(*DecodeText("M\xFCller", Charset::kAuto), "Müller");
  EXPECT_EQ(*DecodeText("M\xFCller", Charset::kLatin1), "Müller");
  EXPECT_EQ(*DecodeText("5 \x80", Charset::kWindows1252), "5 €");
  EXPECT_EQ(*DecodeText("5 \x80", Charset::kAuto), "5 €");
}

TEST(DecodeText, NamesTheLineOfBytesThatAreNotTheCharset) {
  EXPECT_EQ(DecodeText("a\nb\nM\xFCller", Charset::kUtf8).status().message(),
            "line 3: not valid UTF-8 (is the file Latin-1?)");
  EXPECT_EQ(DecodeText("a\n\x81", Charset::kWindows1252).status().message(),
            "line 2: byte 0x81 is not a character of WINDOWS-1252");
}

TEST(DelimitedTable, DetectsTheSeparatorAndReadsRfc4180Quoting) {
  Result<DelimitedTable> table = DelimitedTable::Parse(
      "a;b;c\r\n1;\"x;y\";\"say \"\"hi\"\"\"\r\n2;\"two\r\nlines\";\r\n\r\n", {});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->separator(), ';');
  EXPECT_EQ(table->decimal_mark(), DecimalMark::kComma);  // the German convention with ';'
  ASSERT_EQ(table->rows().size(), 2u);
  EXPECT_EQ(table->rows()[0].cells, (std::vector<std::string>{"1", "x;y", "say \"hi\""}));
  EXPECT_EQ(table->rows()[1].cells, (std::vector<std::string>{"2", "two\r\nlines", ""}));
  EXPECT_EQ(table->rows()[1].line, 3);
}

TEST(DelimitedTable, CommaAndTabSeparatedFilesAndAConfiguredSeparator) {
  EXPECT_EQ(DelimitedTable::Parse("a,b\n1,2\n", {})->separator(), ',');
  EXPECT_EQ(DelimitedTable::Parse("a\tb\n1\t2\n", {})->separator(), '\t');
  Result<DelimitedTable> configured =
      DelimitedTable::Parse("a;b,c\n1;2,3\n", {.separator = ',', .decimal_mark = DecimalMark::kPoint});
  EXPECT_EQ(configured->header(), (std::vector<std::string>{"a;b", "c"}));
}

TEST(DelimitedTable, SkipsPreambleLinesBeforeTheHeader) {
  Result<DelimitedTable> table =
      DelimitedTable::Parse("Konto;DE89\nZeitraum;Maerz\nx;y\n1;2\n", {.lines_before_header = 2});
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->header(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(table->rows()[0].line, 4);
}

TEST(DelimitedTable, MalformedRecordsNameTheirLine) {
  EXPECT_EQ(DelimitedTable::Parse("a,b\n1,2\n3,\"open\n", {}).status().message(),
            "line 3: field 2 opens a quote that is never closed");
  EXPECT_EQ(DelimitedTable::Parse("a,b\n1,\"x\"y\n", {}).status().message(),
            "line 2: field 2 has text after its closing quote");
  EXPECT_EQ(DelimitedTable::Parse("a,b\n1,2\n1,2,3\n", {}).status().message(),
            "line 3: 3 fields, the header has 2");
  EXPECT_EQ(DelimitedTable::Parse("", {}).status().message(), "the file has no header line");
}

TEST(DelimitedTable, CellsReadAsFieldsSayLineFieldAndProblem) {
  Result<DelimitedTable> table = DelimitedTable::Parse("Datum;Betrag\n31.02.2024;1.234,5x\n", {});
  ASSERT_TRUE(table.ok());
  const DelimitedRow& row = table->rows()[0];
  EXPECT_EQ(table->Amount(row, 1, "amount", "EUR").status().message(),
            "line 2: amount \"1.234,5x\" is not a number");
  EXPECT_EQ(table->DateAt(row, 0, "due date").status().message(),
            "line 2: due date \"31.02.2024\" is not a date (YYYY-MM-DD or DD.MM.YYYY)");
  EXPECT_EQ(*table->Column("the amount", " betrag "), 1u);
  EXPECT_EQ(table->Column("the amount", "Amount").status().message(),
            "column \"Amount\" for the amount is not in the header (Datum, Betrag)");
}

}  // namespace
}  // namespace stripeline::reconcile
