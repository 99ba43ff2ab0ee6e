#pragma once
// Versioned schema migrations. Each backend keeps its own ordered list (DDL differs between
// SQLite and PostgreSQL); Migrate applies the pending ones and records them in the
// `schema_migrations(version, name, applied_at)` table. Not thread-safe with respect to other
// Migrate calls on the same database from this process; safe against other processes as far as
// the backend's Transaction serialises writers.

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/status.h"
#include "store/database.h"

namespace stripeline::store {

struct Migration {
  int64_t version = 0;  // strictly increasing within a list, starting at 1
  std::string name;     // short, e.g. "initial schema"
  std::string sql;      // a script for Database::ExecuteScript
};

// Applies every migration whose version is not yet recorded, in order, each in its own
// transaction together with its schema_migrations row (so a failed migration leaves no trace).
// FailedPrecondition, without changing anything, when the database records a version newer
// than the last one in `migrations` (it was written by a newer Stripeline). Internal when the
// list is not strictly increasing or a migration fails (the message names it).
[[nodiscard]] Status Migrate(Database& db, const std::vector<Migration>& migrations,
                             const Clock& clock = Clock::Real());

// The highest applied version; 0 for a database never migrated. Creates the (empty)
// schema_migrations table when missing.
[[nodiscard]] Result<int64_t> SchemaVersion(Database& db);

}  // namespace stripeline::store
