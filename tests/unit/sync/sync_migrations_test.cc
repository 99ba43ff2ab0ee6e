// SyncSchema() owns the webhook intake's tables (its version 3). Until it did, store/'s version 2
// made them: a database of that layout keeps its tables and rows, records sync's version 3
// without failing or making anything twice, and ends with the schema of a new database.
#include "sync/sync_migrations.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "store/open_database.h"
#include "store/sqlite/sqlite_database.h"
#include "store/store.h"
#include "store/store_migrations.h"
#include "unit/common/temp_dir.h"
#include "unit/store/store_test_util.h"
#include "unit/store/test_schemas.h"

namespace stripeline::sync {
namespace {

const store::Migration& WebhookMigration() {
  for (const store::Migration& m : SyncSchema().sqlite) {
    if (m.name == "webhook intake") return m;
  }
  ADD_FAILURE() << "sync has no \"webhook intake\" migration";
  static const store::Migration kNone;
  return kNone;
}

// The owners as the layout before the move numbered them: store/'s version 2 made the webhook
// tables with the same statements without IF NOT EXISTS (its text then), and sync/ ended at 2.
struct PreviousLayout {
  store::SchemaOwner store_owner = store::StoreSchema();
  store::SchemaOwner sync_owner = SyncSchema();

  PreviousLayout() {
    std::string sql = WebhookMigration().sql;
    const std::string clause = " IF NOT EXISTS";
    for (size_t at = sql.find(clause); at != std::string::npos; at = sql.find(clause, at)) {
      sql.erase(at, clause.size());
    }
    store_owner.sqlite.insert(store_owner.sqlite.begin() + 1,
                              store::Migration{2, "webhook intake", sql, 3});
    std::erase_if(sync_owner.sqlite, [](const store::Migration& m) { return m.version >= 3; });
  }
};

// Every table, index and trigger as SQLite keeps it (IF NOT EXISTS is not kept).
std::string Schema(store::Database& db) {
  auto rows = db.Query("SELECT type, name, sql FROM sqlite_master ORDER BY type, name", {});
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::string out;
  if (rows.ok()) {
    for (const store::Row& row : *rows) {
      out += row.GetString(0) + " " + row.GetString(1) + ": " +
             (row.IsNull(2) ? "" : row.GetString(2)) + "\n";
    }
  }
  return out;
}

int64_t Count(store::Database& db, const std::string& sql,
              const std::vector<store::Value>& params) {
  auto rows = db.Query(sql, params);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() && !rows->empty() ? (*rows)[0].GetInt(0) : -1;
}

class SyncMigrations : public ::testing::Test {
 protected:
  std::string Url() const { return "sqlite:" + (dir_.path() / "stripeline.db").string(); }

  test_util::TempDir dir_;
};

TEST_F(SyncMigrations, NewDatabaseHasTheWebhookTablesFromSync) {
  auto db = store::OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(*store::SchemaVersion(**db, "sync"), sync::SyncSchema().sqlite.back().version);
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM schema_migrations WHERE name = $1",
                  {std::string("webhook intake")}),
            1);
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM schema_migrations WHERE owner = 'sync' AND "
                        "version = 3 AND name = $1",
                  {std::string("webhook intake")}),
            1);
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM webhook_events", {}), 0);
  EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM webhook_secrets", {}), 0);
}

TEST_F(SyncMigrations, DatabaseOfThePreviousLayoutKeepsItsWebhookTablesAndRows) {
  {
    auto db = store::sqlite::SqliteDatabase::Open((dir_.path() / "stripeline.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    const PreviousLayout previous;
    ASSERT_TRUE(store::Migrate(**db, {&previous.store_owner, &previous.sync_owner}).ok());
    store::Store records(**db);
    ASSERT_TRUE(records.CreateIntegration(store::test_util::MakeIntegration("int_1")).ok());
    ASSERT_TRUE((*db)->Execute("INSERT INTO webhook_secrets (integration_id, secret_sealed, "
                               "secret_masked, created_at) VALUES ('int_1', 'v1:sealed', "
                               "'whsec_...abcd', 10)",
                               {})
                    .ok());
    ASSERT_TRUE((*db)->Execute("INSERT INTO webhook_events (integration_id, event_id, type, "
                               "created, livemode, payload, received_at, state) VALUES ('int_1', "
                               "'evt_1', 'charge.succeeded', 20, 0, '{}', 21, 'pending')",
                               {})
                    .ok());
  }
  for (int open = 0; open < 2; ++open) {  // the second open has nothing left to do
    auto db = store::OpenDatabase(Url(), test_util::TestSchemas());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ(*store::SchemaVersion(**db, "sync"), sync::SyncSchema().sqlite.back().version);
    EXPECT_EQ(*store::SchemaVersion(**db, "store"), store::StoreSchema().sqlite.back().version);
    // Both records stay: store's version 2 made the tables, sync's 3 took them over.
    EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM schema_migrations WHERE name = $1",
                    {std::string("webhook intake")}),
              2);
    EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM webhook_secrets WHERE integration_id = 'int_1'",
                    {}),
              1);
    EXPECT_EQ(Count(**db, "SELECT COUNT(*) FROM webhook_events WHERE event_id = 'evt_1'", {}), 1);
  }

  test_util::TempDir fresh_dir;
  auto fresh = store::OpenDatabase("sqlite:" + (fresh_dir.path() / "fresh.db").string(),
                                   test_util::TestSchemas());
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  auto upgraded = store::OpenDatabase(Url(), test_util::TestSchemas());
  ASSERT_TRUE(upgraded.ok()) << upgraded.status().ToString();
  EXPECT_EQ(Schema(**upgraded), Schema(**fresh));
}

}  // namespace
}  // namespace stripeline::sync
