// Schema versioning, run against every backend.

#include "store/migrations.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "store/open_store.h"
#include "unit/store/store_test_util.h"

namespace stripeline::store {
namespace {

using test_util::Backend;
using test_util::TempDir;

class MigrationsContract : public ::testing::TestWithParam<Backend> {
 protected:
  std::string Url() const { return GetParam().url(dir_.path()); }
  const std::vector<Migration>& BackendMigrations() const { return GetParam().migrations(); }
  int64_t Latest() const { return BackendMigrations().back().version; }

  TempDir dir_;
};

TEST_P(MigrationsContract, OpenStoreAppliesAllAndRecordsThem) {
  Result<std::unique_ptr<Store>> store = OpenStore(Url());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Database& db = (*store)->database();
  EXPECT_EQ(*SchemaVersion(db), Latest());
  Result<Rows> rows = db.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), BackendMigrations().size());
  EXPECT_EQ((*rows)[0].GetInt("version"), 1);
  EXPECT_EQ((*rows)[0].GetString("name"), BackendMigrations()[0].name);
  EXPECT_GT((*rows)[0].GetInt("applied_at"), 0);
}

TEST_P(MigrationsContract, SecondOpenIsANoOpAndKeepsData) {
  {
    Result<std::unique_ptr<Store>> first = OpenStore(Url());
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_TRUE((*first)->PutSetting("k", "v").ok());
  }
  Result<std::unique_ptr<Store>> second = OpenStore(Url());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*(*second)->GetSetting("k"), "v");
  Result<Rows> rows = (*second)->database().Query("SELECT COUNT(*) FROM schema_migrations", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].GetInt(0), static_cast<int64_t>(BackendMigrations().size()));
}

TEST_P(MigrationsContract, TwoStoresOnTheSameDatabaseAtOnce) {
  Result<std::unique_ptr<Store>> first = OpenStore(Url());
  Result<std::unique_ptr<Store>> second = OpenStore(Url());
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE((*first)->PutSetting("k", "from first").ok());
  EXPECT_EQ(*(*second)->GetSetting("k"), "from first");
}

TEST_P(MigrationsContract, DatabaseFromANewerReleaseIsRefused) {
  {
    Result<std::unique_ptr<Store>> store = OpenStore(Url());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->database()
                    .Execute("INSERT INTO schema_migrations (version, name, applied_at) "
                             "VALUES ($1, $2, $3)",
                             {Latest() + 7, std::string("from the future"), int64_t{1}})
                    .ok());
  }
  Result<std::unique_ptr<Store>> again = OpenStore(Url());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().error_code(), "schema_too_new");
  EXPECT_NE(again.status().message().find("version " + std::to_string(Latest() + 7)),
            std::string::npos)
      << again.status().message();
  EXPECT_NE(again.status().message().find("newer"), std::string::npos);
}

TEST_P(MigrationsContract, AppliesPendingInOrderOnceWithTheClock) {
  Result<std::unique_ptr<Store>> store = OpenStore(Url());
  ASSERT_TRUE(store.ok());
  Database& db = (*store)->database();
  std::vector<Migration> list = BackendMigrations();
  list.push_back({Latest() + 1, "add a", "CREATE TABLE extra_a (id TEXT PRIMARY KEY);"});
  list.push_back({Latest() + 2, "fill a",
                  "INSERT INTO extra_a (id) VALUES ('x'); INSERT INTO extra_a (id) VALUES ('y');"});
  FakeClock clock(1'234'567);
  ASSERT_TRUE(Migrate(db, list, clock).ok());
  EXPECT_EQ(*SchemaVersion(db), Latest() + 2);
  ASSERT_TRUE(Migrate(db, list, clock).ok());  // nothing pending: no duplicate rows
  Result<Rows> rows = db.Query("SELECT COUNT(*) FROM extra_a", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].GetInt(0), 2);
  Result<Rows> applied =
      db.Query("SELECT applied_at FROM schema_migrations WHERE version = $1", {Latest() + 2});
  ASSERT_TRUE(applied.ok());
  ASSERT_EQ(applied->size(), 1u);
  EXPECT_EQ((*applied)[0].GetInt(0), 1'234'567);
}

TEST_P(MigrationsContract, FailedMigrationLeavesNoTrace) {
  Result<std::unique_ptr<Store>> store = OpenStore(Url());
  ASSERT_TRUE(store.ok());
  Database& db = (*store)->database();
  std::vector<Migration> list = BackendMigrations();
  list.push_back({Latest() + 1, "good", "CREATE TABLE extra_good (id TEXT);"});
  list.push_back({Latest() + 2, "bad",
                  "CREATE TABLE extra_bad (id TEXT); INSERT INTO no_such_table VALUES (1);"});
  Status s = Migrate(db, list);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), "migration_failed");
  EXPECT_NE(s.message().find("(bad)"), std::string::npos) << s.message();
  EXPECT_EQ(*SchemaVersion(db), Latest() + 1);  // the good one stays applied
  EXPECT_TRUE(db.Query("SELECT id FROM extra_good", {}).ok());
  EXPECT_FALSE(db.Query("SELECT id FROM extra_bad", {}).ok());
}

TEST_P(MigrationsContract, ListMustBeStrictlyIncreasing) {
  Result<std::unique_ptr<Store>> store = OpenStore(Url());
  ASSERT_TRUE(store.ok());
  std::vector<Migration> list = BackendMigrations();
  list.push_back({Latest(), "same version again", "SELECT 1;"});
  EXPECT_EQ(Migrate((*store)->database(), list).code(), StatusCode::kInternal);
}

TEST_P(MigrationsContract, UnsupportedUrls) {
  Result<std::unique_ptr<Store>> pg = OpenStore("postgres://localhost/db");
  EXPECT_EQ(pg.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(pg.status().message(), "PostgreSQL support is not built yet");
  EXPECT_EQ(OpenStore("mysql://localhost/db").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite:").status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsContract,
                         ::testing::ValuesIn(test_util::Backends()), test_util::BackendName);

}  // namespace
}  // namespace stripeline::store
