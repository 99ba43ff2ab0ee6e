// Schema versioning, run against every backend.

#include "store/migrations.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "store/open_database.h"
#include "store/sqlite/sqlite_database.h"
#include "store/store.h"
#include "unit/store/store_test_util.h"
#include "unit/store/test_schemas.h"

namespace stripeline::store {
namespace {

using test_util::Backend;
using test_util::TempDir;

// unit_store's stores hold store/'s own tables (test_schemas.cc).
constexpr std::string_view kOwner = "store";

class MigrationsContract : public ::testing::TestWithParam<Backend> {
 protected:
  std::string Url() const { return GetParam().url(dir_.path()); }
  const std::vector<Migration>& BackendMigrations() const { return GetParam().migrations(); }
  int64_t Latest() const { return BackendMigrations().back().version; }

  TempDir dir_;
};

TEST_P(MigrationsContract, OpenDatabaseAppliesAllAndRecordsThem) {
  Result<std::unique_ptr<Database>> opened = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Database& db = **opened;
  EXPECT_EQ(*SchemaVersion(db, kOwner), Latest());
  Result<Rows> rows = db.Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), BackendMigrations().size());
  EXPECT_EQ((*rows)[0].GetInt("version"), 1);
  EXPECT_EQ((*rows)[0].GetString("name"), BackendMigrations()[0].name);
  EXPECT_GT((*rows)[0].GetInt("applied_at"), 0);
}

TEST_P(MigrationsContract, SecondOpenIsANoOpAndKeepsData) {
  {
    Result<std::unique_ptr<Database>> first = OpenDatabase(Url(), test_util::TestSchemas());
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_TRUE(Store(**first).PutSetting("k", "v").ok());
  }
  Result<std::unique_ptr<Database>> second = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(*Store(**second).GetSetting("k"), "v");
  Result<Rows> rows = (*second)->Query("SELECT COUNT(*) FROM schema_migrations", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].GetInt(0), static_cast<int64_t>(BackendMigrations().size()));
}

TEST_P(MigrationsContract, TwoStoresOnTheSameDatabaseAtOnce) {
  Result<std::unique_ptr<Database>> first = OpenDatabase(Url(), test_util::TestSchemas());
  Result<std::unique_ptr<Database>> second = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(Store(**first).PutSetting("k", "from first").ok());
  EXPECT_EQ(*Store(**second).GetSetting("k"), "from first");
}

TEST_P(MigrationsContract, DatabaseFromANewerReleaseIsRefused) {
  {
    Result<std::unique_ptr<Database>> opened = OpenDatabase(Url(), test_util::TestSchemas());
    ASSERT_TRUE(opened.ok());
    ASSERT_TRUE((*opened)
                    ->Execute("INSERT INTO schema_migrations (owner, version, name, applied_at) "
                             "VALUES ($1, $2, $3, $4)",
                             {std::string(kOwner), Latest() + 7,
                              std::string("from the future"), int64_t{1}})
                    .ok());
  }
  Result<std::unique_ptr<Database>> again = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().error_code(), "schema_too_new");
  EXPECT_NE(again.status().message().find("version " + std::to_string(Latest() + 7)),
            std::string::npos)
      << again.status().message();
  EXPECT_NE(again.status().message().find("newer"), std::string::npos);
}

TEST_P(MigrationsContract, AppliesPendingInOrderOnceWithTheClock) {
  Result<std::unique_ptr<Database>> opened = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok());
  Database& db = **opened;
  std::vector<Migration> list = BackendMigrations();
  list.push_back({Latest() + 1, "add a", "CREATE TABLE extra_a (id TEXT PRIMARY KEY);"});
  list.push_back({Latest() + 2, "fill a",
                  "INSERT INTO extra_a (id) VALUES ('x'); INSERT INTO extra_a (id) VALUES ('y');"});
  FakeClock clock(1'234'567);
  ASSERT_TRUE(Migrate(db, kOwner, list, clock).ok());
  EXPECT_EQ(*SchemaVersion(db, kOwner), Latest() + 2);
  ASSERT_TRUE(Migrate(db, kOwner, list, clock).ok());  // nothing pending: no duplicate rows
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
  Result<std::unique_ptr<Database>> opened = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok());
  Database& db = **opened;
  std::vector<Migration> list = BackendMigrations();
  list.push_back({Latest() + 1, "good", "CREATE TABLE extra_good (id TEXT);"});
  list.push_back({Latest() + 2, "bad",
                  "CREATE TABLE extra_bad (id TEXT); INSERT INTO no_such_table VALUES (1);"});
  Status s = Migrate(db, kOwner, list);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), "migration_failed");
  EXPECT_NE(s.message().find("(bad)"), std::string::npos) << s.message();
  EXPECT_EQ(*SchemaVersion(db, kOwner), Latest() + 1);  // the good one stays applied
  EXPECT_TRUE(db.Query("SELECT id FROM extra_good", {}).ok());
  EXPECT_FALSE(db.Query("SELECT id FROM extra_bad", {}).ok());
}

TEST_P(MigrationsContract, ListMustBeStrictlyIncreasing) {
  Result<std::unique_ptr<Database>> opened = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok());
  std::vector<Migration> list = BackendMigrations();
  list.push_back({Latest(), "same version again", "SELECT 1;"});
  EXPECT_EQ(Migrate(**opened, kOwner, list).code(), StatusCode::kInternal);
}

TEST_P(MigrationsContract, UnsupportedUrls) {
  Result<std::unique_ptr<Database>> pg = OpenDatabase("postgres://localhost/db",
                                                test_util::TestSchemas());
  EXPECT_EQ(pg.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(pg.status().message(), "PostgreSQL support is not built yet");
  EXPECT_EQ(OpenDatabase("mysql://localhost/db", test_util::TestSchemas()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenDatabase("sqlite:", test_util::TestSchemas()).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(MigrationsContract, OwnersCountTheirVersionsApart) {
  Result<std::unique_ptr<Database>> opened = OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok());
  Database& db = **opened;
  SchemaOwner upper{"upper", {{1, "upper one", "CREATE TABLE upper_a (id TEXT);"},
                              {2, "upper two", "CREATE TABLE upper_b (id TEXT);"}}};
  ASSERT_TRUE(Migrate(db, {&upper}).ok());
  EXPECT_EQ(*SchemaVersion(db, "upper"), 2);
  EXPECT_EQ(*SchemaVersion(db, kOwner), Latest());
  // A newer version of one owner refuses that owner only.
  SchemaOwner older_upper{"upper", {upper.sqlite[0]}};
  Status refused = Migrate(db, {&older_upper});
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("upper"), std::string::npos) << refused.message();
  EXPECT_TRUE(Migrate(db, "store", BackendMigrations()).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationsContract,
                         ::testing::ValuesIn(test_util::Backends()), test_util::BackendName);

// A database written before issue 12 recorded one history, schema_migrations(version, name,
// applied_at). Only SQLite databases were ever written so.
class LegacyHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sqlite::SqliteDatabase::Open((dir_.path() / "legacy.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->ExecuteScript(R"sql(
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                                applied_at BIGINT NOT NULL);
CREATE TABLE t1 (id TEXT);
CREATE TABLE t2 (id TEXT);
CREATE TABLE t3 (id TEXT);
INSERT INTO schema_migrations VALUES (1, 'one', 100), (2, 'two', 200), (3, 'three', 300);
)sql")
                    .ok());
  }

  Result<Rows> Recorded() {
    return db_->Query("SELECT owner, version, name, applied_at FROM schema_migrations "
                      "ORDER BY owner, version",
                      {});
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  // Re-running any of the shipped ones would fail (their tables exist).
  SchemaOwner lower_{"lower",
                     {{1, "one", "CREATE TABLE t1 (id TEXT);", 1},
                      {2, "three", "CREATE TABLE t3 (id TEXT);", 3},
                      {3, "four", "CREATE TABLE t4 (id TEXT);"}}};
  SchemaOwner upper_{"upper", {{1, "two", "CREATE TABLE t2 (id TEXT);", 2}}};
};

TEST_F(LegacyHistory, EachOwnerClaimsItsVersionsAndRunsOnlyTheNewOnes) {
  FakeClock clock(5'000);
  ASSERT_TRUE(Migrate(*db_, {&lower_}, clock).ok());
  Result<Rows> rows = Recorded();
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  // upper's version is kept, unclaimed, until upper is migrated.
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].GetString(0), "");
  EXPECT_EQ((*rows)[0].GetInt(1), 2);
  EXPECT_EQ((*rows)[1].GetString(0), "lower");
  EXPECT_EQ((*rows)[1].GetInt(3), 100);
  EXPECT_EQ((*rows)[2].GetInt(1), 2);
  EXPECT_EQ((*rows)[2].GetString(2), "three");
  EXPECT_EQ((*rows)[2].GetInt(3), 300);
  EXPECT_EQ((*rows)[3].GetInt(1), 3);
  EXPECT_EQ((*rows)[3].GetInt(3), 5'000);
  EXPECT_TRUE(db_->Query("SELECT id FROM t4", {}).ok());

  ASSERT_TRUE(Migrate(*db_, {&lower_, &upper_}, clock).ok());
  rows = Recorded();
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[3].GetString(0), "upper");
  EXPECT_EQ((*rows)[3].GetInt(1), 1);
  EXPECT_EQ((*rows)[3].GetInt(3), 200);
  EXPECT_EQ(*SchemaVersion(*db_, "lower"), 3);
  EXPECT_EQ(*SchemaVersion(*db_, "upper"), 1);
}

}  // namespace
}  // namespace stripeline::store
