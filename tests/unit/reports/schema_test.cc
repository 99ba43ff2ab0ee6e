// The schema as the owners' migrations make it (issue 12 split the single history between
// store/, sync/ and reports/): the owners' migrations that were that history make exactly
// what the release before made (testdata/schema_before_issue_12.sql, sqlite_master of a fresh
// database of that release), and a database of that release, at its last version or an older
// one, upgrades to the schema of a new database without running a migration twice or losing a
// row. The migrations added since (the webhook intake's move to sync/ aside, legacy_version 0)
// change that schema on purpose — verifications, test and live data apart — and come on top.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "reports/report_migrations.h"
#include "store/migrations.h"
#include "store/open_database.h"
#include "store/sqlite/sqlite_database.h"
#include "store/store.h"
#include "unit/common/temp_dir.h"
#include "unit/store/legacy_history.h"
#include "unit/store/test_schemas.h"

namespace stripeline::reports {
namespace {

// Every object but the runner's own bookkeeping, in the format of the checked-in dump.
std::string SchemaDump(store::Database& db, bool with_bookkeeping = false) {
  auto rows = db.Query(std::string("SELECT type, name, tbl_name, sql FROM sqlite_master") +
                           (with_bookkeeping ? "" : " WHERE tbl_name != 'schema_migrations'") +
                           " ORDER BY type, name",
                       {});
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  if (!rows.ok()) return "";
  std::string out;
  for (const store::Row& row : *rows) {
    if (!out.empty()) out += "\n";
    out += "-- " + row.GetString(0) + " " + row.GetString(1) + " ON " + row.GetString(2) + "\n" +
           (row.IsNull(3) ? "(no sql)" : row.GetString(3)) + ";\n";
  }
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The owners' migrations that were part of the single history (legacy_version set): what the
// release before issue 12 made. Migrations added since are left out.
std::vector<store::SchemaOwner> LegacyPartOf(const std::vector<const store::SchemaOwner*>& owners) {
  std::vector<store::SchemaOwner> legacy;
  for (const store::SchemaOwner* owner : owners) {
    store::SchemaOwner part{owner->name, {}};
    for (const store::Migration& migration : owner->sqlite) {
      if (migration.legacy_version != 0) part.sqlite.push_back(migration);
    }
    legacy.push_back(std::move(part));
  }
  return legacy;
}

// How many migrations the owners have in all.
int64_t MigrationCount(const std::vector<const store::SchemaOwner*>& owners) {
  int64_t count = 0;
  for (const store::SchemaOwner* owner : owners) count += static_cast<int64_t>(owner->sqlite.size());
  return count;
}

class Schema : public ::testing::Test {
 protected:
  std::string Url() const { return "sqlite:" + Path(); }
  std::string Path() const { return (dir_.path() / "stripeline.db").string(); }

  // A database of the release before issue 12 at `version` of its single history.
  void MakeLegacyDatabase(int64_t version) {
    auto db = store::sqlite::SqliteDatabase::Open(Path());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    Status made = test_util::ApplyLegacyHistory(**db, test_util::TestSchemas(), version);
    ASSERT_TRUE(made.ok()) << made.ToString();
  }

  static std::string FreshDump(bool with_bookkeeping) {
    test_util::TempDir dir;
    auto fresh = store::OpenDatabase("sqlite:" + (dir.path() / "fresh.db").string(),
                                     test_util::TestSchemas());
    EXPECT_TRUE(fresh.ok()) << fresh.status().ToString();
    return fresh.ok() ? SchemaDump(**fresh, with_bookkeeping) : "";
  }

  test_util::TempDir dir_;
};

TEST_F(Schema, NewDatabaseEqualsTheReleaseBefore) {
  // The migrations that were the single history make exactly that release's schema; those
  // added since (legacy_version 0) come on top, and the upgrade tests below check them.
  auto db = store::sqlite::SqliteDatabase::Open(Path());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  const std::vector<store::SchemaOwner> legacy = LegacyPartOf(test_util::TestSchemas());
  std::vector<const store::SchemaOwner*> owners;
  for (const store::SchemaOwner& owner : legacy) owners.push_back(&owner);
  ASSERT_TRUE(store::Migrate(**db, owners).ok());
  EXPECT_EQ(SchemaDump(**db),
            ReadFile(STRIPELINE_SOURCE_DIR
                     "/tests/unit/reports/testdata/schema_before_issue_12.sql"));
}

TEST_F(Schema, NewDatabaseRecordsEachOwnersVersions) {
  auto opened = store::OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  for (const store::SchemaOwner* owner : test_util::TestSchemas()) {
    EXPECT_EQ(*store::SchemaVersion(**opened, owner->name),
              owner->sqlite.back().version)
        << owner->name;
  }
}

TEST_F(Schema, DatabaseOfTheReleaseBeforeUpgradesWithoutRunningAnythingAgain) {
  MakeLegacyDatabase(9);
  {
    auto db = store::sqlite::SqliteDatabase::Open(Path());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Execute("INSERT INTO settings (key, value) VALUES ('k', 'v')", {}).ok());
    ASSERT_TRUE((*db)->Execute("INSERT INTO stripe_charges (account_id, id, livemode, created, "
                               "version, synced_at, raw, status, currency, amount_captured) "
                               "VALUES ('acct_1', 'ch_1', 0, 7200, 1, 1, '{}', 'succeeded', "
                               "'usd', 500)",
                               {})
                    .ok());
  }
  auto opened = store::OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Database& db = **opened;
  // Each of the 9 migrations is recorded once, under its owner, with its original time (those
  // added since issue 12 are recorded as applied now).
  auto applied = db.Query("SELECT owner, COUNT(*), MIN(applied_at), MAX(applied_at) FROM "
                          "schema_migrations WHERE applied_at = $1 GROUP BY owner ORDER BY owner",
                          {test_util::kLegacyAppliedAt});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->size(), 3u);
  EXPECT_EQ((*applied)[0].GetString(0), "reports");
  EXPECT_EQ((*applied)[0].GetInt(1), 3);
  EXPECT_EQ((*applied)[1].GetString(0), "store");
  EXPECT_EQ((*applied)[1].GetInt(1), 3);
  EXPECT_EQ((*applied)[2].GetString(0), "sync");  // the webhook intake's tables included
  EXPECT_EQ((*applied)[2].GetInt(1), 3);
  for (const store::Row& row : *applied) {
    EXPECT_EQ(row.GetInt(2), test_util::kLegacyAppliedAt);
    EXPECT_EQ(row.GetInt(3), test_util::kLegacyAppliedAt);
  }
  auto all = db.Query("SELECT COUNT(*) FROM schema_migrations", {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].GetInt(0), MigrationCount(test_util::TestSchemas()));
  EXPECT_EQ(SchemaDump(db, true), FreshDump(true));
  EXPECT_EQ(*store::Store(**opened).GetSetting("k"), "v");
  auto rollup = db.Query("SELECT n, amount FROM report_rollup WHERE stream = 'charges'", {});
  ASSERT_TRUE(rollup.ok());
  ASSERT_EQ(rollup->size(), 1u);
  EXPECT_EQ((*rollup)[0].GetInt(0), 1);
  EXPECT_EQ((*rollup)[0].GetInt(1), 500);
}

TEST_F(Schema, OlderDatabaseOfTheReleaseBeforeGetsWhatItLacks) {
  // Version 5: the store's and sync's tables up to the OAuth states, no reports yet.
  MakeLegacyDatabase(5);
  auto opened = store::OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Database& db = **opened;
  EXPECT_EQ(SchemaDump(db, true), FreshDump(true));
  auto kept = db.Query("SELECT COUNT(*) FROM schema_migrations WHERE applied_at = $1",
                       {test_util::kLegacyAppliedAt});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ((*kept)[0].GetInt(0), 5);
  auto all = db.Query("SELECT COUNT(*) FROM schema_migrations", {});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)[0].GetInt(0), MigrationCount(test_util::TestSchemas()));
}

}  // namespace
}  // namespace stripeline::reports
