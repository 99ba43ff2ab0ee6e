#pragma once
// Database: the small SQL interface every storage backend implements (SQLite now, PostgreSQL
// later), drogon-style. SQL passed to it is portable: PostgreSQL-style placeholders `$1, $2, ...`
// (a placeholder may repeat and appear in any order), portable types (TEXT, BIGINT, INTEGER,
// DOUBLE PRECISION), `INSERT ... ON CONFLICT ...`, `RETURNING`. Values are never pasted into SQL.
// Implementations must be thread-safe; Transaction must isolate its body from other threads'
// statements.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace stripeline::store {

// One SQL value: NULL, a 64-bit integer, a double or text.
using Value = std::variant<std::monostate, int64_t, double, std::string>;

// NULL when empty, otherwise the value.
Value OptionalValue(const std::optional<std::string>& v);
Value OptionalValue(const std::optional<int64_t>& v);

// One result row. The typed getters convert leniently between integer, double and text
// (backends differ in what they return), treat NULL as 0 / "" and throw std::out_of_range for a
// column index or name that does not exist (a bug in the caller's SQL). Cheap to copy the
// column names (shared).
class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Value> values);

  size_t size() const { return values_.size(); }
  const Value& at(size_t i) const { return values_.at(i); }
  const Value& at(std::string_view column) const { return values_.at(ColumnIndex(column)); }
  // Index of the named column; throws std::out_of_range when there is none.
  size_t ColumnIndex(std::string_view column) const;

  bool IsNull(size_t i) const;
  std::string GetString(size_t i) const;
  int64_t GetInt(size_t i) const;
  double GetDouble(size_t i) const;
  bool GetBool(size_t i) const { return GetInt(i) != 0; }
  std::optional<std::string> GetOptionalString(size_t i) const;
  std::optional<int64_t> GetOptionalInt(size_t i) const;

  bool IsNull(std::string_view c) const { return IsNull(ColumnIndex(c)); }
  std::string GetString(std::string_view c) const { return GetString(ColumnIndex(c)); }
  int64_t GetInt(std::string_view c) const { return GetInt(ColumnIndex(c)); }
  double GetDouble(std::string_view c) const { return GetDouble(ColumnIndex(c)); }
  bool GetBool(std::string_view c) const { return GetBool(ColumnIndex(c)); }
  std::optional<std::string> GetOptionalString(std::string_view c) const {
    return GetOptionalString(ColumnIndex(c));
  }
  std::optional<int64_t> GetOptionalInt(std::string_view c) const {
    return GetOptionalInt(ColumnIndex(c));
  }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Value> values_;
};

// The full result of a query: column names and rows, in the order the database returned them.
class Rows {
 public:
  Rows() : columns_(std::make_shared<const std::vector<std::string>>()) {}
  Rows(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Row> rows)
      : columns_(std::move(columns)), rows_(std::move(rows)) {}

  const std::vector<std::string>& column_names() const { return *columns_; }
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](size_t i) const { return rows_[i]; }
  const Row& at(size_t i) const { return rows_.at(i); }
  std::vector<Row>::const_iterator begin() const { return rows_.begin(); }
  std::vector<Row>::const_iterator end() const { return rows_.end(); }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Row> rows_;
};

class Database {
 public:
  virtual ~Database() = default;

  // Runs one statement; returns the number of rows it inserted, updated or deleted.
  // `params[k-1]` binds `$k`. Every `$k` for k in 1..params.size() must appear in the SQL and no
  // other placeholder may (Internal otherwise). Errors: a UNIQUE / PRIMARY KEY violation is
  // AlreadyExists, a FOREIGN KEY violation FailedPrecondition, a locked database Unavailable,
  // a full disk Unavailable "storage_full" and a read-only database Unavailable
  // "storage_read_only" (messages for the operator; the statement goes to the log), anything
  // else Internal with the backend's message and the start of the statement.
  [[nodiscard]] virtual Result<int64_t> Execute(std::string_view sql,
                                                const std::vector<Value>& params) = 0;
  // Runs one statement and returns all its rows. Parameters and errors as Execute.
  [[nodiscard]] virtual Result<Rows> Query(std::string_view sql,
                                           const std::vector<Value>& params) = 0;
  // Runs `body` in a transaction: commits when it returns OK, rolls back otherwise (and when it
  // throws; the exception is rethrown). Statements of other threads wait until it ends. A nested
  // call is part of the outer transaction, with a savepoint: a failing inner body undoes only its
  // own work, and nothing is durable before the outermost call commits. Returns the body's
  // error, or the commit's.
  [[nodiscard]] virtual Status Transaction(const std::function<Status()>& body) = 0;
  // As Transaction, and an OK return means the commit reached stable storage (it survives a
  // power loss, not only a crash of the process). Nested in another transaction it is part of
  // that one, whose commit decides. Backends whose every commit is durable need not override.
  [[nodiscard]] virtual Status DurableTransaction(const std::function<Status()>& body) {
    return Transaction(body);
  }
  // Runs several `;`-separated statements without parameters (migrations, DDL).
  [[nodiscard]] virtual Status ExecuteScript(std::string_view sql) = 0;
  // "sqlite" or "postgres": for code that must pick backend-specific DDL (migrations).
  virtual std::string_view BackendName() const = 0;
};

}  // namespace stripeline::store
