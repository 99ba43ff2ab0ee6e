#pragma once
// Versioned schema migrations, owned per subsystem. Each subsystem that owns tables (store/ its
// access records, sync/ the synced Stripe data and the sync state, reports/ the rollups, facts
// and dashboards) declares a SchemaOwner: its name and its schema history, one list per backend
// (DDL differs between SQLite and PostgreSQL). The composition root passes the owners, lower
// layers first, to OpenDatabase / Migrate; store/ knows none of them.
//
// Versions count per owner. They are recorded in
// `schema_migrations(owner, version, name, applied_at)`. Before issue 12 one history numbered
// every table's migrations 1..9 in `schema_migrations(version, name, applied_at)`: a migration
// that was part of it names its number there (`legacy_version`), so a database written by that
// release is converted once, without running anything again.
//
// Not thread-safe with respect to other Migrate calls on the same database from this process;
// safe against other processes as far as the backend's Transaction serialises writers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/status.h"
#include "store/database.h"

namespace stripeline::store {

struct Migration {
  // Strictly increasing within an owner's list, starting at 1. A version whose tables moved to
  // another owner leaves a gap (store/'s 2): databases that applied it keep its record.
  int64_t version = 0;
  std::string name;     // short, e.g. "initial schema"
  std::string sql;      // a script for Database::ExecuteScript
  // Its version in the single history before issue 12; 0 for a migration added since.
  int64_t legacy_version = 0;
};

// A subsystem's tables: the migrations that make them, oldest first, one list per backend.
// Append new migrations; never edit a shipped one.
struct SchemaOwner {
  std::string name;              // recorded with each version: "store", "sync", "reports"
  std::vector<Migration> sqlite;  // for Database::BackendName() "sqlite"
  // PostgreSQL (issue 15) adds `postgres` here and in MigrationsFor.
};

// The owner's list for `backend` (a Database::BackendName()); InvalidArgument when the owner
// has none for it.
[[nodiscard]] Result<const std::vector<Migration>*> MigrationsFor(const SchemaOwner& owner,
                                                                  std::string_view backend);

// Applies every migration of `owner_name` whose version is not yet recorded, in order, each in
// its own transaction together with its schema_migrations row (so a failed migration leaves no
// trace). FailedPrecondition, without changing anything, when the database records a version
// of this owner newer than the last one in `migrations` (it was written by a newer Stripeline).
// Internal when the list is not strictly increasing or a migration fails (the message names
// it).
[[nodiscard]] Status Migrate(Database& db, std::string_view owner_name,
                             const std::vector<Migration>& migrations,
                             const Clock& clock = Clock::Real());

// Migrates each owner in turn (their lists for db.BackendName()), in the order given: pass
// lower layers first (store, sync, reports), since a subsystem's tables may refer to those of
// the layers below it, never above. Two rounds: first each owner up to its last migration of
// the single pre-issue-12 history (`legacy_version`), then each owner's later ones, so a
// database of before issue 12 completes that history as it was before a newer migration of a
// lower layer rebuilds tables an older one of a higher layer changes (sync 5 rebuilt the
// stream tables, dropping the reports' triggers on them that reports 2 replaces).
[[nodiscard]] Status Migrate(Database& db, const std::vector<const SchemaOwner*>& owners,
                             const Clock& clock = Clock::Real());

// The highest applied version of `owner_name`; 0 when none is. Creates the (empty)
// schema_migrations table when missing, converts a pre-issue-12 one.
[[nodiscard]] Result<int64_t> SchemaVersion(Database& db, std::string_view owner_name);

}  // namespace stripeline::store
