#pragma once
// SyncedData: the repository of the synced Stripe data, the stripe_* stream tables, for
// everything but writing objects (ObjectWriter, object_writer.h, is the write side): the ids a
// verification compares, the rows an export writes, the deletion sweep after a backfill, and
// removing a scope's rows when its integration is deleted with its data. Rows are keyed by
// Stripe account and mode (a DataScope, docs/schema.md): integrations of the same scope share
// them, and every call reads or changes one scope's rows only — a test integration never sees
// or removes the live rows of its account. Table names come only from the stream table; values
// are always bound.
//
// Thread-safety: thread-safe (the Database is). Run several calls inside
// Database::Transaction to make them atomic together.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/database.h"
#include "sync/data_scope.h"
#include "sync/stream_table.h"

namespace stripeline::sync {

class SyncedData {
 public:
  explicit SyncedData(store::Database& db) : db_(db) {}

  // Ids of the scope's non-deleted rows of `stream`; only those created at or after
  // `created_since` when given.
  Result<std::set<std::string>> LiveIds(const StreamSpec& stream, const DataScope& scope,
                                        std::optional<int64_t> created_since);

  // The columns ExportRows returns after `raw`: id, livemode, created, the stream's typed
  // columns, version.
  static std::vector<std::string> ExportColumns(const StreamSpec& stream);
  // The scope's non-deleted rows of `stream`, oldest first (created, then id): raw, then
  // ExportColumns(stream).
  Result<store::Rows> ExportRows(const StreamSpec& stream, const DataScope& scope);

  // Marks deleted (deleted = 1, synced_at = now) the scope's rows of `stream` whose version
  // is below `version`: rows a completed backfill of that version did not list. Returns how
  // many.
  Result<int64_t> MarkDeletedBelowVersion(const StreamSpec& stream, const DataScope& scope,
                                          int64_t version, int64_t now);

  // Removes the scope's rows from every stream table (the other mode's rows of the account
  // stay); returns how many.
  Result<int64_t> DeleteScope(const DataScope& scope);

  // Ids of the integrations other than `integration_id` whose rows are `scope`'s (the
  // connected account they act for, else their own, in the same mode), by name then id.
  Result<std::vector<std::string>> OtherIntegrationsOfScope(const std::string& integration_id,
                                                            const DataScope& scope);

 private:
  store::Database& db_;
};

}  // namespace stripeline::sync
