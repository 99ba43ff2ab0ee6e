#pragma once
// SqliteDatabase: the SQLite backend of Database. One connection to one file, opened in WAL mode
// with busy_timeout 5000 ms, foreign_keys ON, synchronous NORMAL and a 32 MB page cache; its WAL
// checkpoints run on a background thread (wal_checkpointer.h). `$N` placeholders are bound
// by name (SQLite reads `$1` as a named parameter), so the same SQL runs on PostgreSQL.
// Prepared statements are cached by SQL text.
//
// Thread-safety: thread-safe. A single connection is guarded by one recursive mutex; a
// Transaction holds it for its whole body, so other threads' statements wait and never become
// part of it, while the body's own statements (same thread) run. Other processes are kept out
// by SQLite's file locks (transactions start with BEGIN IMMEDIATE, so a writer waits up to
// busy_timeout instead of failing on lock upgrade).

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/database.h"
#include "store/sqlite/wal_checkpointer.h"

namespace stripeline::store::sqlite {

class SqliteDatabase final : public Database {
 public:
  // Opens (creating it and its parent directories if needed) the database file at `path`;
  // ":memory:" opens a private in-memory database (no WAL). Internal / Unavailable on failure.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path);

  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Result<int64_t> Execute(std::string_view sql, const std::vector<Value>& params) override;
  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override;
  Status Transaction(const std::function<Status()>& body) override;
  // Commits with synchronous=FULL (the WAL is flushed to disk before COMMIT returns); every
  // other commit keeps the connection's synchronous=NORMAL (safe against a process crash).
  Status DurableTransaction(const std::function<Status()>& body) override;
  Status ExecuteScript(std::string_view sql) override;
  std::string_view BackendName() const override { return "sqlite"; }

  // The file this database was opened from.
  const std::string& path() const { return path_; }

 private:
  struct ConnectionCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  struct StatementFinalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  using ConnectionPtr = std::unique_ptr<sqlite3, ConnectionCloser>;
  using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

  // A prepared statement and, for each `$k`, its SQLite parameter index (slot_of_param[k-1]).
  struct Prepared {
    StatementPtr stmt;
    std::vector<int> slot_of_param;
  };

  SqliteDatabase(std::string path, ConnectionPtr db);

  // Returns the cached statement for `sql`, preparing it on first use. Requires mu_ held.
  Result<Prepared*> Prepare(std::string_view sql);
  // Binds params and steps through all rows, collecting them when `rows` is not null; resets
  // the statement afterwards. Requires mu_ held.
  Status Run(std::string_view sql, const std::vector<Value>& params, Rows* rows);
  // Converts the connection's current error into a Status. Requires mu_ held.
  Status ErrorStatus(int rc, std::string_view sql) const;

  std::string path_;
  std::recursive_mutex mu_;
  ConnectionPtr db_;                                               // guarded by mu_
  std::unordered_map<std::string, Prepared> statements_;           // guarded by mu_
  int transaction_depth_ = 0;                                      // guarded by mu_
  // WAL checkpoints off the committing thread (files only; none for ":memory:").
  std::unique_ptr<WalCheckpointer> checkpointer_;                  // hook runs under mu_
};

}  // namespace stripeline::store::sqlite
