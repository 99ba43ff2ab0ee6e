// The three bank statement readers (CSV, CAMT.053, MT940) on realistic samples and malformed
// input, and the de-duplication keys that make a second import add nothing.
#include <gtest/gtest.h>

#include <set>

#include "reconcile/bank_csv.h"
#include "reconcile/camt053.h"
#include "reconcile/mt940.h"
#include "testdata.h"

namespace stripeline::reconcile {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using testing::ReadTestData;

Date March(unsigned d) { return Date{year(2024), month(3), day(d)}; }

BankCsvOptions GermanBankColumns() {
  return {.format = {.lines_before_header = 2},
          .booking_date_column = "Buchungstag",
          .value_date_column = "Valuta",
          .amount_column = "Betrag",
          .currency_column = "Währung",
          .text_columns = {"Auftraggeber/Empfänger", "Verwendungszweck"},
          .account_column = "Konto",
          .account = "DE89 3704 0044 0532 0130 00"};
}

TEST(ReadBankCsv, ReadsAGermanBankExport) {
  Result<BankStatement> statement = ReadBankCsv(ReadTestData("bank_de.csv"), GermanBankColumns());
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  EXPECT_EQ(statement->account, "DE89370400440532013000");
  ASSERT_EQ(statement->lines.size(), 5u);
  const StatementLine& payout = statement->lines[0];
  EXPECT_EQ(payout.booking_date, March(1));
  EXPECT_EQ(payout.amount, (Money{10395, "EUR"}));
  EXPECT_EQ(payout.text, "STRIPE PAYMENTS UK LTD STRIPE po_1OaBc 10395");
  EXPECT_EQ(payout.source_position, 4);
  EXPECT_EQ(statement->lines[1].amount.minor_units, -1240);
  EXPECT_EQ(statement->lines[3].value_date, March(6));
  EXPECT_EQ(statement->lines[3].text, "Müller GmbH Rechnung INV-1002; Dank");
  EXPECT_EQ(statement->lines[4].amount.minor_units, 123456);
  EXPECT_EQ(statement->lines[4].text, "STRIPE Payout \"March\" ST-TRACE-77");
}

TEST(ReadBankCsv, TwoIdenticalLinesOfOneDayStayTwoAndASecondImportGivesTheSameKeys) {
  Result<BankStatement> first = ReadBankCsv(ReadTestData("bank_de.csv"), GermanBankColumns());
  Result<BankStatement> again = ReadBankCsv(ReadTestData("bank_de.csv"), GermanBankColumns());
  ASSERT_TRUE(first.ok() && again.ok());
  std::set<std::string> keys;
  for (const StatementLine& line : first->lines) keys.insert(line.dedup_key);
  EXPECT_EQ(keys.size(), 5u);  // the two card payments of 4 March differ by occurrence
  for (size_t i = 0; i < first->lines.size(); ++i) {
    EXPECT_EQ(first->lines[i].dedup_key, again->lines[i].dedup_key);
  }
  EXPECT_TRUE(first->lines[0].dedup_key.starts_with("hash:DE89370400440532013000:"));
}

TEST(ReadBankCsv, UnsignedAmountsWithACreditDebitColumn) {
  Result<BankStatement> statement = ReadBankCsv(
      "date;amount;mark;text\n04.03.2024;12,40;S;Karte\n05.03.2024;103,95;H;STRIPE\n",
      {.booking_date_column = "date", .value_date_column = "", .credit_debit_column = "mark",
       .currency_column = "", .default_currency = "EUR"});
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  EXPECT_EQ(statement->lines[0].amount.minor_units, -1240);
  EXPECT_EQ(statement->lines[1].amount.minor_units, 10395);
}

TEST(ReadBankCsv, MalformedInputNamesLineAndField) {
  BankCsvOptions options{.value_date_column = "", .currency_column = "", .default_currency = "EUR"};
  auto error = [&](const std::string& file, const BankCsvOptions& with) {
    return ReadBankCsv(file, with).status().message();
  };
  EXPECT_EQ(error("booking_date;amount;text\n04.03.2024;12,4O;x\n", options),
            "line 2: amount \"12,4O\" is not a number");
  EXPECT_EQ(error("booking_date;amount;text\n2024-13-01;12,40;x\n", options),
            "line 2: booking date \"2024-13-01\" is not a date (YYYY-MM-DD or DD.MM.YYYY)");
  EXPECT_EQ(error("booking_date;amount\n04.03.2024;12,40\n", options),
            "column \"text\" for the text is not in the header (booking_date, amount)");
  BankCsvOptions marked = options;
  marked.credit_debit_column = "cd";
  EXPECT_EQ(error("booking_date;amount;cd;text\n04.03.2024;12,40;X;t\n", marked),
            "line 2: credit or debit \"X\" is none of C, D, H, S, credit, debit");
  BankCsvOptions other_account = GermanBankColumns();
  other_account.account = "DE02120300000000202051";
  EXPECT_EQ(error(ReadTestData("bank_de.csv"), other_account),
            "line 4: account DE89370400440532013000 is not the statement's account "
            "DE02120300000000202051");
}

TEST(ReadCamt053, ReadsBookedEntriesWithReferencesAndRemittanceText) {
  Result<BankStatement> statement = ReadCamt053(ReadTestData("statement.camt053.xml"));
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  EXPECT_EQ(statement->account, "DE89370400440532013000");
  ASSERT_EQ(statement->lines.size(), 3u);  // the pending entry is left out
  const StatementLine& payout = statement->lines[0];
  EXPECT_EQ(payout.amount, (Money{10395, "EUR"}));
  EXPECT_EQ(payout.booking_date, March(4));
  EXPECT_EQ(payout.value_date, March(4));
  EXPECT_EQ(payout.bank_reference, "2024030412345");
  EXPECT_EQ(payout.end_to_end_id, "ST-TRACE-10395");
  EXPECT_EQ(payout.text, "STRIPE po_1OaBc PAYOUT STRIPE PAYMENTS EUROPE LTD");
  EXPECT_EQ(payout.dedup_key, "ref:DE89370400440532013000:2024030412345");
  const StatementLine& card = statement->lines[1];
  EXPECT_EQ(card.amount.minor_units, -1240);
  EXPECT_EQ(card.end_to_end_id, "");  // NOTPROVIDED
  EXPECT_EQ(card.text, "Kartenzahlung Bäckerei Schön");
  EXPECT_TRUE(card.dedup_key.starts_with("hash:"));
  EXPECT_EQ(statement->lines[2].booking_date, March(7));  // from DtTm
  EXPECT_EQ(statement->lines[2].text, "Kontoabschluss");
}

TEST(ReadCamt053, MalformedInputNamesTheElement) {
  const std::string sample = ReadTestData("statement.camt053.xml");
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string changed = sample;
    size_t at = changed.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return changed.replace(at, from.size(), to);
  };
  auto error = [](const std::string& xml, Camt053Options options = {}) {
    return ReadCamt053(xml, options).status().message();
  };
  EXPECT_EQ(error(replaced("<Amt Ccy=\"EUR\">12.40</Amt>", "<Amt Ccy=\"EUR\">12.4x</Amt>")),
            "Stmt 1, Ntry 2: Amt \"12.4x\" is not a number");
  EXPECT_EQ(error(replaced("<Amt Ccy=\"EUR\">12.40</Amt>", "<Amt>12.40</Amt>")),
            "Stmt 1, Ntry 2: Amt@Ccy \"\" is not a currency (three letters, e.g. EUR)");
  EXPECT_EQ(error(replaced("<CdtDbtInd>DBIT</CdtDbtInd>", "<CdtDbtInd>DEBIT</CdtDbtInd>")),
            "Stmt 1, Ntry 2: CdtDbtInd \"DEBIT\" is neither CRDT nor DBIT");
  EXPECT_EQ(error(replaced("<BookgDt><Dt>2024-03-05</Dt>", "<BookgDt><Dt>05.03.2024</Dt>")),
            "Stmt 1, Ntry 2: BookgDt \"05.03.2024\" is not a date (YYYY-MM-DD)");
  EXPECT_EQ(error(replaced("1091.55", "1091.56")),
            "Stmt 1: the opening balance 1000.00 plus the booked entries 91.55 is not the "
            "closing balance 1091.56 EUR");
  EXPECT_EQ(error(replaced("</Ntry>", "</Ntri>")),
            "line 43: the XML is not well-formed (Start-end tags mismatch)");
  EXPECT_EQ(error("<Document><Other/></Document>"),
            "the XML is not a CAMT.053 statement (no Document/BkToCstmrStmt)");
  EXPECT_EQ(error(sample, {.account = "DE02120300000000202051"}),
            "Stmt 1: the statement is of account DE89370400440532013000, not "
            "DE02120300000000202051");
  EXPECT_EQ(error("not xml at all"), "line 1: the XML is not well-formed (No document element found)");
}

TEST(ReadCamt053, AnExternalEntityIsNotLoaded) {
  const std::string hostile =
      "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<Document><BkToCstmrStmt><Stmt><Acct><Id><IBAN>DE89</IBAN></Id></Acct><Ntry>"
      "<Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2024-03-01</Dt>"
      "</BookgDt><AddtlNtryInf>&x;</AddtlNtryInf></Ntry></Stmt></BkToCstmrStmt></Document>";
  Result<BankStatement> statement = ReadCamt053(hostile);
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  EXPECT_EQ(statement->lines[0].text.find("root:"), std::string::npos);
}

TEST(ReadMt940, ReadsAGermanBanksStatement) {
  Result<BankStatement> statement = ReadMt940(ReadTestData("statement.mt940"));
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  EXPECT_EQ(statement->account, "37040044/0532013000");
  ASSERT_EQ(statement->lines.size(), 3u);
  const StatementLine& payout = statement->lines[0];
  EXPECT_EQ(payout.amount, (Money{10395, "EUR"}));
  EXPECT_EQ(payout.value_date, March(4));
  EXPECT_EQ(payout.booking_date, March(4));
  EXPECT_EQ(payout.bank_reference, "2024030412345");
  EXPECT_EQ(payout.end_to_end_id, "ST-TRACE-10395");
  EXPECT_EQ(payout.text, "EREF+ST-TRACE-10395 SVWZ+STRIPE po_1OaBc PAYOUT STRIPE PAYMENTS EUROPE LTD");
  EXPECT_EQ(payout.source_position, 6);  // the line of its :61:
  EXPECT_EQ(statement->lines[1].amount.minor_units, -1240);
  EXPECT_EQ(statement->lines[1].text, "Kartenzahlung Bäckerei Schön Filiale Mitte");  // Latin-1
  EXPECT_NE(statement->lines[1].dedup_key, statement->lines[2].dedup_key);
  Result<BankStatement> again = ReadMt940(ReadTestData("statement.mt940"));
  EXPECT_EQ(again->lines, statement->lines);
}

TEST(ReadMt940, ReadsReversalsAndBookingDatesAcrossTheYearEnd) {
  Result<BankStatement> statement = ReadMt940(
      ":20:X\n:25:DE89370400440532013000\n:60F:C231231EUR100,\n"
      ":61:2312310102RC50,NTRFNONREF\n:86:Storno\n:62F:C240102EUR50,\n-\n");
  ASSERT_TRUE(statement.ok()) << statement.status().ToString();
  EXPECT_EQ(statement->lines[0].amount.minor_units, -5000);
  EXPECT_EQ(statement->lines[0].booking_date, (Date{year(2024), month(1), day(2)}));
  EXPECT_EQ(statement->lines[0].text, "Storno");
}

TEST(ReadMt940, MalformedInputNamesLineAndField) {
  const std::string head = ":20:X\n:25:DE89370400440532013000\n:60F:C240301EUR100,00\n";
  auto error = [](const std::string& text, Mt940Options options = {}) {
    return ReadMt940(text, options).status().message();
  };
  EXPECT_EQ(error(head + ":61:2403040304CR10395.00NTRFNONREF\n"),
            "line 4: :61: amount \"10395.00\" is not a number");
  EXPECT_EQ(error(head + ":61:2402300230CR1,00NTRFNONREF\n"),
            "line 4: :61: value date \"240230\" is not a date (YYMMDD)");
  EXPECT_EQ(error(head + ":61:2403040304X1,00NTRFNONREF\n"),
            "line 4: :61: \"X1\" is not C, D, RC or RD");
  EXPECT_EQ(error(head + ":61:2403040304C1,00\n"),
            "line 4: :61: \"\" does not start with a transaction type (N, F or S and three "
            "characters)");
  EXPECT_EQ(error(head + ":86:text without a line\n"), "line 4: :86: does not follow a :61: line");
  EXPECT_EQ(error(":20:X\n:25:DE89\n:60F:X240301EUR100,00\n"),
            "line 3: :60F: \"X240301EUR100,00\" is not a balance (C or D, YYMMDD, currency, "
            "amount)");
  EXPECT_EQ(error(head + ":61:2403040304C1,00NTRFNONREF\n:62F:C240304EUR100,00\n"),
            "line 5: :62F: the closing balance 100.00 EUR is not the opening balance 100.00 plus "
            "the lines 1.00");
  EXPECT_EQ(error(":20:X\n:25:DE89\n:61:2403040304C1,00NTRFNONREF\n"),
            "line 3: :61: comes before the opening balance :60F:");
  EXPECT_EQ(error("hello\n"), "line 1: \"hello\" is not an MT940 field (:20:, :25:, :61:, ...)");
  EXPECT_EQ(error(""), "the file holds no MT940 statement");
  EXPECT_EQ(error(head, {.account = "DE02120300000000202051"}),
            "line 2: :25: the statement is of account DE89370400440532013000, not "
            "DE02120300000000202051");
}

}  // namespace
}  // namespace stripeline::reconcile
