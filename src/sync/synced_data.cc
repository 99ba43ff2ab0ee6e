#include "sync/synced_data.h"

namespace stripeline::sync {

Result<std::set<std::string>> SyncedData::LiveIds(const StreamSpec& stream,
                                                  const DataScope& scope,
                                                  std::optional<int64_t> created_since) {
  std::string sql = "SELECT id FROM " + std::string(stream.table) +
                    " WHERE account_id = $1 AND livemode = $2 AND deleted = 0";
  std::vector<store::Value> params{scope.account_id, int64_t{scope.livemode}};
  if (created_since) {
    sql += " AND created >= $3";
    params.emplace_back(*created_since);
  }
  SL_ASSIGN_OR_RETURN(store::Rows rows, db_.Query(sql, params));
  std::set<std::string> ids;
  for (const store::Row& row : rows) ids.insert(row.GetString(0));
  return ids;
}

std::vector<std::string> SyncedData::ExportColumns(const StreamSpec& stream) {
  std::vector<std::string> columns{"id", "livemode", "created"};
  for (const Column& c : stream.columns) columns.emplace_back(c.name);
  columns.emplace_back("version");
  return columns;
}

Result<store::Rows> SyncedData::ExportRows(const StreamSpec& stream,
                                           const DataScope& scope) {
  std::string sql = "SELECT raw";
  for (const std::string& c : ExportColumns(stream)) sql += ", " + c;
  sql += " FROM " + std::string(stream.table) +
         " WHERE account_id = $1 AND livemode = $2 AND deleted = 0 ORDER BY created, id";
  return db_.Query(sql, {scope.account_id, int64_t{scope.livemode}});
}

Result<int64_t> SyncedData::MarkDeletedBelowVersion(const StreamSpec& stream,
                                                    const DataScope& scope,
                                                    int64_t version, int64_t now) {
  return db_.Execute("UPDATE " + std::string(stream.table) +
                         " SET deleted = 1, synced_at = $4 WHERE account_id = $1 AND "
                         "livemode = $2 AND deleted = 0 AND version < $3",
                     {scope.account_id, int64_t{scope.livemode}, version, now});
}

Result<int64_t> SyncedData::DeleteScope(const DataScope& scope) {
  int64_t removed = 0;
  SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
    for (const StreamSpec& stream : Streams()) {
      SL_ASSIGN_OR_RETURN(int64_t n, db_.Execute("DELETE FROM " + std::string(stream.table) +
                                                     " WHERE account_id = $1 AND livemode = $2",
                                                 {scope.account_id, int64_t{scope.livemode}}));
      removed += n;
    }
    return Status::OK();
  }));
  return removed;
}

Result<std::vector<std::string>> SyncedData::OtherIntegrationsOfScope(
    const std::string& integration_id, const DataScope& scope) {
  SL_ASSIGN_OR_RETURN(store::Rows rows,
                      db_.Query("SELECT id FROM integrations WHERE id <> $1 AND "
                                "COALESCE(account_id, stripe_account_id) = $2 AND livemode = $3 "
                                "ORDER BY name, id",
                                {integration_id, scope.account_id, int64_t{scope.livemode}}));
  std::vector<std::string> ids;
  for (const store::Row& row : rows) ids.push_back(row.GetString(0));
  return ids;
}

}  // namespace stripeline::sync
