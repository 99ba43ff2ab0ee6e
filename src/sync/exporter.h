#pragma once
// Exporter: writes an account's synced rows of one stream as CSV or JSON lines, read through
// SyncedData.
//
// Thread-safety: thread-safe (holds no state of its own); the data must outlive it.

#include <ostream>
#include <string>

#include "common/status.h"
#include "sync/stream_table.h"
#include "sync/synced_data.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

class Exporter {
 public:
  explicit Exporter(SyncedData& data) : data_(data) {}

  // Writes the non-deleted rows of `stream` of `scope` (one account in one mode) to `out`,
  // oldest first: CSV
  // (header: id, livemode, created, the typed columns, version; RFC 4180 quoting, CRLF) or
  // JSON lines (the raw objects). Internal "export_failed" when writing to `out` fails;
  // database errors.
  Status Export(const DataScope& scope, const StreamSpec& stream, ExportFormat format,
                std::ostream& out);

 private:
  SyncedData& data_;
};

}  // namespace stripeline::sync
