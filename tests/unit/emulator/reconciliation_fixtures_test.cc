#include "emulator/reconciliation_fixtures.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "common/text.h"
#include "emulator/scaled_dataset.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

namespace json = boost::json;
using testing::kFakeNow;

std::map<std::string, FixtureFile> ByName(std::vector<FixtureFile> files) {
  std::map<std::string, FixtureFile> out;
  for (FixtureFile& f : files) out[f.name] = std::move(f);
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Split(const std::string& line, char separator) {
  std::vector<std::string> cells(1);
  for (char c : line) {
    if (c == separator) {
      cells.emplace_back();
    } else {
      cells.back().push_back(c);
    }
  }
  return cells;
}

// "1.234,56" -> 123456.
int64_t GermanMinor(std::string text) {
  bool negative = !text.empty() && text[0] == '-';
  std::string digits;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  EXPECT_EQ(text.substr(text.size() - 3, 1), ",") << text;
  return (negative ? -1 : 1) * std::stoll(digits);
}

class FixturesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = Dataset::Build(BuiltInConfig().accounts.at(0), false, 42, kFakeNow).release();
    files_ = new std::map<std::string, FixtureFile>(
        ByName(ReconciliationFixtures(*dataset_, {.now = kFakeNow, .days = 100})));
    manifest_ = new json::object(json::parse(files_->at("manifest.json").content).as_object());
  }
  static void TearDownTestSuite() {
    delete dataset_;
    delete files_;
    delete manifest_;
  }
  static const FixtureFile& File(const std::string& name) { return files_->at(name); }
  // The planted cases of one kind.
  static std::vector<json::object> Cases(std::string_view kind) {
    std::vector<json::object> out;
    for (const json::value& c : manifest_->at("cases").as_array()) {
      if (c.at("case").as_string() == kind) out.push_back(c.as_object());
    }
    return out;
  }
  static std::map<std::string, json::object> Payouts() {
    std::map<std::string, json::object> out;
    for (const json::object& p : dataset_->All("payouts"))
      out[std::string(p.at("id").as_string())] = p;
    return out;
  }

  static Dataset* dataset_;
  static std::map<std::string, FixtureFile>* files_;
  static json::object* manifest_;
};
Dataset* FixturesTest::dataset_ = nullptr;
std::map<std::string, FixtureFile>* FixturesTest::files_ = nullptr;
json::object* FixturesTest::manifest_ = nullptr;

TEST_F(FixturesTest, WritesThreeStatementsPerCurrencyAndTheInvoices) {
  std::set<std::string> names;
  for (const auto& [name, file] : *files_) names.insert(name);
  EXPECT_EQ(names, (std::set<std::string>{"bank-eur.camt053.xml", "bank-eur.csv", "bank-eur.mt940",
                                          "bank-gbp.camt053.xml", "bank-gbp.csv", "bank-gbp.mt940",
                                          "invoices.csv", "manifest.json"}));
  EXPECT_EQ(manifest_->at("files").as_array().size(), 7u);
}

TEST_F(FixturesTest, Camt053IsWellFormedAndItsCreditsArePayouts) {
  std::map<std::string, json::object> payouts = Payouts();
  std::set<std::string> in_bank;
  for (const json::value& id : manifest_->at("payouts_in_bank").as_array())
    in_bank.emplace(id.as_string());
  size_t payout_entries = 0;
  for (const char* currency : {"gbp", "eur"}) {
    pugi::xml_document doc;
    const std::string& xml = File(std::string("bank-") + currency + ".camt053.xml").content;
    pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
    ASSERT_TRUE(parsed) << parsed.description() << " at " << parsed.offset;
    pugi::xml_node stmt = doc.child("Document").child("BkToCstmrStmt").child("Stmt");
    ASSERT_TRUE(stmt);
    EXPECT_STREQ(doc.child("Document").attribute("xmlns").value(),
                 "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02");
    EXPECT_EQ(std::string(stmt.child("Acct").child("Ccy").text().get()),
              currency == std::string("gbp") ? "GBP" : "EUR");
    // Opening balance + entries = closing balance; every bank reference is unique.
    auto minor = [](pugi::xml_node amount) {
      return static_cast<int64_t>(std::llround(amount.text().as_double() * 100));
    };
    std::map<std::string, int64_t> balances;
    for (pugi::xml_node bal : stmt.children("Bal")) {
      balances[bal.child("Tp").child("CdOrPrtry").child("Cd").text().get()] =
          minor(bal.child("Amt"));
    }
    int64_t total = balances.at("OPBD");
    std::set<std::string> references;
    for (pugi::xml_node entry : stmt.children("Ntry")) {
      bool credit = std::string(entry.child("CdtDbtInd").text().get()) == "CRDT";
      int64_t amount = minor(entry.child("Amt"));
      EXPECT_EQ(std::string(entry.child("Amt").attribute("Ccy").value()),
                currency == std::string("gbp") ? "GBP" : "EUR");
      total += credit ? amount : -amount;
      EXPECT_TRUE(references.insert(entry.child("AcctSvcrRef").text().get()).second);
      EXPECT_TRUE(entry.child("BookgDt").child("Dt"));
      EXPECT_TRUE(entry.child("ValDt").child("Dt"));
      std::string text =
          entry.child("NtryDtls").child("TxDtls").child("RmtInf").child("Ustrd").text().get();
      if (text.starts_with("STRIPE")) {
        ++payout_entries;
        EXPECT_TRUE(credit);
        // A Stripe credit is a paid payout of this currency and amount, listed in the manifest.
        std::string trace =
            entry.child("NtryDtls").child("TxDtls").child("Refs").child("EndToEndId").text().get();
        bool found = false;
        for (const auto& [id, p] : payouts) {
          if (!in_bank.contains(id) || p.at("currency") != currency ||
              p.at("amount").as_int64() != amount)
            continue;
          if (trace != "NOTPROVIDED" && p.at("trace_id").at("value") != json::value(trace))
            continue;
          found = true;
        }
        EXPECT_TRUE(found) << text << " " << amount;
      }
    }
    EXPECT_EQ(total, balances.at("CLBD")) << currency;
  }
  EXPECT_EQ(payout_entries, in_bank.size());
}

TEST_F(FixturesTest, Mt940HasItsTagsInOrderAndBalancesAddUp) {
  for (const char* currency : {"gbp", "eur"}) {
    std::vector<std::string> lines =
        Lines(File(std::string("bank-") + currency + ".mt940").content);
    ASSERT_GE(lines.size(), 6u);
    EXPECT_TRUE(lines[0].starts_with(":20:"));
    EXPECT_TRUE(lines[1].starts_with(":25:"));
    EXPECT_TRUE(lines[2].starts_with(":28C:"));
    EXPECT_TRUE(lines[3].starts_with(":60F:C"));
    EXPECT_EQ(lines.back(), "-");
    EXPECT_TRUE(lines[lines.size() - 2].starts_with(":62F:"));
    auto amount = [](const std::string& text) {  // "1234,56" at the start -> 123456
      size_t comma = text.find(',');
      return std::stoll(text.substr(0, comma)) * 100 + std::stoll(text.substr(comma + 1, 2));
    };
    // :60F:C<YYMMDD><CCY><amount>
    int64_t balance = amount(lines[3].substr(5 + 1 + 6 + 3));
    size_t entries = 0;
    for (size_t i = 4; i + 2 < lines.size(); i += 2) {
      ASSERT_TRUE(lines[i].starts_with(":61:")) << lines[i];
      ASSERT_TRUE(lines[i + 1].starts_with(":86:")) << lines[i + 1];
      EXPECT_LE(lines[i + 1].size(), 4u + 65u);
      // :61:<YYMMDD value><MMDD booking><C|D><amount>NTRF<reference>//<bank reference>
      std::string rest = lines[i].substr(4 + 6 + 4);
      bool credit = rest[0] == 'C';
      ASSERT_TRUE(credit || rest[0] == 'D') << lines[i];
      int64_t value = amount(rest.substr(1));
      EXPECT_NE(rest.find("NTRF"), std::string::npos);
      EXPECT_NE(rest.find("//"), std::string::npos);
      balance += credit ? value : -value;
      ++entries;
      for (char c : lines[i + 1]) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << lines[i + 1];
    }
    EXPECT_GT(entries, 2u);
    const std::string& closing = lines[lines.size() - 2];
    EXPECT_EQ(closing[5], balance < 0 ? 'D' : 'C');
    EXPECT_EQ(amount(closing.substr(5 + 1 + 6 + 3)), balance < 0 ? -balance : balance) << currency;
  }
}

TEST_F(FixturesTest, GermanCsvIsLatin1WithDecimalCommasAndGermanDates) {
  const std::string& csv = File("bank-eur.csv").content;
  EXPECT_NE(csv.find("W\xE4hrung"), std::string::npos);      // "Währung" in Latin-1
  EXPECT_EQ(csv.find("W\xC3\xA4hrung"), std::string::npos);  // not UTF-8
  std::vector<std::string> lines = Lines(csv);
  ASSERT_GT(lines.size(), 3u);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = Split(lines[i], ';');
    ASSERT_EQ(cells.size(), 7u) << lines[i];
    EXPECT_EQ(cells[0].size(), 10u);
    EXPECT_EQ(cells[0][2], '.');
    EXPECT_EQ(cells[0][5], '.');
    EXPECT_EQ(cells[5], "EUR");
    GermanMinor(cells[4]);
  }
  // The two equal EUR payouts arrive together and are booked the same day without a trace id.
  std::vector<json::object> twins = Cases("ambiguous_payouts");
  ASSERT_EQ(twins.size(), 1u);
  EXPECT_EQ(twins[0].at("currency"), "eur");
  int same = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = Split(lines[i], ';');
    if (cells[3] == "STRIPE PAYOUT" && GermanMinor(cells[4]) == twins[0].at("amount").as_int64())
      ++same;
  }
  EXPECT_EQ(same, 2);
}

TEST_F(FixturesTest, PlantsEveryAwkwardCase) {
  for (const char* kind : {"missing_in_bank", "ambiguous_payouts", "failed_payout",
                           "not_itemisable", "payout_with_refunds_and_disputes", "partial_payment",
                           "overpayment", "no_invoice", "ambiguous_invoice", "fx_payment"}) {
    EXPECT_FALSE(Cases(kind).empty()) << kind;
  }
  std::map<std::string, json::object> payouts = Payouts();
  std::set<std::string> in_bank;
  for (const json::value& id : manifest_->at("payouts_in_bank").as_array())
    in_bank.emplace(id.as_string());
  // The missing payout is a real, paid, automatic one that is not in the statement.
  std::string missing(Cases("missing_in_bank")[0].at("payout").as_string());
  EXPECT_EQ(payouts.at(missing).at("status"), "paid");
  EXPECT_FALSE(in_bank.contains(missing));
  for (const json::object& c : Cases("failed_payout")) {
    EXPECT_EQ(payouts.at(std::string(c.at("payout").as_string())).at("status"), "failed");
    EXPECT_FALSE(in_bank.contains(std::string(c.at("payout").as_string())));
  }
  for (const json::object& c : Cases("not_itemisable")) {
    EXPECT_FALSE(payouts.at(std::string(c.at("payout").as_string())).at("automatic").as_bool());
  }
  json::object mixed = Cases("payout_with_refunds_and_disputes").at(0);
  EXPECT_TRUE(in_bank.contains(std::string(mixed.at("payout").as_string())));
  EXPECT_FALSE(mixed.at("refunds").as_array().empty());
  EXPECT_FALSE(mixed.at("disputes").as_array().empty());

  // Invoices: parse the CSV and check the planted amounts.
  std::map<std::string, std::vector<std::string>> invoices;
  std::vector<std::string> lines = Lines(File("invoices.csv").content);
  EXPECT_EQ(lines[0], "Rechnungsnummer;Kunde;E-Mail;Rechnungsdatum;F\xE4llig am;Betrag;W\xE4hrung");
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = Split(lines[i], ';');
    ASSERT_EQ(cells.size(), 7u) << lines[i];
    EXPECT_TRUE(invoices.emplace(cells[0], cells).second) << "invoice number twice: " << cells[0];
  }
  EXPECT_EQ(static_cast<int64_t>(invoices.size()), manifest_->at("invoices").as_int64());
  auto charge = [&](const json::object& c) {
    return *dataset_->Get("charges", c.at("charge").as_string());
  };
  for (const char* kind : {"partial_payment", "overpayment"}) {
    json::object c = Cases(kind).at(0);
    json::object paid = charge(c);
    const std::vector<std::string>& row = invoices.at(std::string(c.at("invoice").as_string()));
    EXPECT_EQ(paid.at("metadata").at("invoice_number"), c.at("invoice"));
    int64_t total = GermanMinor(row[5]);
    EXPECT_EQ(total, c.at("invoice_amount").as_int64());
    if (std::string(kind) == "partial_payment") {
      EXPECT_GT(total, paid.at("amount").as_int64());
    } else {
      EXPECT_LT(total, paid.at("amount").as_int64());
    }
  }
  json::object fx = Cases("fx_payment").at(0);
  json::object fx_charge = charge(fx);
  const std::vector<std::string>& fx_row = invoices.at(std::string(fx.at("invoice").as_string()));
  EXPECT_EQ(GermanMinor(fx_row[5]), fx_charge.at("amount").as_int64());
  EXPECT_EQ(fx_row[6], "USD");  // the invoice is in the payment's currency, not the settlement's
  EXPECT_EQ(fx.at("settlement_currency"), "gbp");
  // The unmatched payment has no invoice of its amount and email; the ambiguous one has two.
  json::object lonely = charge(Cases("no_invoice").at(0));
  json::object twice = charge(Cases("ambiguous_invoice").at(0));
  int lonely_candidates = 0, twice_candidates = 0;
  for (const auto& [number, row] : invoices) {
    lonely_candidates += row[2] == lonely.at("billing_details").at("email").as_string() &&
                         GermanMinor(row[5]) == lonely.at("amount").as_int64() &&
                         ToLower(row[6]) == lonely.at("currency").as_string();
    twice_candidates += row[2] == twice.at("billing_details").at("email").as_string() &&
                        GermanMinor(row[5]) == twice.at("amount").as_int64();
  }
  EXPECT_EQ(lonely_candidates, 0);
  EXPECT_EQ(twice_candidates, 2);
}

TEST_F(FixturesTest, IsDeterministic) {
  auto again = Dataset::Build(BuiltInConfig().accounts.at(0), false, 42, kFakeNow);
  std::map<std::string, FixtureFile> second =
      ByName(ReconciliationFixtures(*again, {.now = kFakeNow, .days = 100}));
  for (const auto& [name, file] : *files_) EXPECT_EQ(second.at(name).content, file.content) << name;
  auto other = Dataset::Build(BuiltInConfig().accounts.at(0), false, 7, kFakeNow);
  EXPECT_NE(ByName(ReconciliationFixtures(*other, {.now = kFakeNow, .days = 100}))
                .at("manifest.json")
                .content,
            File("manifest.json").content);
}

TEST(Fixtures, ScaledDatasetGetsThemToo) {
  auto d = BuildScaledDataset(BuiltInConfig().accounts.at(1), false, 42, kFakeNow, 3000);
  std::map<std::string, FixtureFile> files =
      ByName(ReconciliationFixtures(*d, {.now = kFakeNow, .days = 60}));
  json::object manifest = json::parse(files.at("manifest.json").content).as_object();
  std::set<std::string> kinds;
  for (const json::value& c : manifest.at("cases").as_array())
    kinds.emplace(c.at("case").as_string());
  for (const char* kind : {"missing_in_bank", "payout_with_refunds_and_disputes", "partial_payment",
                           "overpayment", "no_invoice", "ambiguous_invoice", "fx_payment"}) {
    EXPECT_TRUE(kinds.contains(kind)) << kind;
  }
  pugi::xml_document doc;
  const std::string& xml = files.at("bank-gbp.camt053.xml").content;
  ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  // About one payout a day, all but the missing one in the bank.
  EXPECT_GT(manifest.at("payouts_in_bank").as_array().size(), 50u);
}

class FixturesHttpTest : public testing::EmulatorTest {};

TEST_F(FixturesHttpTest, AdminEndpointServesTheManifestAndEachFile) {
  testing::Reply manifest = Admin("GET", "/_emulator/fixtures?account=acct_emu_demo&days=100");
  ASSERT_EQ(manifest.status, 200) << manifest.raw.body;
  ASSERT_EQ(manifest.object().at("files").as_array().size(), 7u);
  for (const json::value& name : manifest.object().at("files").as_array()) {
    HttpResponse file = emulator_->Handle(testing::MakeRequest(
        "GET", "/_emulator/fixtures/" + std::string(name.as_string()) + "?days=100", {}));
    EXPECT_EQ(file.status, 200) << name;
    EXPECT_FALSE(file.body.empty()) << name;
    if (name.as_string().subview().ends_with(".xml")) {
      EXPECT_EQ(file.Header("Content-Type"), "application/xml");
      pugi::xml_document doc;
      EXPECT_TRUE(doc.load_buffer(file.body.data(), file.body.size())) << name;
    }
  }
  // The manifest names payouts the emulator serves.
  for (const json::value& id : manifest.object().at("payouts_in_bank").as_array()) {
    EXPECT_EQ(Get("/v1/payouts/" + std::string(id.as_string())).status, 200) << id;
  }
  EXPECT_EQ(Admin("GET", "/_emulator/fixtures/nope.csv").status, 404);
  EXPECT_EQ(Admin("GET", "/_emulator/fixtures?account=acct_nope").status, 404);
  EXPECT_EQ(Admin("GET", "/_emulator/fixtures?days=0").status, 400);
}

}  // namespace
}  // namespace stripeline::emulator
