#pragma once
// SyncedData: the repository of the synced Stripe data, the stripe_* stream tables, for
// everything but writing objects (ObjectWriter, object_writer.h, is the write side): the ids a
// verification compares, the rows an export writes, the deletion sweep after a backfill, and
// removing an account's rows when its integration is deleted with its data. Rows are keyed by
// Stripe account (docs/schema.md), so integrations reaching the same account share them.
// Table names come only from the stream table; values are always bound.
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
#include "sync/stream_table.h"

namespace stripeline::sync {

class SyncedData {
 public:
  explicit SyncedData(store::Database& db) : db_(db) {}

  // Ids of the account's non-deleted rows of `stream`; only those created at or after
  // `created_since` when given.
  Result<std::set<std::string>> LiveIds(const StreamSpec& stream, const std::string& account_id,
                                        std::optional<int64_t> created_since);

  // The columns ExportRows returns after `raw`: id, livemode, created, the stream's typed
  // columns, version.
  static std::vector<std::string> ExportColumns(const StreamSpec& stream);
  // The account's non-deleted rows of `stream`, oldest first (created, then id): raw, then
  // ExportColumns(stream).
  Result<store::Rows> ExportRows(const StreamSpec& stream, const std::string& account_id);

  // Marks deleted (deleted = 1, synced_at = now) the account's rows of `stream` whose version
  // is below `version`: rows a completed backfill of that version did not list. Returns how
  // many.
  Result<int64_t> MarkDeletedBelowVersion(const StreamSpec& stream, const std::string& account_id,
                                          int64_t version, int64_t now);

  // Removes the account's rows from every stream table; returns how many.
  Result<int64_t> DeleteAccount(const std::string& account_id);

  // Ids of the integrations other than `integration_id` whose rows are `account_id`'s (the
  // connected account they act for, else their own), by name then id.
  Result<std::vector<std::string>> OtherIntegrationsOfAccount(const std::string& integration_id,
                                                              const std::string& account_id);

 private:
  store::Database& db_;
};

}  // namespace stripeline::sync
