#include "store/migrations.h"

namespace stripeline::store {
namespace {

// Portable DDL: the same on SQLite and PostgreSQL.
constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

Result<bool> IsApplied(Database& db, int64_t version) {
  SL_ASSIGN_OR_RETURN(Rows rows,
                      db.Query("SELECT 1 FROM schema_migrations WHERE version = $1", {version}));
  return !rows.empty();
}

}  // namespace

Result<int64_t> SchemaVersion(Database& db) {
  SL_RETURN_IF_ERROR(db.Execute(kCreateMigrationsTable, {}).status());
  SL_ASSIGN_OR_RETURN(Rows rows, db.Query("SELECT MAX(version) FROM schema_migrations", {}));
  if (rows.empty() || rows[0].IsNull(0)) return int64_t{0};
  return rows[0].GetInt(0);
}

Status Migrate(Database& db, const std::vector<Migration>& migrations, const Clock& clock) {
  int64_t previous = 0;
  for (const Migration& m : migrations) {
    if (m.version <= previous) {
      return Status::Internal("Migration list is not strictly increasing at version " +
                              std::to_string(m.version));
    }
    previous = m.version;
  }
  const int64_t known = previous;

  SL_ASSIGN_OR_RETURN(int64_t current, SchemaVersion(db));
  if (current > known) {
    return Status::FailedPrecondition(
        "The database schema is at version " + std::to_string(current) +
            ", newer than the newest this Stripeline build knows (" + std::to_string(known) +
            "): it was upgraded by a newer release. Run that release (or newer), or restore a "
            "backup",
        "schema_too_new");
  }

  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    Status status = db.Transaction([&]() -> Status {
      // Re-checked inside the transaction: another process may have applied it meanwhile.
      SL_ASSIGN_OR_RETURN(bool applied, IsApplied(db, m.version));
      if (applied) return Status::OK();
      SL_RETURN_IF_ERROR(db.ExecuteScript(m.sql));
      return db
          .Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                   {m.version, m.name, clock.NowUnix()})
          .status();
    });
    if (!status.ok()) {
      return Status::Internal("Migration " + std::to_string(m.version) + " (" + m.name +
                                  ") failed: " + status.message(),
                              "migration_failed");
    }
  }
  return Status::OK();
}

}  // namespace stripeline::store
