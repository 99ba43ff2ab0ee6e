// The generated DDL (tools/ddl_generator.h): the checked-in files are what the generator writes
// from the stream table and the rollup streams, and the schema they make is the one those
// imply.

#include "tools/ddl_generator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "reports/rollup_spec.h"
#include "sync/stream_table.h"
#include "unit/common/temp_dir.h"
#include "unit/store/test_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::tools {
namespace {

TEST(GeneratedDdl, CheckedInFilesAreCurrent) {
  for (const GeneratedFile& file : GeneratedFiles()) {
    std::ifstream in(std::string(STRIPELINE_SOURCE_DIR) + "/" + file.path, std::ios::binary);
    ASSERT_TRUE(in) << file.path << " is missing: run build/generate_ddl";
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), file.text) << file.path << " is stale: run build/generate_ddl";
  }
}

class GeneratedSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_util::OpenTestDatabase(dir_.path());
    ASSERT_TRUE(db_);
  }

  test_util::TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(GeneratedSchema, EachStreamHasItsTableColumnsAndCreatedIndex) {
  for (const sync::StreamSpec& stream : sync::Streams()) {
    const std::string table(stream.table);
    auto columns = db_->Query("SELECT name, type FROM pragma_table_info($1) "
                                            "ORDER BY cid",
                                            {table});
    ASSERT_TRUE(columns.ok()) << columns.status().ToString();
    const auto& common = sync::CommonColumns();
    ASSERT_EQ(columns->size(), common.size() + stream.columns.size()) << table;
    for (size_t i = 0; i < common.size(); ++i) {
      EXPECT_EQ((*columns)[i].GetString(0), common[i]) << table;
    }
    for (size_t i = 0; i < stream.columns.size(); ++i) {
      const store::Row& row = (*columns)[common.size() + i];
      EXPECT_EQ(row.GetString(0), stream.columns[i].name) << table;
      EXPECT_EQ(row.GetString(1), ColumnTypeSql(stream.columns[i].type))
          << table << "." << row.GetString(0);
    }
    auto index = db_->Query(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = $1 AND tbl_name = $2",
        {table + "_created", table});
    ASSERT_TRUE(index.ok());
    EXPECT_EQ(index->size(), 1u) << table;
  }
}

TEST_F(GeneratedSchema, EachRollupStreamHasItsThreeTriggers) {
  std::set<std::string> expected;
  for (const reports::RollupStream& rollup : reports::RollupStreams()) {
    const std::string table(sync::FindStream(rollup.stream)->table);
    for (const char* event : {"insert", "update", "delete"}) {
      expected.insert(table + "_rollup_" + event);
    }
  }
  auto triggers = db_->Query(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_rollup_%'", {});
  ASSERT_TRUE(triggers.ok());
  std::set<std::string> found;
  for (const store::Row& row : *triggers) found.insert(row.GetString(0));
  EXPECT_EQ(found, expected);
}

TEST(GeneratedDdl, RollupOfAStreamWithoutTheColumnIsRefused) {
  std::vector<reports::RollupStream> rollups = {
      {"customers", "created", "status", true, {}}};  // customers have no status
  EXPECT_THROW(RollupSql(rollups, RollupLayout::kQuarterHours), std::invalid_argument);
}

}  // namespace
}  // namespace stripeline::tools
