// Test and live data of one Stripe account apart in the reports (issue 13, High 1): the rollup,
// the rows read for zones off the quarter hour, and the subscription facts are keyed by account
// AND mode, so a metric over a scope counts that scope's rows only, and over several scopes
// each once.
#include <gtest/gtest.h>

#include "unit/reports/reports_test_util.h"

namespace stripeline::reports::testing {
namespace {

namespace json = boost::json;

const sync::DataScope kLive{kAccount, true};

json::object Charge(const std::string& id, int64_t amount, int64_t created, bool livemode) {
  return {{"id", id},           {"object", "charge"},  {"livemode", livemode},
          {"created", created}, {"amount", amount},    {"currency", "usd"},
          {"status", "succeeded"}, {"amount_captured", amount}, {"paid", true}};
}

class ScopedReportsTest : public ReportsTest {
 protected:
  std::optional<double> UsdTotal(std::string_view metric, const std::vector<sync::DataScope>& scopes,
                                 std::string_view from, std::string_view to,
                                 std::string_view tz = "UTC") {
    auto period = MakePeriod(from, to, "day", tz);
    EXPECT_TRUE(period.ok());
    if (!period.ok()) return std::nullopt;
    auto result = engine_->Compute(metric, scopes, *period);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return std::nullopt;
    for (const CurrencyValues& v : result->values) {
      if (v.currency == "usd") return v.total;
    }
    return std::nullopt;
  }
};

TEST_F(ScopedReportsTest, VolumeOfAScopeCountsItsModeOnly) {
  const int64_t t = Utc("2026-01-05", 10);
  Put("charges", Charge("ch_test", 1000, t, false));
  Put("charges", Charge("ch_live", 7000, t, true));
  // Stripe ids may repeat across modes: the same id is a row in each.
  Put("charges", Charge("ch_same", 20, t, false));
  Put("charges", Charge("ch_same", 300, t, true));

  // From the rollup (bounds on the hour)...
  EXPECT_EQ(UsdTotal("gross_volume", {TestScope()}, "2026-01-05", "2026-01-06"), 1020);
  EXPECT_EQ(UsdTotal("gross_volume", {kLive}, "2026-01-05", "2026-01-06"), 7300);
  EXPECT_EQ(UsdTotal("gross_volume", {TestScope(), kLive}, "2026-01-05", "2026-01-06"), 8320);
  // ... a scope given twice (two integrations of one account and mode) counts once ...
  EXPECT_EQ(UsdTotal("gross_volume", {TestScope(), TestScope()}, "2026-01-05", "2026-01-06"),
            1020);
  EXPECT_EQ(UsdTotal("successful_payments", {kLive}, "2026-01-05", "2026-01-06"), 2);

  // ... and the rollup holds each mode apart.
  auto rollup = db_->Query(
      "SELECT livemode, SUM(amount) FROM report_rollup WHERE stream = 'charges' GROUP BY livemode "
      "ORDER BY livemode",
      {});
  ASSERT_TRUE(rollup.ok()) << rollup.status().ToString();
  ASSERT_EQ(rollup->size(), 2u);
  EXPECT_EQ((*rollup)[0].GetInt(1), 1020);
  EXPECT_EQ((*rollup)[1].GetInt(1), 7300);

  // Removing one mode's rows changes only that mode's sums.
  ASSERT_TRUE(db_->Execute("DELETE FROM stripe_charges WHERE livemode = 1", {}).ok());
  EXPECT_EQ(UsdTotal("gross_volume", {TestScope()}, "2026-01-05", "2026-01-06"), 1020);
  EXPECT_EQ(UsdTotal("gross_volume", {kLive}, "2026-01-05", "2026-01-06").value_or(0), 0);
}

TEST_F(ScopedReportsTest, RowsReadForZonesOffTheQuarterHourAreScopedToo) {
  // Liberia's old offset puts its bounds off every quarter hour: the rows are read, not the
  // rollup.
  const int64_t t = Utc("1971-01-01", 23, 50);
  Put("charges", Charge("ch_test", 100, t, false));
  Put("charges", Charge("ch_live", 400, t, true));
  EXPECT_EQ(UsdTotal("gross_volume", {TestScope()}, "1971-01-01", "1971-01-03", "Africa/Monrovia"),
            100);
  EXPECT_EQ(UsdTotal("gross_volume", {kLive}, "1971-01-01", "1971-01-03", "Africa/Monrovia"), 400);
}

TEST_F(ScopedReportsTest, SubscriptionFactsOfAScopeAreItsModesOnly) {
  const int64_t start = Utc("2025-11-01");
  Put("subscriptions", Subscription("sub_1", "cus_1", "active", 1000, "month", start));
  json::object live = Subscription("sub_1", "cus_1", "active", 5000, "month", start);
  live["livemode"] = true;
  Put("subscriptions", live);
  EXPECT_EQ(UsdTotal("mrr", {TestScope()}, "2026-01-01", "2026-01-02"), 1000);
  EXPECT_EQ(UsdTotal("mrr", {kLive}, "2026-01-01", "2026-01-02"), 5000);
  EXPECT_EQ(UsdTotal("active_subscribers", {TestScope(), kLive}, "2026-01-01", "2026-01-02"), 2);

  // A change of the live subscription is derived again for the live scope only (the cache of
  // the test scope stays right).
  live["items"].as_object()["data"].as_array()[0].as_object()["quantity"] = 2;
  Put("subscriptions", live);
  EXPECT_EQ(UsdTotal("mrr", {kLive}, "2026-01-01", "2026-01-02"), 10000);
  EXPECT_EQ(UsdTotal("mrr", {TestScope()}, "2026-01-01", "2026-01-02"), 1000);
}

}  // namespace
}  // namespace stripeline::reports::testing
