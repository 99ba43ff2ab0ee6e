// What is specific to the SQLite backend: connection settings, URLs, locking.

#include "store/sqlite/sqlite_database.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

#include "store/open_database.h"
#include "store/store.h"
#include "unit/store/store_test_util.h"
#include "unit/store/test_schemas.h"

namespace stripeline::store::sqlite {
namespace {

using test_util::TempDir;

std::string Pragma(Database& db, const std::string& name) {
  Result<Rows> rows = db.Query("PRAGMA " + name, {});
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() && !rows->empty() ? (*rows)[0].GetString(0) : "";
}

TEST(SqliteDatabase, OpensInWalModeWithOurSettings) {
  TempDir dir;
  Result<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open((dir.path() / "a" / "b" / "x.db").string());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "a" / "b" / "x.db"));
  EXPECT_EQ(Pragma(**db, "journal_mode"), "wal");
  EXPECT_EQ(Pragma(**db, "foreign_keys"), "1");
  EXPECT_EQ(Pragma(**db, "busy_timeout"), "5000");
  EXPECT_EQ(Pragma(**db, "synchronous"), "1");  // NORMAL
  EXPECT_EQ(Pragma(**db, "cache_size"), "-32768");  // KiB
  EXPECT_EQ((*db)->BackendName(), "sqlite");
}

std::filesystem::perms Mode(const std::filesystem::path& path) {
  return std::filesystem::status(path).permissions() & std::filesystem::perms::mask;
}

TEST(SqliteDatabase, ItsDirectoryAndFilesAreTheOwnersAloneWhateverTheUmask) {
  using std::filesystem::perms;
  TempDir dir;
  const mode_t old_umask = ::umask(022);
  const std::filesystem::path path = dir.path() / "data" / "stripeline.db";
  {
    Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::Open(path.string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->ExecuteScript("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").ok());
    EXPECT_EQ(Mode(dir.path() / "data"), perms::owner_all);
    EXPECT_EQ(Mode(path), perms::owner_read | perms::owner_write);
    EXPECT_EQ(Mode(path.string() + "-wal"), perms::owner_read | perms::owner_write);
    EXPECT_EQ(Mode(path.string() + "-shm"), perms::owner_read | perms::owner_write);
  }
  // A database an older version left readable by everyone is made private when opened.
  std::filesystem::permissions(path, perms::group_read | perms::others_read,
                               std::filesystem::perm_options::add);
  ASSERT_TRUE(SqliteDatabase::Open(path.string()).ok());
  EXPECT_EQ(Mode(path), perms::owner_read | perms::owner_write);
  ::umask(old_umask);
}

TEST(SqliteDatabase, AFullDiskIsUnavailableWithAPlainMessageAndNoSql) {
  TempDir dir;
  Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::Open((dir.path() / "x.db").string());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE((*db)->ExecuteScript("CREATE TABLE clients (name TEXT)").ok());
  // SQLite answers SQLITE_FULL once the file may not grow: a full disk, deterministically.
  const std::string pages = Pragma(**db, "page_count");
  ASSERT_TRUE((*db)->ExecuteScript("PRAGMA max_page_count = " + pages).ok());
  Status full = (*db)->Execute("INSERT INTO clients (name) VALUES ($1)",
                               {std::string(64 * 1024, 'x')}).status();
  EXPECT_EQ(full.code(), StatusCode::kUnavailable) << full.ToString();
  EXPECT_EQ(full.error_code(), "storage_full");
  EXPECT_EQ(full.message().find("INSERT"), std::string::npos) << full.message();
  EXPECT_NE(full.message().find("disk"), std::string::npos) << full.message();
}

TEST(SqliteDatabase, OpenDatabaseAcceptsUrlFormsAndPlainPaths) {
  TempDir dir;
  for (const std::string& url :
       {"sqlite:" + (dir.path() / "one.db").string(), "sqlite://" + (dir.path() / "two.db").string(),
        (dir.path() / "three.db").string(), std::string("sqlite::memory:")}) {
    Result<std::unique_ptr<Database>> opened = OpenDatabase(url, test_util::TestSchemas());
    ASSERT_TRUE(opened.ok()) << url << ": " << opened.status().ToString();
    EXPECT_TRUE(Store(**opened).PutSetting("k", "v").ok());
  }
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "one.db"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "two.db"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "three.db"));
}

TEST(SqliteDatabase, OpenDatabaseFileIsInWalMode) {
  TempDir dir;
  Result<std::unique_ptr<Database>> opened =
      OpenDatabase("sqlite:" + (dir.path() / "s.db").string(), test_util::TestSchemas());
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(Pragma(**opened, "journal_mode"), "wal");
}

TEST(SqliteDatabase, LockedByAnotherConnectionIsUnavailable) {
  TempDir dir;
  const std::string path = (dir.path() / "locked.db").string();
  Result<std::unique_ptr<SqliteDatabase>> a = SqliteDatabase::Open(path);
  Result<std::unique_ptr<SqliteDatabase>> b = SqliteDatabase::Open(path);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE((*a)->ExecuteScript("CREATE TABLE t (id TEXT PRIMARY KEY);").ok());
  ASSERT_TRUE((*b)->ExecuteScript("PRAGMA busy_timeout=20;").ok());  // keep the test fast

  Status inner;
  Status outer = (*a)->Transaction([&]() -> Status {
    SL_RETURN_IF_ERROR((*a)->Execute("INSERT INTO t (id) VALUES ($1)", {std::string("a")}).status());
    inner = (*b)->Execute("INSERT INTO t (id) VALUES ($1)", {std::string("b")}).status();
    return Status::OK();
  });
  ASSERT_TRUE(outer.ok()) << outer.ToString();
  EXPECT_EQ(inner.code(), StatusCode::kUnavailable) << inner.ToString();
  // Once the writer committed, the other connection sees its row and can write.
  ASSERT_TRUE((*b)->Execute("INSERT INTO t (id) VALUES ($1)", {std::string("b")}).ok());
  Result<Rows> rows = (*b)->Query("SELECT COUNT(*) FROM t", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].GetInt(0), 2);
}

TEST(SqliteDatabase, CachedStatementsSurviveSchemaChanges) {
  TempDir dir;
  Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::Open((dir.path() / "c.db").string());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->ExecuteScript("CREATE TABLE t (id TEXT);").ok());
  ASSERT_TRUE((*db)->Execute("INSERT INTO t (id) VALUES ($1)", {std::string("a")}).ok());
  ASSERT_TRUE((*db)->ExecuteScript("ALTER TABLE t ADD COLUMN n BIGINT;").ok());
  ASSERT_TRUE((*db)->Execute("INSERT INTO t (id) VALUES ($1)", {std::string("b")}).ok());
  Result<Rows> rows = (*db)->Query("SELECT * FROM t ORDER BY id", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->column_names(), (std::vector<std::string>{"id", "n"}));
  EXPECT_EQ(rows->size(), 2u);
}

TEST(SqliteDatabase, EmptyPathIsInvalid) {
  EXPECT_EQ(SqliteDatabase::Open("").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stripeline::store::sqlite
