// Open invoices from CSV: a German Latin-1 export, an English one, and every malformed input
// giving its precise error.
#include "reconcile/invoice_csv.h"

#include <gtest/gtest.h>

#include "testdata.h"

namespace stripeline::reconcile {
namespace {

using testing::ReadTestData;

InvoiceCsvOptions GermanColumns() {
  return {.number_column = "Rechnungsnummer",
          .amount_column = "Betrag",
          .currency_column = "Währung",
          .email_column = "E-Mail",
          .due_date_column = "Fällig am",
          .remaining_column = "Offen"};
}

TEST(ReadInvoiceCsv, ReadsAGermanLatin1ExportWithSemicolonsAndDecimalCommas) {
  Result<std::vector<Invoice>> invoices =
      ReadInvoiceCsv(ReadTestData("invoices_de_latin1.csv"), GermanColumns());
  ASSERT_TRUE(invoices.ok()) << invoices.status().ToString();
  ASSERT_EQ(invoices->size(), 6u);
  const Invoice& first = (*invoices)[0];
  EXPECT_EQ(first.number, "INV-1001");
  EXPECT_EQ(first.amount, (Money{11900, "EUR"}));
  EXPECT_EQ(first.remaining, 11900);
  EXPECT_EQ(first.customer_email, "a@x.de");
  EXPECT_EQ(first.due_date, (Date{std::chrono::year(2024), std::chrono::month(1), std::chrono::day(15)}));
  EXPECT_EQ((*invoices)[1].customer_email, "a@x.de");  // "A@X.de" folded
  EXPECT_EQ((*invoices)[2].remaining, 11900);           // empty open amount: all of it
  EXPECT_EQ((*invoices)[5].amount.minor_units, 123456);  // "1.234,56"
  EXPECT_EQ((*invoices)[5].remaining, 23456);
}

TEST(ReadInvoiceCsv, ReadsAnEnglishUtf8ExportWithADefaultCurrency) {
  Result<std::vector<Invoice>> invoices = ReadInvoiceCsv(
      "number,amount,email,due_date\nINV-1,\"1,190.00\",a@x.de,2024-01-15\nINV-2,59.5,b@y.de,2024-02-01\n",
      {.currency_column = "", .default_currency = "eur"});
  ASSERT_TRUE(invoices.ok()) << invoices.status().ToString();
  EXPECT_EQ((*invoices)[0].amount, (Money{119000, "EUR"}));
  EXPECT_EQ((*invoices)[1].amount, (Money{5950, "EUR"}));
}

std::string FileWithBadLine14() {
  std::string file = "number;amount;currency;email;due_date\n";
  for (int i = 2; i < 14; ++i) {
    file += "INV-" + std::to_string(i) + ";10,00;EUR;a@x.de;01.02.2024\n";
  }
  return file + "INV-14;1.234,5x;EUR;a@x.de;01.02.2024\n";
}

TEST(ReadInvoiceCsv, ABadCellFailsTheWholeFileNamingItsLine) {
  EXPECT_EQ(ReadInvoiceCsv(FileWithBadLine14(), {}).status().message(),
            "line 14: amount \"1.234,5x\" is not a number");
}

TEST(ReadInvoiceCsv, EachMalformedInputHasItsOwnMessage) {
  const std::string header = "number;amount;currency;email;due_date\n";
  auto error = [](const std::string& file, InvoiceCsvOptions options = {}) {
    return ReadInvoiceCsv(file, options).status().message();
  };
  EXPECT_EQ(error(header + "INV-1;10,00;EUR;a@x.de;31.02.2024\n"),
            "line 2: due date \"31.02.2024\" is not a date (YYYY-MM-DD or DD.MM.YYYY)");
  EXPECT_EQ(error(header + "INV-1;10,00;EURO;a@x.de;01.02.2024\n"),
            "line 2: currency \"EURO\" is not a currency (three letters, e.g. EUR)");
  EXPECT_EQ(error(header + ";10,00;EUR;a@x.de;01.02.2024\n"), "line 2: invoice number is empty");
  EXPECT_EQ(error(header + "INV-1;-10,00;EUR;a@x.de;01.02.2024\n"),
            "line 2: amount \"-10,00\" is not positive");
  EXPECT_EQ(error(header + "INV-1;10,00;EUR;a@x.de;01.02.2024\nINV-1;12,00;EUR;a@x.de;01.02.2024\n"),
            "line 3: invoice INV-1 is on line 2 with amount 10.00 EUR, here with 12.00 EUR");
  EXPECT_EQ(error(header + "INV-1;10,00;EUR;a@x.de;01.02.2024\n", {.amount_column = "Betrag"}),
            "column \"Betrag\" for the amount is not in the header (number, amount, currency, "
            "email, due_date)");
  EXPECT_EQ(error("number;amount;email;due_date\nINV-1;10,00;a@x.de;01.02.2024\n",
                  {.currency_column = ""}),
            "the file has no currency column and no default currency is set");
  EXPECT_EQ(error(header + "INV-1;10,00;EUR;a@x.de;01.02.2024\n",
                  {.format = {.date_format = DateFormat::kIso}}),
            "line 2: due date \"01.02.2024\" is not a date (YYYY-MM-DD)");
  InvoiceCsvOptions with_open{.remaining_column = "open"};
  EXPECT_EQ(error("number;amount;currency;email;due_date;open\nINV-1;10,00;EUR;a@x.de;01.02.2024;11,00\n",
                  with_open),
            "line 2: open amount \"11,00\" is not between 0 and the amount");
}

TEST(ReadInvoiceCsv, AnIdenticalRepeatIsReadOnce) {
  const std::string row = "INV-1;10,00;EUR;a@x.de;01.02.2024\n";
  Result<std::vector<Invoice>> invoices =
      ReadInvoiceCsv("number;amount;currency;email;due_date\n" + row + row, {});
  ASSERT_TRUE(invoices.ok());
  EXPECT_EQ(invoices->size(), 1u);
}

}  // namespace
}  // namespace stripeline::reconcile
