#include "store/migrations.h"

#include <limits>

namespace stripeline::store {
namespace {

// Portable DDL: the same on SQLite and PostgreSQL.
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " owner TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL,"
    " PRIMARY KEY (owner, version))";

// The owner of the rows converted from the single pre-issue-12 history until the owner whose
// migration has that legacy version claims them.
constexpr std::string_view kUnclaimed = "";

bool HasOwnerColumn(Database& db) {
  return db.Query("SELECT owner FROM schema_migrations WHERE 1 = 0", {}).ok();
}

// A database written before issue 12 has schema_migrations(version, name, applied_at): its rows
// become unclaimed rows of the per-owner table, which is made with the same statement as in a
// new database (so both end with the same schema).
Status ConvertLegacyTable(Database& db) {
  if (HasOwnerColumn(db)) return Status::OK();
  return db.Transaction([&]() -> Status {
    // Re-checked inside the transaction: another process may have converted it meanwhile.
    if (HasOwnerColumn(db)) return Status::OK();
    SL_RETURN_IF_ERROR(
        db.Execute("ALTER TABLE schema_migrations RENAME TO schema_migrations_legacy", {})
            .status());
    SL_RETURN_IF_ERROR(db.Execute(kCreateMigrationsTable, {}).status());
    SL_RETURN_IF_ERROR(db.Execute("INSERT INTO schema_migrations (owner, version, name, "
                                  "applied_at) SELECT $1, version, name, applied_at FROM "
                                  "schema_migrations_legacy",
                                  {std::string(kUnclaimed)})
                           .status());
    return db.Execute("DROP TABLE schema_migrations_legacy", {}).status();
  });
}

Status PrepareTable(Database& db) {
  SL_RETURN_IF_ERROR(db.Execute(kCreateMigrationsTable, {}).status());
  return ConvertLegacyTable(db);
}

// The owner's migrations applied under the single history become its own rows, numbered as
// in its list; nothing runs again.
Status ClaimLegacyVersions(Database& db, std::string_view owner_name,
                           const std::vector<Migration>& migrations) {
  bool any = false;
  for (const Migration& m : migrations) any = any || m.legacy_version != 0;
  if (!any) return Status::OK();
  return db.Transaction([&]() -> Status {
    for (const Migration& m : migrations) {
      if (m.legacy_version == 0) continue;
      SL_RETURN_IF_ERROR(db.Execute("UPDATE schema_migrations SET owner = $1, version = $2 "
                                    "WHERE owner = $3 AND version = $4",
                                    {std::string(owner_name), m.version,
                                     std::string(kUnclaimed), m.legacy_version})
                             .status());
    }
    return Status::OK();
  });
}

Result<bool> IsApplied(Database& db, std::string_view owner_name, int64_t version) {
  SL_ASSIGN_OR_RETURN(
      Rows rows, db.Query("SELECT 1 FROM schema_migrations WHERE owner = $1 AND version = $2",
                          {std::string(owner_name), version}));
  return !rows.empty();
}

}  // namespace

Result<const std::vector<Migration>*> MigrationsFor(const SchemaOwner& owner,
                                                    std::string_view backend) {
  if (backend == "sqlite") return &owner.sqlite;
  return Status::InvalidArgument("The tables of " + owner.name + " have no migrations for " +
                                 std::string(backend));
}

Result<int64_t> SchemaVersion(Database& db, std::string_view owner_name) {
  SL_RETURN_IF_ERROR(PrepareTable(db));
  SL_ASSIGN_OR_RETURN(Rows rows, db.Query("SELECT MAX(version) FROM schema_migrations WHERE "
                                          "owner = $1",
                                          {std::string(owner_name)}));
  if (rows.empty() || rows[0].IsNull(0)) return int64_t{0};
  return rows[0].GetInt(0);
}

namespace {

// Migrate, applying only the migrations up to version `limit`.
Status MigrateUpTo(Database& db, std::string_view owner_name,
                   const std::vector<Migration>& migrations, const Clock& clock,
                   int64_t limit) {
  int64_t previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return Status::Internal("Migration list of " + std::string(owner_name) +
                              " is not strictly increasing at version " +
                              std::to_string(m.version));
    }
    previous = m.version;
  }
  const int64_t known = previous;

  SL_RETURN_IF_ERROR(PrepareTable(db));
  SL_RETURN_IF_ERROR(ClaimLegacyVersions(db, owner_name, migrations));
  SL_ASSIGN_OR_RETURN(int64_t current, SchemaVersion(db, owner_name));
  if (current > known) {
    return Status::FailedPrecondition(
        "The database schema of " + std::string(owner_name) + " is at version " +
            std::to_string(current) + ", newer than the newest this Stripeline build knows (" +
            std::to_string(known) +
            "): it was upgraded by a newer release. Run that release (or newer), or restore a "
            "backup",
        "schema_too_new");
  }

  for (const Migration& m : migrations) {
    if (m.version <= current || m.version > limit) continue;
    Status status = db.Transaction([&]() -> Status {
      // Re-checked inside the transaction: another process may have applied it meanwhile.
      SL_ASSIGN_OR_RETURN(bool applied, IsApplied(db, owner_name, m.version));
      if (applied) return Status::OK();
      SL_RETURN_IF_ERROR(db.ExecuteScript(m.sql));
      return db
          .Execute("INSERT INTO schema_migrations (owner, version, name, applied_at) VALUES ($1, "
                   "$2, $3, $4)",
                   {std::string(owner_name), m.version, m.name, clock.NowUnix()})
          .status();
    });
    if (!status.ok()) {
      return Status::Internal("Migration " + std::string(owner_name) + " " +
                                  std::to_string(m.version) + " (" + m.name +
                                  ") failed: " + status.message(),
                              "migration_failed");
    }
  }
  return Status::OK();
}

// The last version of `migrations` that was part of the single pre-issue-12 history; 0 if none.
int64_t LastLegacyVersion(const std::vector<Migration>& migrations) {
  int64_t last = 0;
  for (const Migration& m : migrations) {
    if (m.legacy_version != 0) last = m.version;
  }
  return last;
}

}  // namespace

Status Migrate(Database& db, std::string_view owner_name,
               const std::vector<Migration>& migrations, const Clock& clock) {
  return MigrateUpTo(db, owner_name, migrations, clock, std::numeric_limits<int64_t>::max());
}

Status Migrate(Database& db, const std::vector<const SchemaOwner*>& owners, const Clock& clock) {
  // First every owner to the end of the single history, then each owner's later migrations: a
  // later migration of a lower layer may rebuild its tables (sync 5 rebuilt the stream tables,
  // dropping the reports' triggers on them), which an older migration of a higher layer, still
  // to run on a database of before issue 12, expects to find as that history left them.
  for (bool history : {true, false}) {
    for (const SchemaOwner* owner : owners) {
      SL_ASSIGN_OR_RETURN(const std::vector<Migration>* migrations,
                          MigrationsFor(*owner, db.BackendName()));
      SL_RETURN_IF_ERROR(MigrateUpTo(db, owner->name, *migrations, clock,
                                     history ? LastLegacyVersion(*migrations)
                                             : std::numeric_limits<int64_t>::max()));
    }
  }
  return Status::OK();
}

}  // namespace stripeline::store
