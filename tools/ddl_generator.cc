#include "tools/ddl_generator.h"

#include <array>
#include <map>
#include <stdexcept>
#include <string_view>

namespace stripeline::tools {
namespace {

using reports::RollupStream;
using reports::RollupSum;

// The common columns' DDL (sync/stream_table.h CommonColumns()).
std::string_view CommonColumnType(std::string_view name) {
  static const std::map<std::string_view, std::string_view> kTypes = {
      {"account_id", "TEXT NOT NULL"}, {"id", "TEXT NOT NULL"},
      {"livemode", "INTEGER NOT NULL"}, {"created", "BIGINT"},
      {"deleted", "INTEGER NOT NULL DEFAULT 0"}, {"version", "BIGINT NOT NULL"},
      {"last_event_id", "TEXT"}, {"synced_at", "BIGINT NOT NULL"},
      {"raw", "TEXT NOT NULL"}};
  auto it = kTypes.find(name);
  if (it == kTypes.end()) {
    throw std::invalid_argument("no DDL type for common column " + std::string(name));
  }
  return it->second;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// The rollup's sums after `n`, in its column order.
constexpr std::array<std::string_view, 4> kSums = {"amount", "fee", "net", "abs_net"};

struct Part {
  std::string suffix;  // "" for the whole hour
  int64_t bound = 0;   // the part's rows have time % 3600 < bound; 0 for the whole hour
};

std::vector<Part> Parts(RollupLayout layout) {
  if (layout == RollupLayout::kHours) return {{"", 0}};
  // kQuarterHours and kQuarterHoursByMode
  return {{"", 0}, {"_15", 900}, {"_30", 1800}, {"_45", 2700}};
}

// Generates one rollup stream's SQL; `prefix` is "", "NEW." or "OLD.".
class RollupWriter {
 public:
  RollupWriter(const RollupStream& rollup, RollupLayout layout) : r_(rollup), layout_(layout) {
    const sync::StreamSpec* stream = sync::FindStream(r_.stream);
    if (stream == nullptr) {
      throw std::invalid_argument("rollup of unknown stream " + std::string(r_.stream));
    }
    table_ = std::string(stream->table);
    auto require = [&](std::string_view column) {
      for (std::string_view c : sync::CommonColumns()) {
        if (c == column) return;
      }
      for (const sync::Column& c : stream->columns) {
        if (c.name == column) return;
      }
      throw std::invalid_argument(table_ + " has no column " + std::string(column));
    };
    require(r_.time_column);
    if (!r_.kind_column.empty()) require(r_.kind_column);
    if (r_.per_currency) require("currency");
    for (const RollupSum& s : r_.sums) require(s.source_column);
  }

  std::string Backfill() const {
    std::vector<std::string> columns, values = Key("");
    for (const Part& part : Parts(layout_)) {
      columns.push_back("n" + part.suffix);
      values.push_back(part.bound == 0 ? "COUNT(*)" : "SUM(" + InPart("", part) + ")");
      for (std::string_view name : kSums) {
        columns.push_back(std::string(name) + part.suffix);
        const RollupSum* sum = Find(name);
        if (sum == nullptr) {
          values.push_back("0");
        } else if (part.bound == 0) {
          values.push_back("SUM(" + Value("", *sum) + ")");
        } else {
          values.push_back("SUM((" + InPart("", part) + ") * " + Value("", *sum) + ")");
        }
      }
    }
    return Insert(columns) + " SELECT " + Join(values, ", ") + " FROM " + table_ +
           " WHERE deleted = 0 AND " + std::string(r_.time_column) + " IS NOT NULL GROUP BY " +
           (by_mode() ? "1, 2, 3, 4, 5, 6" : "1, 2, 3, 4, 5") + ";\n";
  }

  std::string Triggers() const {
    const std::string time(r_.time_column);
    std::string when_changed = "OLD." + time + " IS NOT NEW." + time +
                               " OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT "
                               "NEW.account_id";
    if (by_mode()) when_changed += " OR OLD.livemode IS NOT NEW.livemode";
    std::vector<std::string_view> watched;
    if (!r_.kind_column.empty()) watched.push_back(r_.kind_column);
    if (r_.per_currency) watched.push_back("currency");
    for (const RollupSum& s : r_.sums) {
      bool seen = false;
      for (std::string_view w : watched) seen = seen || w == s.source_column;
      if (!seen) watched.push_back(s.source_column);
    }
    for (std::string_view w : watched) {
      when_changed += " OR OLD." + std::string(w) + " IS NOT NEW." + std::string(w);
    }
    std::string out;
    out += "CREATE TRIGGER " + table_ + "_rollup_insert AFTER INSERT ON " + table_ +
           " WHEN NEW.deleted = 0 AND NEW." + time + " IS NOT NULL BEGIN\n";
    out += "  " + Change("NEW.", false) + "\nEND;\n";
    out += "CREATE TRIGGER " + table_ + "_rollup_update AFTER UPDATE ON " + table_ + " WHEN " +
           when_changed + " BEGIN\n";
    out += "  " + Change("OLD.", true) + "\n";
    out += "  " + Change("NEW.", true) + "\nEND;\n";
    out += "CREATE TRIGGER " + table_ + "_rollup_delete AFTER DELETE ON " + table_ +
           " WHEN OLD.deleted = 0 AND OLD." + time + " IS NOT NULL BEGIN\n";
    out += "  " + Change("OLD.", false) + "\nEND;\n";
    return out;
  }

  // `if_exists`: the triggers may be gone already (sync migration 3 rebuilt their tables).
  std::string Drops(bool if_exists) const {
    std::string out;
    for (std::string_view event : {"insert", "update", "delete"}) {
      out += std::string("DROP TRIGGER ") + (if_exists ? "IF EXISTS " : "") + table_ +
             "_rollup_" + std::string(event) + ";\n";
    }
    return out;
  }

 private:
  bool by_mode() const { return layout_ == RollupLayout::kQuarterHoursByMode; }

  const RollupSum* Find(std::string_view rollup_column) const {
    for (const RollupSum& s : r_.sums) {
      if (s.rollup_column == rollup_column) return &s;
    }
    return nullptr;
  }

  std::vector<std::string> Key(const std::string& p) const {
    std::vector<std::string> key{p + "account_id"};
    if (by_mode()) key.push_back(p + "livemode");
    for (std::string part :
         {"'" + std::string(r_.stream) + "'", p + std::string(r_.time_column) + " / 3600",
          r_.kind_column.empty() ? "''" : "COALESCE(" + p + std::string(r_.kind_column) + ", '')",
          r_.per_currency ? "COALESCE(" + p + "currency, '')" : std::string("''")}) {
      key.push_back(std::move(part));
    }
    return key;
  }

  // The rollup's key columns, as in its PRIMARY KEY.
  std::string KeyColumns() const {
    return by_mode() ? "account_id, livemode, stream, slot, kind, currency"
                     : "account_id, stream, slot, kind, currency";
  }

  std::string Value(const std::string& p, const RollupSum& sum) const {
    std::string value = "COALESCE(" + p + std::string(sum.source_column) + ", 0)";
    return sum.absolute ? "ABS(" + value + ")" : value;
  }

  std::string InPart(const std::string& p, const Part& part) const {
    return p + std::string(r_.time_column) + " % 3600 < " + std::to_string(part.bound);
  }

  std::string Insert(const std::vector<std::string>& columns) const {
    return "INSERT INTO report_rollup (" + KeyColumns() + ", " + Join(columns, ", ") + ")";
  }

  // The upsert that adds (NEW.) or takes away (OLD.) one row; `guarded` for the update
  // trigger, whose old or new row may be outside the rollup.
  std::string Change(const std::string& p, bool guarded) const {
    const std::string sign = p == "OLD." ? "-" : "";
    // Hourly triggers write every sum (0 for those the stream lacks); quarter-hour ones only
    // the stream's, the rest keep their default 0.
    const bool every_sum = layout_ == RollupLayout::kHours;
    std::vector<std::string> columns, values = Key(p);
    for (const Part& part : Parts(layout_)) {
      columns.push_back("n" + part.suffix);
      values.push_back(part.bound == 0 ? sign + "1" : sign + "(" + InPart(p, part) + ")");
      for (std::string_view name : kSums) {
        const RollupSum* sum = Find(name);
        if (sum == nullptr && !every_sum) continue;
        columns.push_back(std::string(name) + part.suffix);
        if (sum == nullptr) {
          values.push_back("0");
        } else if (part.bound == 0) {
          values.push_back(sign + Value(p, *sum));
        } else {
          values.push_back(sign + "(" + InPart(p, part) + ") * " + Value(p, *sum));
        }
      }
    }
    std::vector<std::string> updates;
    for (const std::string& c : columns) updates.push_back(c + " = " + c + " + excluded." + c);
    std::string row =
        guarded ? " SELECT " + Join(values, ", ") + " WHERE " + p + "deleted = 0 AND " + p +
                      std::string(r_.time_column) + " IS NOT NULL"
                : " VALUES (" + Join(values, ", ") + ")";
    return Insert(columns) + row +
           " ON CONFLICT (" + KeyColumns() + ") DO UPDATE SET " +
           Join(updates, ", ") + ";";
  }

  const RollupStream& r_;
  RollupLayout layout_;
  std::string table_;
};

// CREATE TABLE `table` with the common columns, then `stream`'s typed ones, keyed by `key`.
std::string CreateStreamTable(const std::string& table, const sync::StreamSpec& stream,
                              std::string_view key) {
  std::string out = "CREATE TABLE " + table + " (\n";
  for (std::string_view c : sync::CommonColumns()) {
    out += "  " + std::string(c) + " " + std::string(CommonColumnType(c)) + ",\n";
  }
  for (const sync::Column& c : stream.columns) {
    out += "  " + std::string(c.name) + " " + std::string(ColumnTypeSql(c.type)) + ",\n";
  }
  return out + "  PRIMARY KEY (" + std::string(key) + ")\n);\n";
}

std::string IncludeFile(std::string_view source, std::string_view constant,
                        const std::string& sql) {
  return "// Generated by tools/generate_ddl from " + std::string(source) +
         ". Do not edit: after a change there,\n// run build/generate_ddl; a shipped migration "
         "never changes (see tools/ddl_generator.h).\n\n"
         "inline constexpr std::string_view " +
         std::string(constant) + " = R\"sql(\n" + sql + ")sql\";\n";
}

}  // namespace

std::string_view ColumnTypeSql(sync::ColumnType type) {
  switch (type) {
    case sync::ColumnType::kInteger:
      return "BIGINT";
    case sync::ColumnType::kText:
      return "TEXT";
    case sync::ColumnType::kReal:
      return "DOUBLE PRECISION";
    case sync::ColumnType::kBoolean:
      return "INTEGER";
  }
  throw std::invalid_argument("unknown column type");
}

std::string StreamTablesSql(const std::vector<sync::StreamSpec>& streams) {
  std::string out;
  for (const sync::StreamSpec& s : streams) {
    const std::string table(s.table);
    out += CreateStreamTable(table, s, "account_id, id");
    out += "CREATE INDEX " + table + "_created ON " + table + "(account_id, created);\n";
  }
  return out;
}

std::string StreamTablesByModeSql(const std::vector<sync::StreamSpec>& streams) {
  std::string out;
  for (const sync::StreamSpec& s : streams) {
    const std::string table(s.table);
    const std::string rebuilt = table + "_by_mode";
    std::vector<std::string> columns;
    for (std::string_view c : sync::CommonColumns()) columns.emplace_back(c);
    for (const sync::Column& c : s.columns) columns.emplace_back(c.name);
    const std::string list = Join(columns, ", ");
    out += CreateStreamTable(rebuilt, s, "account_id, livemode, id");
    out += "INSERT INTO " + rebuilt + " (" + list + ") SELECT " + list + " FROM " + table +
           ";\n";
    out += "DROP TABLE " + table + ";\n";
    out += "ALTER TABLE " + rebuilt + " RENAME TO " + table + ";\n";
    out += "CREATE INDEX " + table + "_created ON " + table + "(account_id, livemode, created);\n";
  }
  return out;
}

std::string RollupSql(const std::vector<RollupStream>& rollups, RollupLayout layout) {
  std::string out;
  for (const RollupStream& r : rollups) {
    RollupWriter writer(r, layout);
    out += writer.Backfill() + writer.Triggers();
  }
  return out;
}

std::string RollupDropTriggersSql(const std::vector<RollupStream>& rollups, bool if_exists) {
  std::string out;
  for (const RollupStream& r : rollups) {
    out += RollupWriter(r, RollupLayout::kHours).Drops(if_exists);
  }
  return out;
}

std::vector<GeneratedFile> GeneratedFiles() {
  const auto& streams = sync::Streams();
  const auto& rollups = reports::RollupStreams();
  return {
      {"src/sync/generated/stream_tables.sql.inc",
       IncludeFile("src/sync/stream_table.cc", "kStreamTablesSql", StreamTablesSql(streams))},
      {"src/reports/generated/rollup_hours.sql.inc",
       IncludeFile("src/reports/rollup_spec.h", "kRollupHoursSql",
                   RollupSql(rollups, RollupLayout::kHours))},
      {"src/reports/generated/rollup_drop_triggers.sql.inc",
       IncludeFile("src/reports/rollup_spec.h", "kRollupDropTriggersSql",
                   RollupDropTriggersSql(rollups, false))},
      {"src/reports/generated/rollup_quarter_hours.sql.inc",
       IncludeFile("src/reports/rollup_spec.h", "kRollupQuarterHoursSql",
                   RollupSql(rollups, RollupLayout::kQuarterHours))},
      {"src/sync/generated/stream_tables_by_mode.sql.inc",
       IncludeFile("src/sync/stream_table.cc", "kStreamTablesByModeSql",
                   StreamTablesByModeSql(streams))},
      {"src/reports/generated/rollup_by_mode.sql.inc",
       IncludeFile("src/reports/rollup_spec.h", "kRollupByModeSql",
                   RollupDropTriggersSql(rollups, true) +
                       RollupSql(rollups, RollupLayout::kQuarterHoursByMode))},
  };
}

}  // namespace stripeline::tools
