#include "sync/synced_data.h"

namespace stripeline::sync {

Result<std::set<std::string>> SyncedData::LiveIds(const StreamSpec& stream,
                                                  const std::string& account_id,
                                                  std::optional<int64_t> created_since) {
  std::string sql = "SELECT id FROM " + std::string(stream.table) +
                    " WHERE account_id = $1 AND deleted = 0";
  std::vector<store::Value> params{account_id};
  if (created_since) {
    sql += " AND created >= $2";
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
                                           const std::string& account_id) {
  std::string sql = "SELECT raw";
  for (const std::string& c : ExportColumns(stream)) sql += ", " + c;
  sql += " FROM " + std::string(stream.table) +
         " WHERE account_id = $1 AND deleted = 0 ORDER BY created, id";
  return db_.Query(sql, {account_id});
}

Result<int64_t> SyncedData::MarkDeletedBelowVersion(const StreamSpec& stream,
                                                    const std::string& account_id,
                                                    int64_t version, int64_t now) {
  return db_.Execute("UPDATE " + std::string(stream.table) +
                         " SET deleted = 1, synced_at = $3 WHERE account_id = $1 AND deleted = 0 "
                         "AND version < $2",
                     {account_id, version, now});
}

Result<int64_t> SyncedData::DeleteAccount(const std::string& account_id) {
  int64_t removed = 0;
  SL_RETURN_IF_ERROR(db_.Transaction([&]() -> Status {
    for (const StreamSpec& stream : Streams()) {
      SL_ASSIGN_OR_RETURN(int64_t n, db_.Execute("DELETE FROM " + std::string(stream.table) +
                                                     " WHERE account_id = $1",
                                                 {account_id}));
      removed += n;
    }
    return Status::OK();
  }));
  return removed;
}

Result<std::vector<std::string>> SyncedData::OtherIntegrationsOfAccount(
    const std::string& integration_id, const std::string& account_id) {
  SL_ASSIGN_OR_RETURN(store::Rows rows,
                      db_.Query("SELECT id FROM integrations WHERE id <> $1 AND "
                                "COALESCE(account_id, stripe_account_id) = $2 ORDER BY name, id",
                                {integration_id, account_id}));
  std::vector<std::string> ids;
  for (const store::Row& row : rows) ids.push_back(row.GetString(0));
  return ids;
}

}  // namespace stripeline::sync
