#include "sync/object_writer.h"

#include <boost/json.hpp>

#include <map>
#include <mutex>

namespace stripeline::sync {

namespace json = boost::json;

namespace {

std::string BuildUpsertSql(const StreamSpec& stream) {
  std::vector<std::string_view> columns = CommonColumns();
  for (const Column& column : stream.columns) columns.push_back(column.name);
  std::string table(stream.table);
  std::string sql = "INSERT INTO " + table + " (";
  std::string values;
  std::string updates;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      sql += ", ";
      values += ", ";
    }
    sql += columns[i];
    values += "$" + std::to_string(i + 1);
    if (columns[i] == "account_id" || columns[i] == "livemode" || columns[i] == "id") continue;
    if (!updates.empty()) updates += ", ";
    updates += std::string(columns[i]) + " = excluded." + std::string(columns[i]);
  }
  sql += ") VALUES (" + values + ") ON CONFLICT (account_id, livemode, id) DO UPDATE SET " + updates +
         " WHERE excluded.version >= " + table + ".version";
  return sql;
}

}  // namespace

const std::string& ObjectWriter::UpsertSql(const StreamSpec& stream) {
  static std::mutex mu;
  static std::map<std::string_view, std::string> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(stream.name);
  if (it == cache.end()) it = cache.emplace(stream.name, BuildUpsertSql(stream)).first;
  return it->second;
}

Result<int64_t> ObjectWriter::Upsert(const StreamSpec& stream, const json::object& object,
                                     const WriteMeta& meta) {
  SL_ASSIGN_OR_RETURN(std::vector<store::Value> row, Row(stream, object, meta));
  return Write(stream, row);
}

Result<int64_t> ObjectWriter::Write(const StreamSpec& stream,
                                    const std::vector<store::Value>& row) {
  return db_.Execute(UpsertSql(stream), row);
}

Result<std::vector<store::Value>> ObjectWriter::Row(const StreamSpec& stream,
                                                    const json::object& object,
                                                    const WriteMeta& meta) {
  const json::value* id = object.if_contains("id");
  if (id == nullptr || !id->is_string() || id->get_string().empty()) {
    return Status::InvalidArgument("A Stripe " + std::string(stream.object_type) +
                                       " without an id cannot be stored",
                                   "sync_object_without_id");
  }
  const json::value* livemode = object.if_contains("livemode");
  const json::value* created = object.if_contains("created");
  const json::value* deleted = object.if_contains("deleted");
  bool is_deleted = meta.deleted || (deleted != nullptr && deleted->is_bool() && deleted->get_bool());

  std::vector<store::Value> params;
  params.reserve(CommonColumns().size() + stream.columns.size());
  params.emplace_back(meta.account_id);
  params.emplace_back(std::string(id->get_string()));
  params.emplace_back(int64_t{(livemode != nullptr && livemode->is_bool())
                                  ? livemode->get_bool()
                                  : meta.default_livemode});
  if (created != nullptr && created->is_int64()) {
    params.emplace_back(created->get_int64());
  } else {
    params.emplace_back(std::monostate{});
  }
  params.emplace_back(int64_t{is_deleted ? 1 : 0});
  params.emplace_back(meta.version);
  params.emplace_back(store::OptionalValue(meta.event_id));
  params.emplace_back(meta.synced_at);
  params.emplace_back(json::serialize(object));
  for (const Column& column : stream.columns) params.push_back(ExtractColumn(object, column));
  return params;
}

Result<std::optional<RowVersion>> ObjectWriter::Version(const StreamSpec& stream,
                                                        const DataScope& scope,
                                                        const std::string& id) {
  std::string sql = "SELECT version, last_event_id, deleted FROM " + std::string(stream.table) +
                    " WHERE account_id = $1 AND livemode = $2 AND id = $3";
  SL_ASSIGN_OR_RETURN(store::Rows rows,
                      db_.Query(sql, {scope.account_id, int64_t{scope.livemode}, id}));
  if (rows.empty()) return std::optional<RowVersion>();
  RowVersion version;
  version.version = rows[0].GetInt(0);
  version.last_event_id = rows[0].GetOptionalString(1);
  version.deleted = rows[0].GetBool(2);
  return std::optional<RowVersion>(version);
}

Result<std::optional<std::string>> ObjectWriter::Raw(const StreamSpec& stream,
                                                     const DataScope& scope,
                                                     const std::string& id) {
  const std::string sql = "SELECT raw FROM " + std::string(stream.table) +
                          " WHERE account_id = $1 AND livemode = $2 AND id = $3";
  SL_ASSIGN_OR_RETURN(store::Rows rows,
                      db_.Query(sql, {scope.account_id, int64_t{scope.livemode}, id}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].GetString(0));
}

Result<std::vector<std::string>> ObjectWriter::EventsOfObject(const DataScope& scope,
                                                              const std::string& object_id,
                                                              int64_t created) {
  SL_ASSIGN_OR_RETURN(store::Rows rows,
                      db_.Query("SELECT raw FROM stripe_events WHERE account_id = $1 AND "
                                "livemode = $2 AND object_id = $3 AND created = $4 LIMIT 64",
                                {scope.account_id, int64_t{scope.livemode}, object_id, created}));
  std::vector<std::string> out;
  for (const store::Row& row : rows) out.push_back(row.GetString(0));
  return out;
}

}  // namespace stripeline::sync
