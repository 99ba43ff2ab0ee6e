// WalCheckpointer: checkpoints leave the committing thread, the WAL stays bounded, nothing is
// lost. Driven through raw SQLite connections so the thresholds can be tiny.

#include "store/sqlite/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "unit/common/temp_dir.h"

namespace stripeline::store::sqlite {
namespace {

using test_util::TempDir;

constexpr int kRowBytes = 16 * 1024;  // about 4 WAL frames per commit

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open_v2(path().c_str(), &writer_,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                              nullptr),
              SQLITE_OK);
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE t (n INTEGER, b BLOB)");
  }
  void TearDown() override { sqlite3_close_v2(writer_); }

  std::string path() const { return (dir_.path() / "wal.db").string(); }
  std::filesystem::path wal() const { return dir_.path() / "wal.db-wal"; }

  void Exec(const std::string& sql) {
    ASSERT_EQ(sqlite3_exec(writer_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(writer_);
  }
  // One committed transaction of one row.
  void Commit(int n) {
    Exec("INSERT INTO t VALUES (" + std::to_string(n) + ", zeroblob(" + std::to_string(kRowBytes) +
         "))");
  }

  TempDir dir_;
  sqlite3* writer_ = nullptr;
};

TEST_F(WalCheckpointerTest, CheckpointsInTheBackgroundOnceTheWalCrossesTheThreshold) {
  auto checkpointer =
      WalCheckpointer::Start(writer_, path(), {.background_frames = 8, .blocking_frames = 1000});
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().ToString();
  const auto db_size_before = std::filesystem::file_size(dir_.path() / "wal.db");
  for (int n = 0; n < 4; ++n) Commit(n);  // > 8 frames
  (*checkpointer)->WaitUntilIdle();
  EXPECT_GE((*checkpointer)->background_checkpoints(), 1);
  EXPECT_EQ((*checkpointer)->blocking_checkpoints(), 0);
  // The rows reached the database file itself, not only the WAL.
  EXPECT_GE(std::filesystem::file_size(dir_.path() / "wal.db"), db_size_before + 3 * kRowBytes);
}

TEST_F(WalCheckpointerTest, TheWalStaysBoundedAndEveryCommitIsKept) {
  constexpr int kCommits = 300;  // ~1,200 frames: far beyond the bound without checkpoints
  {
    auto checkpointer =
        WalCheckpointer::Start(writer_, path(), {.background_frames = 8, .blocking_frames = 40});
    ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().ToString();
    for (int n = 0; n < kCommits; ++n) Commit(n);
    (*checkpointer)->WaitUntilIdle();
  }
  // A rewound WAL is reused from its start, so its size is its longest run of frames: the bound
  // plus one commit (a row of 16 KB is ~5 frames), never the whole history.
  const auto frame_bytes = 4096 + 24;
  EXPECT_LE(std::filesystem::file_size(wal()), (40 + 10) * frame_bytes);

  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path().c_str(), &reader, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* count = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(reader, "SELECT count(*), sum(n) FROM t", -1, &count, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(count), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(count, 0), kCommits);
  EXPECT_EQ(sqlite3_column_int64(count, 1), int64_t{kCommits} * (kCommits - 1) / 2);
  sqlite3_finalize(count);
  sqlite3_close_v2(reader);
}

}  // namespace
}  // namespace stripeline::store::sqlite
