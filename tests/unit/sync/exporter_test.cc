// Exporter (through SyncEngine::Export): what it writes, and CSV cells as spreadsheets and
// pipelines read them.
#include <gtest/gtest.h>

#include <sstream>

#include "sync/exporter.h"
#include "sync/sync_engine.h"
#include "unit/sync/sync_test_util.h"

namespace stripeline::sync {
namespace {

using testing::SyncTest;

// Regression: DOUBLE PRECISION columns were written as JSON numbers, so a 5 % coupon read
// "5E0", which spreadsheets take for text.
TEST_F(SyncTest, CsvWritesDecimalColumnsInPlainNotation) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  auto run = engine.Run(id);
  ASSERT_TRUE(run.ok()) << run.status().ToString();

  auto coupons = db_->Query(
      "SELECT id, raw FROM stripe_coupons WHERE percent_off IS NOT NULL ORDER BY id", {});
  ASSERT_TRUE(coupons.ok());
  ASSERT_FALSE(coupons->empty()) << "the demo data has percentage coupons";
  std::ostringstream csv;
  ASSERT_TRUE(engine.Export(id, "coupons", ExportFormat::kCsv, csv).ok());
  const std::string text = csv.str();
  for (const auto& row : *coupons) {
    auto raw = boost::json::parse(row.GetString(1)).as_object();
    const auto& percent = raw.at("percent_off");
    std::string expected = percent.is_int64() ? std::to_string(percent.as_int64())
                                              : boost::json::serialize(percent);
    // id,livemode,created,name,percent_off,...
    size_t line = text.find("\n" + row.GetString(0) + ",");
    ASSERT_NE(line, std::string::npos) << row.GetString(0);
    std::istringstream cells(text.substr(line + 1, text.find('\r', line) - line - 1));
    std::string cell;
    for (int column = 0; column < 5; ++column) std::getline(cells, cell, ',');
    EXPECT_EQ(cell, expected) << text.substr(line + 1, 80);
  }
}

// Issue 13: a Stripe customer named "=..." reached the CSV as a live spreadsheet formula.
TEST_F(SyncTest, CsvTextThatWouldRunAsAFormulaIsNeutralisedAndNumbersAreNot) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  ASSERT_TRUE(engine.Run(id).ok());
  auto changed = db_->Execute(
      "UPDATE stripe_customers SET name = $1, balance = -500 WHERE id = "
      "(SELECT MIN(id) FROM stripe_customers)",
      {std::string("=HYPERLINK(\"http://evil.example\",\"Click\")")});
  ASSERT_TRUE(changed.ok() && *changed == 1) << changed.status().ToString();

  std::ostringstream csv;
  ASSERT_TRUE(engine.Export(id, "customers", ExportFormat::kCsv, csv).ok());
  const std::string text = csv.str();
  EXPECT_NE(text.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\","),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(",=HYPERLINK"), std::string::npos) << text;
  EXPECT_EQ(text.find(",\"=HYPERLINK"), std::string::npos) << text;
  EXPECT_NE(text.find(",-500,"), std::string::npos) << "a negative number stays a number";
}

TEST_F(SyncTest, ExportWritesAStream) {
  std::string id = AddIntegration();
  SyncEngine& engine = Engine(SmallPages());
  ASSERT_TRUE(engine.Run(id).ok());

  std::ostringstream jsonl;
  ASSERT_TRUE(engine.Export(id, "customers", ExportFormat::kJsonLines, jsonl).ok());
  std::istringstream lines(jsonl.str());
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    EXPECT_EQ(boost::json::parse(line).at("object").as_string(), "customer");
    ++count;
  }
  EXPECT_EQ(count, Local(*FindStream("customers")).size());

  std::ostringstream csv;
  ASSERT_TRUE(engine.Export(id, "charges", ExportFormat::kCsv, csv).ok());
  EXPECT_EQ(csv.str().rfind("id,livemode,created,customer,amount,", 0), 0u) << csv.str();
  std::ostringstream ignored;
  EXPECT_EQ(engine.Export(id, "nope", ExportFormat::kCsv, ignored).error_code(),
            "sync_unknown_stream");
}

}  // namespace
}  // namespace stripeline::sync
