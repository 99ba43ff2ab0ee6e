#pragma once
// The generator of Stripeline's repetitive DDL: the per-stream tables and their indexes from
// the stream table (src/sync/stream_table.cc), and the per-stream rollup triggers from the
// stream table and the reports' rollup streams (src/reports/rollup_spec.h). Its output is
// checked in (GeneratedFiles(): src/sync/generated/, src/reports/generated/) and included by
// the owners' migrations; tools/generate_ddl.cc rewrites it, and the unit test
// GeneratedDdl.CheckedInFilesAreCurrent fails when it is stale.
//
// The generated migrations are shipped history: a change to a stream or a rollup that would
// change them needs a new migration (e.g. ALTER TABLE ... ADD COLUMN for a new column), not a
// regenerated old one — the schema test (tests/unit/reports/schema_test.cc) refuses the latter.
//
// Thread-safety: pure functions.

#include <string>
#include <string_view>
#include <vector>

#include "reports/rollup_spec.h"
#include "sync/stream_table.h"

namespace stripeline::tools {

// The DDL type of a typed column: BIGINT, TEXT, DOUBLE PRECISION or INTEGER (0/1).
std::string_view ColumnTypeSql(sync::ColumnType type);

// CREATE TABLE and its `_created` index for each stream, in order (sync migration 1), keyed by
// (account_id, id).
std::string StreamTablesSql(const std::vector<sync::StreamSpec>& streams);

// For each stream (sync migration 3): its table rebuilt keyed by (account_id, livemode, id),
// rows copied, and its `_created` index on (account_id, livemode, created). Dropping the old
// table drops what other owners made on it (the reports' indexes and triggers): reports
// migration 4 makes them again.
std::string StreamTablesByModeSql(const std::vector<sync::StreamSpec>& streams);

enum class RollupLayout {
  kHours,               // reports migration 1: per hour (n, amount, fee, net, abs_net)
  kQuarterHours,        // reports migration 2: also each hour's first 15, 30 and 45 minutes
  kQuarterHoursByMode,  // reports migration 4: the same, keyed by account AND livemode
};

// For each rollup stream: the INSERT that sums its existing rows, then its insert, update and
// delete triggers, which keep `report_rollup` equal to those sums.
std::string RollupSql(const std::vector<reports::RollupStream>& rollups, RollupLayout layout);

// DROP TRIGGER (IF EXISTS with `if_exists`) for each trigger RollupSql makes.
std::string RollupDropTriggersSql(const std::vector<reports::RollupStream>& rollups,
                                  bool if_exists);

struct GeneratedFile {
  std::string path;  // relative to the source tree
  std::string text;
};

// Every checked-in generated file, from the current stream table and rollup streams.
std::vector<GeneratedFile> GeneratedFiles();

}  // namespace stripeline::tools
