#pragma once
// The reports tests' fixture: a real SQLite store in a temp dir, with Stripe objects written into
// the stream tables by the sync's own ObjectWriter (typed columns and raw JSON exactly as a sync
// stores them), and builders of the objects the metrics read.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "reports/metrics_engine.h"
#include "store/store.h"
#include "sync/data_scope.h"
#include "sync/object_writer.h"
#include "sync/stream_table.h"
#include "unit/common/temp_dir.h"
#include "unit/store/test_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::reports::testing {

inline constexpr char kAccount[] = "acct_reports_test";
// The scope the fixture's objects are written to (they say "livemode": false, or nothing).
inline sync::DataScope TestScope() { return {kAccount, false}; }

// Unix seconds of a UTC date and time.
inline int64_t Utc(std::string_view date, int hour = 0, int minute = 0) {
  return LocalMidnight("UTC", ParseIsoDate(date, "date").value()) + hour * 3600 + minute * 60;
}

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_util::OpenTestDatabase(dir_.path());
    ASSERT_TRUE(db_);
    store_ = std::make_unique<store::Store>(*db_);
    repository_ = std::make_unique<ReportRepository>(*db_);
    engine_ = std::make_unique<MetricsEngine>(*store_, *repository_);
  }

  void Put(std::string_view stream, boost::json::object object,
           const std::string& account = kAccount) {
    sync::ObjectWriter writer(*db_);
    auto written = writer.Upsert(*sync::FindStream(stream), object,
                                 {.account_id = account, .version = ++version_, .synced_at = 1});
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }

  // A subscription of `customer` to one licensed price.
  static boost::json::object Subscription(const std::string& id, const std::string& customer,
                                          const std::string& status, int64_t unit_amount,
                                          const std::string& interval, int64_t start,
                                          int64_t quantity = 1,
                                          const std::string& currency = "usd") {
    boost::json::object price{{"id", "price_" + id},
                              {"object", "price"},
                              {"currency", currency},
                              {"unit_amount", unit_amount},
                              {"recurring",
                               {{"interval", interval},
                                {"interval_count", 1},
                                {"usage_type", "licensed"}}}};
    boost::json::object item{{"id", "si_" + id}, {"object", "subscription_item"},
                             {"price", price},   {"quantity", quantity}};
    return {{"id", id},
            {"object", "subscription"},
            {"livemode", false},
            {"created", start},
            {"customer", customer},
            {"status", status},
            {"currency", currency},
            {"start_date", start},
            {"canceled_at", nullptr},
            {"ended_at", nullptr},
            {"trial_start", nullptr},
            {"trial_end", nullptr},
            {"discount", nullptr},
            {"items", {{"object", "list"}, {"data", boost::json::array{item}}}}};
  }

  static boost::json::object Coupon(const std::string& duration, std::optional<double> percent,
                                    std::optional<int64_t> amount_off, int64_t start,
                                    std::optional<int64_t> end = std::nullopt) {
    boost::json::object coupon{{"id", "co_" + duration}, {"object", "coupon"},
                               {"duration", duration}};
    coupon["percent_off"] = percent ? boost::json::value(*percent) : boost::json::value(nullptr);
    coupon["amount_off"] =
        amount_off ? boost::json::value(*amount_off) : boost::json::value(nullptr);
    coupon["currency"] = amount_off ? boost::json::value("usd") : boost::json::value(nullptr);
    boost::json::object discount{{"id", "di_1"}, {"object", "discount"}, {"coupon", coupon},
                                 {"start", start}};
    discount["end"] = end ? boost::json::value(*end) : boost::json::value(nullptr);
    return discount;
  }

  Result<MetricResult> Compute(std::string_view metric, std::string_view from,
                               std::string_view to, std::string_view interval = "day",
                               std::string_view tz = "UTC", const MetricOptions& options = {}) {
    SL_ASSIGN_OR_RETURN(ReportPeriod period, MakePeriod(from, to, interval, tz));
    return engine_->Compute(metric, {TestScope()}, period, options);
  }

  // The values of `currency` in `result` (fails the test when absent).
  static const CurrencyValues& Of(const MetricResult& result, const std::string& currency) {
    for (const CurrencyValues& v : result.values) {
      if (v.currency == currency) return v;
    }
    ADD_FAILURE() << "no values in " << currency << " for " << result.metric;
    static const CurrencyValues kNone;
    return kNone;
  }

  test_util::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ReportRepository> repository_;
  std::unique_ptr<MetricsEngine> engine_;
  int64_t version_ = 0;
};

}  // namespace stripeline::reports::testing
