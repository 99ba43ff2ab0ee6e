#pragma once
// ObjectWriter: writes Stripe objects into their stream tables (`stripe_<stream>`) with one
// prepared, portable upsert per stream, built once from the stream table's identifiers (values
// are always bound, never pasted). The ordering rule lives in the SQL, à la stripe/sync-engine:
//
//   INSERT ... ON CONFLICT (account_id, livemode, id) DO UPDATE SET ...
//     WHERE excluded.version >= version
//
// so a write carrying an older `version` than the stored row never changes it. `version` is the
// `created` of the event that carried the object, or for a backfilled object the Stripe time
// the backfill started from (see docs/schema.md). Equal versions overwrite: the caller decides
// ties (the event applier refetches).
//
// The raw JSON is the object as received (Boost.JSON keeps key order; serialisation is
// canonical, so a re-serialised object hashes the same as Stripe's body for the same content).
//
// Thread-safety: thread-safe (the Database is); use Database::Transaction to batch writes.

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/database.h"
#include "sync/data_scope.h"
#include "sync/stream_table.h"

namespace stripeline::sync {

struct WriteMeta {
  std::string account_id;        // the Stripe account the object belongs to
  bool default_livemode = false; // used when the object has no `livemode` (account); with
                                 // account_id the row's key (its DataScope)
  int64_t version = 0;           // ordering key, see above
  std::optional<std::string> event_id;  // the event that carried it (NULL for backfill)
  int64_t synced_at = 0;         // our clock, unix seconds
  bool deleted = false;          // also set when the object says `"deleted": true`
};

// The stored ordering state of one row.
struct RowVersion {
  int64_t version = 0;
  std::optional<std::string> last_event_id;
  bool deleted = false;
};

class ObjectWriter {
 public:
  explicit ObjectWriter(store::Database& db) : db_(db) {}

  // Upserts `object` (which must have a string `id`; InvalidArgument otherwise) into
  // stream.table. Returns 1 when the row was inserted or replaced, 0 when the stored row is
  // newer (larger version) and was kept. Same as Write(stream, Row(stream, object, meta)).
  Result<int64_t> Upsert(const StreamSpec& stream, const boost::json::object& object,
                         const WriteMeta& meta);

  // The values of `object`'s row, in UpsertSql's parameter order (the raw JSON serialised, the
  // typed columns extracted): most of the CPU a write costs, and it touches no database, so
  // callers build rows before taking their locks. InvalidArgument without a string `id`.
  static Result<std::vector<store::Value>> Row(const StreamSpec& stream,
                                               const boost::json::object& object,
                                               const WriteMeta& meta);
  // Upserts a row built by Row(); returns as Upsert.
  Result<int64_t> Write(const StreamSpec& stream, const std::vector<store::Value>& row);

  // The stored version of `scope`'s row `id`, or nullopt when there is no row.
  Result<std::optional<RowVersion>> Version(const StreamSpec& stream, const DataScope& scope,
                                            const std::string& id);

  // The stored raw JSON of `scope`'s row `id`, or nullopt when there is no row.
  Result<std::optional<std::string>> Raw(const StreamSpec& stream, const DataScope& scope,
                                         const std::string& id);

  // The stored raw JSON of the events (stripe_events) of object `object_id` created at
  // `created`: what orders a burst of changes within one second.
  Result<std::vector<std::string>> EventsOfObject(const DataScope& scope,
                                                  const std::string& object_id, int64_t created);

  // The upsert statement of a stream (exposed for tests and docs).
  static const std::string& UpsertSql(const StreamSpec& stream);

 private:
  store::Database& db_;
};

}  // namespace stripeline::sync
