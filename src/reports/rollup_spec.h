#pragma once
// The streams summed into `report_rollup` (docs/schema.md), as data: for each, the time that
// places a row in an hour, what `kind` and `currency` hold, and which rollup sums come from
// which of its columns. tools/generate_ddl writes the rollup's triggers from it (and the stream
// table), so each stream's three triggers are not spelled out by hand; ReportRepository reads
// the sums (report_repository.cc's VolumeQueries name the same columns).
//
// Thread-safety: immutable static data.

#include <string_view>
#include <vector>

namespace stripeline::reports {

struct RollupSum {
  std::string_view rollup_column;  // amount, fee, net or abs_net
  std::string_view source_column;  // the stream table's column summed (NULL counts as 0)
  bool absolute = false;           // sums the absolute value (abs_net)
};

struct RollupStream {
  std::string_view stream;       // a name of the stream table (sync/stream_table.h)
  std::string_view time_column;  // the row's hour is time_column / 3600
  std::string_view kind_column;  // kept in `kind`; empty: kind is ''
  bool per_currency = true;      // `currency` holds the row's currency; false: ''
  std::vector<RollupSum> sums;   // in report_rollup's column order; the others stay 0
};

// The rolled-up streams, in the order their triggers were made (reports migrations 1 and 2).
inline const std::vector<RollupStream>& RollupStreams() {
  static const std::vector<RollupStream> kStreams = {
      {"charges", "created", "status", true, {{"amount", "amount_captured"}}},
      {"refunds", "created", "status", true, {{"amount", "amount"}}},
      {"disputes", "created", "status", true, {{"amount", "amount"}}},
      {"balance_transactions",
       "created",
       "reporting_category",
       true,
       {{"amount", "amount"}, {"fee", "fee"}, {"net", "net"}, {"abs_net", "net", true}}},
      {"customers", "created", "", false, {}},
      {"payouts", "arrival_date", "status", true, {{"amount", "amount"}}},
  };
  return kStreams;
}

}  // namespace stripeline::reports
