// The metrics against hand-computed ground truth: the worked examples of
// metrics-and-reconciliation.md and our own (JPY, a 3-quantity plan, annual and weekly plans,
// forever and repeating coupons, a trial, a partial refund, a dispute, time zones).
#include "unit/reports/reports_test_util.h"

#include "store/migrations.h"
#include "store/sqlite/sqlite_database.h"
#include "unit/store/legacy_history.h"
#include "unit/store/test_schemas.h"

namespace stripeline::reports::testing {
namespace {

namespace json = boost::json;

// ---- Subscription metrics ----

// The definitions file's worked example: S1 $30/month × 3 = 9000; S2 $1,200/year = 10000; S3
// $80/month with a 50 % forever coupon = 4000; S4 trialing $50 = 0; S5 past_due $25 = 2500;
// S6 canceled $60 = 0 → MRR 25500 (29500 without discounts); 4 subscribers; ARPU 6375.
class WorkedExample : public ReportsTest {
 protected:
  void SetUp() override {
    ReportsTest::SetUp();
    const int64_t start = Utc("2025-06-01");
    Put("subscriptions", Subscription("sub_1", "cus_1", "active", 3000, "month", start, 3));
    Put("subscriptions", Subscription("sub_2", "cus_2", "active", 120000, "year", start));
    json::object s3 = Subscription("sub_3", "cus_3", "active", 8000, "month", start);
    s3["discount"] = Coupon("forever", 50.0, std::nullopt, start);
    Put("subscriptions", s3);
    json::object s4 = Subscription("sub_4", "cus_4", "trialing", 5000, "month", start);
    s4["trial_start"] = start;
    s4["trial_end"] = Utc("2026-06-01");
    Put("subscriptions", s4);
    Put("subscriptions", Subscription("sub_5", "cus_5", "past_due", 2500, "month", start));
    json::object s6 = Subscription("sub_6", "cus_6", "canceled", 6000, "month", start);
    s6["canceled_at"] = Utc("2025-12-10");
    s6["ended_at"] = Utc("2025-12-10");
    Put("subscriptions", s6);
  }
};

TEST_F(WorkedExample, MrrArrSubscribersArpu) {
  auto mrr = Compute("mrr", "2026-01-01", "2026-02-01");
  ASSERT_TRUE(mrr.ok()) << mrr.status().ToString();
  EXPECT_EQ(Of(*mrr, "usd").total, 25500);
  // At `from` S6 had ended too; every daily point of January is the same.
  EXPECT_EQ(Of(*mrr, "usd").previous_total, 25500);
  ASSERT_EQ(Of(*mrr, "usd").series.size(), 31u);
  for (const SeriesPoint& p : Of(*mrr, "usd").series) EXPECT_EQ(p.value, 25500);

  MetricOptions ignore;
  ignore.subscriptions.subtract_discounts = false;
  auto gross = Compute("mrr", "2026-01-01", "2026-02-01", "day", "UTC", ignore);
  ASSERT_TRUE(gross.ok());
  EXPECT_EQ(Of(*gross, "usd").total, 29500);

  EXPECT_EQ(Of(Compute("arr", "2026-01-01", "2026-02-01").value(), "usd").total, 306000);
  EXPECT_EQ(Of(Compute("active_subscribers", "2026-01-01", "2026-02-01").value(), "usd").total,
            4);
  EXPECT_EQ(Of(Compute("arpu", "2026-01-01", "2026-02-01").value(), "usd").total, 6375);
}

TEST_F(WorkedExample, CanceledSubscriptionCountsUntilItEnded) {
  // S6 ($60) counts until Dec 10 00:00: a day's point is its value at the day's end, so Dec 8
  // (ending Dec 9 00:00) has it and Dec 9 (ending Dec 10 00:00) does not.
  auto mrr = Compute("mrr", "2025-12-01", "2025-12-15");
  ASSERT_TRUE(mrr.ok());
  const CurrencyValues& usd = Of(*mrr, "usd");
  EXPECT_EQ(usd.series[7].value, 25500 + 6000);
  EXPECT_EQ(usd.series[8].value, 25500);
  EXPECT_EQ(usd.previous_total, 31500);
  EXPECT_EQ(usd.total, 25500);
}

TEST_F(WorkedExample, OptionsCountPastDueAndTrials) {
  MetricOptions options;
  options.subscriptions.count_past_due = false;
  EXPECT_EQ(Of(Compute("mrr", "2026-01-01", "2026-02-01", "day", "UTC", options).value(), "usd")
                .total,
            23000);
  options = {};
  options.subscriptions.count_trials = true;
  EXPECT_EQ(Of(Compute("mrr", "2026-01-01", "2026-02-01", "day", "UTC", options).value(), "usd")
                .total,
            30500);
}

TEST_F(ReportsTest, JpyAnnualPlanIsNotDividedBy100) {
  Put("subscriptions",
      Subscription("sub_jpy", "cus_j", "active", 12000, "year", Utc("2025-01-01"), 1, "jpy"));
  auto mrr = Compute("mrr", "2026-01-01", "2026-01-02");
  ASSERT_TRUE(mrr.ok());
  ASSERT_EQ(mrr->values.size(), 1u);
  EXPECT_EQ(Of(*mrr, "jpy").total, 1000);
}

TEST_F(ReportsTest, CurrenciesAreNeverMixed) {
  Put("subscriptions", Subscription("sub_a", "cus_a", "active", 1000, "month", Utc("2025-01-01")));
  Put("subscriptions",
      Subscription("sub_b", "cus_b", "active", 700, "month", Utc("2025-01-01"), 1, "eur"));
  auto mrr = Compute("mrr", "2026-01-01", "2026-01-02");
  ASSERT_TRUE(mrr.ok());
  ASSERT_EQ(mrr->values.size(), 2u);
  EXPECT_EQ(Of(*mrr, "eur").total, 700);
  EXPECT_EQ(Of(*mrr, "usd").total, 1000);
}

TEST_F(ReportsTest, WeeklyPlansAndRoundingOnceAtTheEnd) {
  // $10/week = 1000 × 52 ÷ 12 = 4333.33 each; three of them: 13000 (not 3 × 4333 = 12999).
  for (const char* id : {"sub_w1", "sub_w2", "sub_w3"}) {
    Put("subscriptions",
        Subscription(id, std::string("cus_") + id, "active", 1000, "week", Utc("2025-01-01")));
  }
  EXPECT_EQ(Of(Compute("mrr", "2026-01-01", "2026-01-02").value(), "usd").total, 13000);
}

TEST_F(ReportsTest, MeteredItemsAreExcluded) {
  json::object s = Subscription("sub_m", "cus_m", "active", 2000, "month", Utc("2025-01-01"));
  json::object metered = s["items"].as_object()["data"].as_array()[0].as_object();
  metered["id"] = "si_metered";
  metered["price"].as_object()["recurring"].as_object()["usage_type"] = "metered";
  metered["price"].as_object()["unit_amount"] = 99999;
  s["items"].as_object()["data"].as_array().push_back(metered);
  Put("subscriptions", s);
  EXPECT_EQ(Of(Compute("mrr", "2026-01-01", "2026-01-02").value(), "usd").total, 2000);
}

TEST_F(ReportsTest, AmountOffCouponOnAnAnnualPlanIsSpreadOverTheYear) {
  // $1,200/year with $120 off each year, forever: 10000 − 1000 = 9000.
  json::object s = Subscription("sub_y", "cus_y", "active", 120000, "year", Utc("2025-01-01"));
  s["discount"] = Coupon("forever", std::nullopt, 12000, Utc("2025-01-01"));
  Put("subscriptions", s);
  EXPECT_EQ(Of(Compute("mrr", "2026-01-01", "2026-01-02").value(), "usd").total, 9000);
}

TEST_F(ReportsTest, RepeatingCouponStopsAtItsEndAndOnceCouponsNeverCount) {
  json::object s = Subscription("sub_r", "cus_r", "active", 10000, "month", Utc("2025-01-01"));
  s["discount"] = Coupon("repeating", 25.0, std::nullopt, Utc("2025-01-01"), Utc("2026-01-10"));
  Put("subscriptions", s);
  json::object once = Subscription("sub_o", "cus_o", "active", 1000, "month", Utc("2025-01-01"));
  once["discount"] = Coupon("once", 50.0, std::nullopt, Utc("2025-01-01"));
  Put("subscriptions", once);
  auto mrr = Compute("mrr", "2026-01-01", "2026-01-20");
  ASSERT_TRUE(mrr.ok());
  const CurrencyValues& usd = Of(*mrr, "usd");
  EXPECT_EQ(usd.previous_total, 7500 + 1000);
  EXPECT_EQ(usd.series[7].value, 7500 + 1000);   // Jan 8: value at Jan 9 00:00
  EXPECT_EQ(usd.series[8].value, 10000 + 1000);  // Jan 9: value at Jan 10 00:00, coupon over
  EXPECT_EQ(usd.total, 11000);
}

TEST_F(ReportsTest, TrialCountsOnlyAfterItEnds) {
  json::object s = Subscription("sub_t", "cus_t", "active", 5000, "month", Utc("2026-01-01"));
  s["trial_start"] = Utc("2026-01-01");
  s["trial_end"] = Utc("2026-01-15");
  Put("subscriptions", s);
  auto mrr = Compute("mrr", "2026-01-01", "2026-02-01");
  ASSERT_TRUE(mrr.ok());
  const CurrencyValues& usd = Of(*mrr, "usd");
  EXPECT_EQ(usd.series[12].value, 0);     // Jan 13 → Jan 14 00:00, in the trial
  EXPECT_EQ(usd.series[13].value, 5000);  // Jan 14 → Jan 15 00:00, trial over
  EXPECT_EQ(usd.previous_total, 0);
  EXPECT_EQ(usd.total, 5000);
  auto subscribers = Compute("active_subscribers", "2026-01-01", "2026-02-01");
  EXPECT_EQ(Of(*subscribers, "usd").series[12].value, 0);
  EXPECT_EQ(Of(*subscribers, "usd").total, 1);
}

TEST_F(ReportsTest, UnpaidSubscriptionsAreLeftOutAndTheAnswerSaysSo) {
  Put("subscriptions", Subscription("sub_u", "cus_u", "unpaid", 5000, "month", Utc("2025-01-01")));
  Put("subscriptions", Subscription("sub_a", "cus_a", "active", 1000, "month", Utc("2025-01-01")));
  auto mrr = Compute("mrr", "2026-01-01", "2026-01-02");
  ASSERT_TRUE(mrr.ok());
  EXPECT_EQ(Of(*mrr, "usd").total, 1000);
  bool said = false;
  for (const std::string& r : mrr->approximate_reasons) said |= r.find("unpaid") != r.npos;
  EXPECT_TRUE(said);
}

TEST_F(ReportsTest, AChangedSubscriptionIsDerivedAgain) {
  Put("subscriptions", Subscription("sub_c", "cus_c", "active", 1000, "month", Utc("2025-01-01")));
  EXPECT_EQ(Of(Compute("mrr", "2026-01-01", "2026-01-02").value(), "usd").total, 1000);
  // Written twice before the next query (a sync's backfill, then an event): queued once.
  Put("subscriptions",
      Subscription("sub_c", "cus_c", "active", 1000, "month", Utc("2025-01-01"), 2));
  Put("subscriptions",
      Subscription("sub_c", "cus_c", "active", 1000, "month", Utc("2025-01-01"), 4));
  EXPECT_EQ(Of(Compute("mrr", "2026-01-01", "2026-01-02").value(), "usd").total, 4000);
  json::object gone = Subscription("sub_c", "cus_c", "active", 1000, "month", Utc("2025-01-01"));
  gone["deleted"] = true;
  Put("subscriptions", gone);
  EXPECT_TRUE(Compute("mrr", "2026-01-01", "2026-01-02").value().values.empty());
}

// The definitions file's churn example: 1000 active at the window's start, 100 new, 100
// churned → 100 ÷ 1100 = 9.09 %; ARPU 500 → LTV 5500.
class ChurnExample : public ReportsTest {
 protected:
  void SetUp() override {
    ReportsTest::SetUp();
    // The window: the 30 days ending 2026-03-02 00:00, i.e. from 2026-01-31 00:00.
    ASSERT_TRUE(store_->InTransaction([&] {
      for (int i = 0; i < 1000; ++i) {
        json::object s = Subscription("sub_" + std::to_string(i), "cus_" + std::to_string(i),
                                      "active", 500, "month", Utc("2025-01-01"));
        if (i < 100) {  // churned in the window
          s["status"] = "canceled";
          s["canceled_at"] = Utc("2026-02-15");
          s["ended_at"] = Utc("2026-02-15");
        }
        Put("subscriptions", s);
      }
      for (int i = 0; i < 100; ++i) {  // new in the window
        Put("subscriptions", Subscription("sub_new_" + std::to_string(i),
                                          "cus_new_" + std::to_string(i), "active", 500, "month",
                                          Utc("2026-02-10")));
      }
      return Status::OK();
    }).ok());
  }
};

TEST_F(ChurnExample, SubscriberChurnRateArpuAndLtv) {
  auto churn = Compute("subscriber_churn_rate", "2026-03-01", "2026-03-02");
  ASSERT_TRUE(churn.ok()) << churn.status().ToString();
  ASSERT_TRUE(Of(*churn, "usd").total.has_value());
  EXPECT_NEAR(*Of(*churn, "usd").total, 100.0 / 1100.0, 1e-12);
  EXPECT_EQ(Of(Compute("arpu", "2026-03-01", "2026-03-02").value(), "usd").total, 500);
  EXPECT_EQ(Of(Compute("ltv", "2026-03-01", "2026-03-02").value(), "usd").total, 5500);
  EXPECT_EQ(Of(Compute("active_subscribers", "2026-03-01", "2026-03-02").value(), "usd").total,
            1000);
}

TEST_F(ChurnExample, RevenueChurn) {
  // Churned MRR 100 × 500; no contraction, expansion or reactivation; MRR at the window's start
  // 1000 × 500.
  auto revenue = Compute("revenue_churn", "2026-03-01", "2026-03-02");
  ASSERT_TRUE(revenue.ok());
  EXPECT_EQ(Of(*revenue, "usd").total, 50000);
  auto rate = Compute("net_revenue_churn_rate", "2026-03-01", "2026-03-02");
  ASSERT_TRUE(rate.ok());
  EXPECT_NEAR(Of(*rate, "usd").total.value_or(-1), 0.1, 1e-12);
}

TEST_F(ReportsTest, LtvIsUndefinedWithoutChurn) {
  Put("subscriptions", Subscription("sub_a", "cus_a", "active", 1000, "month", Utc("2025-01-01")));
  auto ltv = Compute("ltv", "2026-01-01", "2026-01-02");
  ASSERT_TRUE(ltv.ok());
  EXPECT_EQ(Of(*ltv, "usd").total, std::nullopt);
  EXPECT_EQ(Of(Compute("subscriber_churn_rate", "2026-01-01", "2026-01-02").value(), "usd").total,
            0.0);
}

TEST_F(ReportsTest, ContractionExpansionAndReactivation) {
  // cus_c: 3 seats → 1 seat (two subscriptions, one ending): contraction 2000.
  Put("subscriptions", Subscription("sub_c1", "cus_c", "active", 1000, "month", Utc("2025-01-01")));
  json::object c2 = Subscription("sub_c2", "cus_c", "canceled", 2000, "month", Utc("2025-01-01"));
  c2["ended_at"] = Utc("2026-02-20");
  Put("subscriptions", c2);
  // cus_e: adds 500 in the window: expansion 500.
  Put("subscriptions", Subscription("sub_e1", "cus_e", "active", 1000, "month", Utc("2025-01-01")));
  Put("subscriptions", Subscription("sub_e2", "cus_e", "active", 500, "month", Utc("2026-02-20")));
  // cus_r: paid until December, back in the window: reactivation 3000.
  json::object r1 = Subscription("sub_r1", "cus_r", "canceled", 3000, "month", Utc("2025-01-01"));
  r1["ended_at"] = Utc("2025-12-01");
  Put("subscriptions", r1);
  Put("subscriptions", Subscription("sub_r2", "cus_r", "active", 3000, "month", Utc("2026-02-20")));
  auto revenue = Compute("revenue_churn", "2026-03-01", "2026-03-02");
  ASSERT_TRUE(revenue.ok());
  EXPECT_EQ(Of(*revenue, "usd").total, 2000);
  // (0 + 2000 − 500 − 3000) ÷ MRR at 2026-01-31 (3000 + 1000) = −0.375.
  auto rate = Compute("net_revenue_churn_rate", "2026-03-01", "2026-03-02");
  EXPECT_NEAR(Of(*rate, "usd").total.value_or(0), -1500.0 / 4000.0, 1e-12);
}

// ---- Volume metrics ----

json::object Charge(const std::string& id, int64_t amount, const std::string& status,
                    int64_t created, const std::string& currency = "usd") {
  return {{"id", id},        {"object", "charge"},  {"livemode", false},
          {"created", created}, {"amount", amount}, {"currency", currency},
          {"status", status},   {"amount_captured", status == "succeeded" ? amount : 0},
          {"paid", status == "succeeded"}};
}

json::object BalanceTransaction(const std::string& id, int64_t amount, int64_t fee,
                                const std::string& category, int64_t created) {
  return {{"id", id},          {"object", "balance_transaction"}, {"created", created},
          {"amount", amount},  {"fee", fee},                      {"net", amount - fee},
          {"currency", "usd"}, {"reporting_category", category},  {"type", category}};
}

// The definitions file's payout example: charges 10000 (fee 320), 5000 (fee 175), 20000 (fee
// 610); a partial refund of the second −2000; a dispute on the third −20000 (fee 1500) →
// net 10395; gross 35000; refunds 2000; disputes 20000; fees 2605.
class PayoutExample : public ReportsTest {
 protected:
  void SetUp() override {
    ReportsTest::SetUp();
    const int64_t t = Utc("2026-01-10", 12);
    Put("charges", Charge("ch_1", 10000, "succeeded", t));
    Put("charges", Charge("ch_2", 5000, "succeeded", t));
    Put("charges", Charge("ch_3", 20000, "succeeded", t));
    Put("charges", Charge("ch_failed", 7000, "failed", t));
    Put("charges", Charge("ch_jpy", 5000, "succeeded", t, "jpy"));
    Put("refunds", {{"id", "re_1"}, {"object", "refund"}, {"created", t}, {"charge", "ch_2"},
                    {"amount", 2000}, {"currency", "usd"}, {"status", "succeeded"}});
    Put("refunds", {{"id", "re_x"}, {"object", "refund"}, {"created", t}, {"charge", "ch_1"},
                    {"amount", 999}, {"currency", "usd"}, {"status", "canceled"}});
    Put("disputes", {{"id", "dp_1"}, {"object", "dispute"}, {"created", t}, {"charge", "ch_3"},
                     {"amount", 20000}, {"currency", "usd"}, {"status", "lost"}});
    Put("balance_transactions", BalanceTransaction("txn_1", 10000, 320, "charge", t));
    Put("balance_transactions", BalanceTransaction("txn_2", 5000, 175, "charge", t));
    Put("balance_transactions", BalanceTransaction("txn_3", 20000, 610, "charge", t));
    Put("balance_transactions", BalanceTransaction("txn_4", -2000, 0, "refund", t));
    Put("balance_transactions", BalanceTransaction("txn_5", -20000, 1500, "dispute", t));
    // The payout's own row is no volume.
    Put("balance_transactions", BalanceTransaction("txn_po", -10395, 0, "payout", t));
  }
};

TEST_F(PayoutExample, VolumesOfTheWorkedExample) {
  auto total = [&](std::string_view metric, const std::string& currency = "usd") {
    auto result = Compute(metric, "2026-01-01", "2026-02-01");
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return Of(*result, currency).total;
  };
  EXPECT_EQ(total("gross_volume"), 35000);
  EXPECT_EQ(total("gross_volume", "jpy"), 5000);
  EXPECT_EQ(total("refunds"), 2000);
  EXPECT_EQ(total("disputes"), 20000);
  EXPECT_EQ(total("fees"), 2605);
  EXPECT_EQ(total("net_volume"), 10395);
  EXPECT_EQ(total("successful_payments"), 3);
  EXPECT_EQ(total("successful_payments", "jpy"), 1);
  EXPECT_EQ(total("failed_payments"), 1);
}

TEST_F(PayoutExample, SeriesBucketsAndPreviousPeriod) {
  Put("charges", Charge("ch_dec", 4000, "succeeded", Utc("2025-12-20")));
  auto gross = Compute("gross_volume", "2026-01-01", "2026-02-01", "week");
  ASSERT_TRUE(gross.ok());
  const CurrencyValues& usd = Of(*gross, "usd");
  // Jan 1 2026 is a Thursday: [Jan 1, Jan 5), [Jan 5, Jan 12), ... [Jan 26, Feb 1).
  ASSERT_EQ(usd.series.size(), 5u);
  EXPECT_EQ(FormatIsoDate(usd.series[0].start_day), "2026-01-01");
  EXPECT_EQ(FormatIsoDate(usd.series[1].start_day), "2026-01-05");
  EXPECT_EQ(usd.series[0].value, 0);
  EXPECT_EQ(usd.series[1].value, 35000);
  EXPECT_EQ(usd.previous_total, 4000);  // [Dec 1, Jan 1)
}

TEST_F(ReportsTest, DaysAreCutAtLocalMidnight) {
  // 23:30 UTC on Jan 1 is 00:30 on Jan 2 in Berlin, 18:30 on Jan 1 in New York.
  Put("charges", Charge("ch_late", 1234, "succeeded", Utc("2026-01-01", 23, 30)));
  auto berlin = Compute("gross_volume", "2026-01-01", "2026-01-03", "day", "Europe/Berlin");
  ASSERT_TRUE(berlin.ok());
  EXPECT_EQ(Of(*berlin, "usd").series[0].value, 0);
  EXPECT_EQ(Of(*berlin, "usd").series[1].value, 1234);
  auto new_york = Compute("gross_volume", "2026-01-01", "2026-01-03", "day", "America/New_York");
  EXPECT_EQ(Of(*new_york, "usd").series[0].value, 1234);
  // Kolkata is 5:30 ahead: its midnights are off the hour, so the rows are read themselves
  // rather than the hourly rollup. 05:00 on Jan 2 there.
  auto kolkata = Compute("gross_volume", "2026-01-01", "2026-01-03", "day", "Asia/Kolkata");
  ASSERT_TRUE(kolkata.ok());
  EXPECT_EQ(Of(*kolkata, "usd").series[0].value, 0);
  EXPECT_EQ(Of(*kolkata, "usd").series[1].value, 1234);
}

TEST_F(ReportsTest, ChangedAndDeletedRowsLeaveTheHourlySums) {
  // Both paths must agree after every change: UTC reads the rollup, Kolkata the rows.
  auto totals = [&](std::string_view metric) {
    std::vector<std::optional<double>> out;
    for (const char* tz : {"UTC", "Asia/Kolkata"}) {
      auto result = Compute(metric, "2026-01-01", "2026-02-01", "month", tz);
      EXPECT_TRUE(result.ok()) << result.status().ToString();
      out.push_back(result->values.empty() ? std::nullopt : result->values[0].total);
    }
    return out;
  };
  using V = std::vector<std::optional<double>>;
  Put("charges", Charge("ch_1", 5000, "succeeded", Utc("2026-01-05", 10)));
  EXPECT_EQ(totals("gross_volume"), (V{5000, 5000}));
  Put("charges", Charge("ch_1", 5000, "failed", Utc("2026-01-05", 10)));
  EXPECT_EQ(totals("gross_volume"), (V{std::nullopt, std::nullopt}));
  EXPECT_EQ(totals("failed_payments"), (V{1, 1}));
  json::object gone = Charge("ch_1", 5000, "failed", Utc("2026-01-05", 10));
  gone["deleted"] = true;
  Put("charges", gone);
  EXPECT_EQ(totals("failed_payments"), (V{std::nullopt, std::nullopt}));
}

// The series of `metric` in usd, the total and the previous period's total.
struct UsdSeries {
  std::vector<std::optional<double>> series;
  std::optional<double> total, previous_total;
  bool operator==(const UsdSeries&) const = default;
};
void PrintTo(const UsdSeries& s, std::ostream* os) {
  *os << "series {";
  for (const auto& v : s.series) *os << (v ? std::to_string(*v) : "null") << " ";
  *os << "} total " << s.total.value_or(-1) << " previous " << s.previous_total.value_or(-1);
}

class QuarterZones : public ReportsTest {
 protected:
  UsdSeries Usd(std::string_view metric, std::string_view from, std::string_view to,
                std::string_view tz) {
    auto result = Compute(metric, from, to, "day", tz);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok() || result->values.empty()) return {};
    const CurrencyValues& usd = Of(*result, "usd");
    UsdSeries out{.total = usd.total, .previous_total = usd.previous_total};
    for (const SeriesPoint& p : usd.series) out.series.push_back(p.value);
    return out;
  }
};

TEST_F(QuarterZones, KathmanduDaysStartAtQuarterPastSixUtc) {
  // Nepal is 5:45 ahead: Jan 2 starts at 18:15 UTC on Jan 1. The range [Jan 1, Jan 3) starts at
  // Dec 31 18:15 UTC, its previous period [Dec 30, Jan 1) at Dec 29 18:15 UTC; each bound cuts
  // an hour of the rollup at a quarter past.
  Put("charges", Charge("ch_a", 1000, "succeeded", Utc("2026-01-01", 18, 14)));   // Jan 1 23:59
  Put("charges", Charge("ch_b", 2000, "succeeded", Utc("2026-01-01", 18, 15)));   // Jan 2 00:00
  Put("charges", Charge("ch_c", 4000, "succeeded", Utc("2026-01-01", 18, 59)));   // Jan 2 00:44
  Put("charges", Charge("ch_d", 8000, "succeeded", Utc("2025-12-31", 18, 14)));   // Dec 31 23:59
  Put("charges", Charge("ch_e", 16000, "succeeded", Utc("2026-01-02", 18, 15)));  // Jan 3: after
  Put("charges", Charge("ch_f", 32000, "succeeded", Utc("2025-12-29", 18, 15)));  // Dec 30 00:00
  Put("charges", Charge("ch_g", 64000, "succeeded", Utc("2025-12-29", 18, 14)));  // Dec 29: before
  EXPECT_EQ(Usd("gross_volume", "2026-01-01", "2026-01-03", "Asia/Kathmandu"),
            (UsdSeries{{1000, 6000}, 7000, 40000}));
  EXPECT_EQ(Usd("successful_payments", "2026-01-01", "2026-01-03", "Asia/Kathmandu"),
            (UsdSeries{{1, 2}, 3, 2}));
  // The same rows in Kolkata (5:30 ahead, Jan 2 starts at 18:30 UTC): ch_b stays on Jan 1,
  // ch_e (23:45 on Jan 2) joins ch_c; ch_f (23:45 on Dec 29) is before the previous period.
  EXPECT_EQ(Usd("gross_volume", "2026-01-01", "2026-01-03", "Asia/Kolkata"),
            (UsdSeries{{3000, 20000}, 23000, 8000}));
}

TEST_F(QuarterZones, AdelaideAcrossTheStartOfDaylightSavingTime) {
  // Adelaide is 9:30 ahead until 2026-10-04 02:00 (16:30 UTC on Oct 3), then 10:30: Oct 4
  // starts at 14:30 UTC on Oct 3, Oct 5 at 13:30 UTC on Oct 4 (a 23-hour day).
  Put("charges", Charge("ch_1", 100, "succeeded", Utc("2026-10-03", 14, 29)));   // Oct 3 23:59
  Put("charges", Charge("ch_2", 200, "succeeded", Utc("2026-10-03", 14, 30)));   // Oct 4 00:00
  Put("charges", Charge("ch_3", 400, "succeeded", Utc("2026-10-03", 16, 45)));   // Oct 4 03:15
  Put("charges", Charge("ch_4", 800, "succeeded", Utc("2026-10-04", 13, 29)));   // Oct 4 23:59
  Put("charges", Charge("ch_5", 1600, "succeeded", Utc("2026-10-04", 13, 30)));  // Oct 5 00:00
  EXPECT_EQ(Usd("gross_volume", "2026-10-03", "2026-10-06", "Australia/Adelaide"),
            (UsdSeries{{100, 1400, 1600}, 3100, 0}));
}

TEST_F(QuarterZones, ChangedAndDeletedRowsLeaveTheQuarterSums) {
  // Kolkata's Jan 6 starts at 18:30 UTC on Jan 5.
  Put("charges", Charge("ch_1", 1000, "succeeded", Utc("2026-01-05", 18, 20)));  // Jan 5 23:50
  Put("charges", Charge("ch_2", 2000, "succeeded", Utc("2026-01-05", 18, 40)));  // Jan 6 00:10
  EXPECT_EQ(Usd("gross_volume", "2026-01-05", "2026-01-07", "Asia/Kolkata"),
            (UsdSeries{{1000, 2000}, 3000, 0}));
  Put("charges", Charge("ch_1", 1000, "succeeded", Utc("2026-01-05", 18, 35)));  // Jan 6 00:05
  EXPECT_EQ(Usd("gross_volume", "2026-01-05", "2026-01-07", "Asia/Kolkata"),
            (UsdSeries{{0, 3000}, 3000, 0}));
  Put("charges", Charge("ch_2", 2000, "failed", Utc("2026-01-05", 18, 40)));
  EXPECT_EQ(Usd("gross_volume", "2026-01-05", "2026-01-07", "Asia/Kolkata"),
            (UsdSeries{{0, 1000}, 1000, 0}));
  EXPECT_EQ(Usd("failed_payments", "2026-01-05", "2026-01-07", "Asia/Kolkata"),
            (UsdSeries{{0, 1}, 1, 0}));
  json::object gone = Charge("ch_2", 2000, "failed", Utc("2026-01-05", 18, 40));
  gone["deleted"] = true;
  Put("charges", gone);
  EXPECT_EQ(Usd("failed_payments", "2026-01-05", "2026-01-07", "Asia/Kolkata"), UsdSeries{});
}

TEST_F(QuarterZones, BalanceTransactionsAndPayoutsSplitAtTheQuarter) {
  // Kathmandu's Jan 2 starts at 18:15 UTC on Jan 1: fees and net of the rows on each side.
  Put("balance_transactions", BalanceTransaction("txn_1", 10000, 320, "charge",
                                                 Utc("2026-01-01", 18, 10)));
  Put("balance_transactions", BalanceTransaction("txn_2", 5000, 175, "charge",
                                                 Utc("2026-01-01", 18, 20)));
  Put("balance_transactions", BalanceTransaction("txn_3", -1500, 0, "fee",
                                                 Utc("2026-01-01", 18, 50)));
  // net 9680 on Jan 1; 4825 − 1500 = 3325 on Jan 2. fees 320; 175 + |−1500| = 1675.
  EXPECT_EQ(Usd("net_volume", "2026-01-01", "2026-01-03", "Asia/Kathmandu"),
            (UsdSeries{{9680, 3325}, 13005, 0}));
  EXPECT_EQ(Usd("fees", "2026-01-01", "2026-01-03", "Asia/Kathmandu"),
            (UsdSeries{{320, 1675}, 1995, 0}));
  auto payout = [](const std::string& id, int64_t amount, const std::string& status,
                   int64_t arrival) {
    return json::object{{"id", id},         {"object", "payout"},   {"created", arrival - 86400},
                        {"amount", amount}, {"currency", "usd"},    {"status", status},
                        {"arrival_date", arrival}};
  };
  Put("payouts", payout("po_1", 700, "paid", Utc("2026-01-01", 18, 14)));     // Jan 1
  Put("payouts", payout("po_2", 900, "failed", Utc("2026-01-01", 18, 16)));   // Jan 2
  Put("payouts", payout("po_3", 500, "paid", Utc("2025-12-31", 18, 14)));     // previous
  Put("payouts", payout("po_4", 300, "failed", Utc("2025-12-31", 18, 14)));   // previous
  auto payouts = Compute("payouts", "2026-01-01", "2026-01-03", "day", "Asia/Kathmandu");
  ASSERT_TRUE(payouts.ok()) << payouts.status().ToString();
  const CurrencyValues& usd = Of(*payouts, "usd");
  EXPECT_EQ(usd.total, 700);
  EXPECT_EQ(usd.previous_total, 500);
  EXPECT_EQ(usd.count, 1);
  EXPECT_EQ(usd.by_status.at("paid"), std::make_pair(int64_t{700}, int64_t{1}));
  EXPECT_EQ(usd.by_status.at("failed"), std::make_pair(int64_t{900}, int64_t{1}));
}

TEST_F(QuarterZones, ZonesOffTheQuarterHourReadTheRows) {
  // Liberia was 44 minutes 30 seconds behind UTC until 1972: its midnights are off every
  // quarter hour, so the rows are summed per local date. Jan 2 1971 starts at 00:44:30 UTC.
  Put("charges", Charge("ch_1", 100, "succeeded", Utc("1971-01-01", 23, 50)));  // Jan 1 23:05
  Put("charges", Charge("ch_2", 200, "succeeded", Utc("1971-01-02", 0, 44)));   // Jan 1 23:59
  Put("charges", Charge("ch_3", 400, "succeeded", Utc("1971-01-02", 0, 45)));   // Jan 2 00:00
  EXPECT_EQ(Usd("gross_volume", "1971-01-01", "1971-01-03", "Africa/Monrovia"),
            (UsdSeries{{300, 400}, 700, 0}));
}

TEST(RollupMigration, Migration7RebuildsTheRollupFromTheRows) {
  // A database of migration 6 with rows (and its hourly rollup), opened by this version:
  // migration 7 (reports 2 since issue 12) rebuilds the rollup with the quarter sums, and the
  // triggers keep it.
  test_util::TempDir dir;
  const std::string path = (dir.path() / "stripeline.db").string();
  {
    auto db = store::sqlite::SqliteDatabase::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(test_util::ApplyLegacyHistory(**db, test_util::TestSchemas(), 6).ok());
    // The rows as that release wrote them (today's ObjectWriter writes today's key, account and
    // mode; the tables of migration 6 are keyed by account only).
    for (auto [id, minute] : {std::pair{"ch_1", 20}, {"ch_2", 40}}) {
      ASSERT_TRUE((*db)->Execute("INSERT INTO stripe_charges (account_id, id, livemode, created, "
                                 "version, synced_at, raw, status, currency, amount_captured) "
                                 "VALUES ($1, $2, 0, $3, 1, 1, '{}', 'succeeded', 'usd', 1000)",
                                 {std::string(kAccount), std::string(id),
                                  Utc("2026-01-05", 18, minute)})
                      .ok());
    }
  }
  auto opened = store::OpenDatabase("sqlite:" + path, test_util::TestSchemas());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store store(**opened);
  ReportRepository repository(**opened);
  MetricsEngine engine(store, repository);
  sync::ObjectWriter writer(**opened);
  ASSERT_TRUE(writer
                  .Upsert(*sync::FindStream("charges"),
                          Charge("ch_3", 500, "succeeded", Utc("2026-01-05", 18, 10)),
                          {.account_id = kAccount, .version = 1, .synced_at = 1})
                  .ok());
  // Kolkata's Jan 6 starts at 18:30 UTC on Jan 5: ch_1 and ch_3 before, ch_2 after.
  auto period = MakePeriod("2026-01-05", "2026-01-07", "day", "Asia/Kolkata");
  ASSERT_TRUE(period.ok());
  auto result = engine.Compute("gross_volume", {TestScope()}, *period);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->values.size(), 1u);
  ASSERT_EQ(result->values[0].series.size(), 2u);
  EXPECT_EQ(result->values[0].series[0].value, 1500);
  EXPECT_EQ(result->values[0].series[1].value, 1000);
}

TEST_F(ReportsTest, NewCustomersAreNotPerCurrency) {
  Put("customers", {{"id", "cus_1"}, {"object", "customer"}, {"created", Utc("2026-01-05")},
                    {"currency", "usd"}});
  Put("customers", {{"id", "cus_2"}, {"object", "customer"}, {"created", Utc("2026-01-06")},
                    {"currency", nullptr}});
  auto result = Compute("new_customers", "2026-01-01", "2026-02-01", "month");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->values.size(), 1u);
  EXPECT_EQ(result->values[0].currency, "");
  EXPECT_EQ(result->values[0].total, 2);
}

TEST_F(ReportsTest, PayoutsByArrivalDateWithStatuses) {
  auto payout = [](const std::string& id, int64_t amount, const std::string& status,
                   int64_t arrival) {
    return json::object{{"id", id},         {"object", "payout"},   {"created", arrival - 86400},
                        {"amount", amount}, {"currency", "usd"},    {"status", status},
                        {"arrival_date", arrival}};
  };
  Put("payouts", payout("po_1", 10395, "paid", Utc("2026-01-12")));
  Put("payouts", payout("po_2", 500, "in_transit", Utc("2026-01-30")));
  Put("payouts", payout("po_3", 700, "failed", Utc("2026-01-20")));
  Put("payouts", payout("po_4", 900, "paid", Utc("2026-02-01")));  // after the range
  auto result = Compute("payouts", "2026-01-01", "2026-02-01", "month");
  ASSERT_TRUE(result.ok());
  const CurrencyValues& usd = Of(*result, "usd");
  EXPECT_EQ(usd.total, 10895);
  EXPECT_EQ(usd.count, 2);
  EXPECT_EQ(usd.by_status.at("paid"), std::make_pair(int64_t{10395}, int64_t{1}));
  EXPECT_EQ(usd.by_status.at("failed"), std::make_pair(int64_t{700}, int64_t{1}));
}

TEST_F(ReportsTest, UnknownMetricAndBadOptionsAreClearErrors) {
  auto unknown = Compute("profit", "2026-01-01", "2026-02-01");
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("gross_volume"), std::string::npos);
  MetricOptions options;
  options.churn_window_days = 0;
  EXPECT_EQ(Compute("mrr", "2026-01-01", "2026-02-01", "day", "UTC", options).status().code(),
            StatusCode::kInvalidArgument);
}

// ---- Periods ----

TEST(ReportPeriod, DstDaysAndMonthBuckets) {
  auto period = MakePeriod("2026-03-28", "2026-03-31", "day", "Europe/Berlin");
  ASSERT_TRUE(period.ok());
  ASSERT_EQ(period->buckets.size(), 3u);
  EXPECT_EQ(period->buckets[0].end - period->buckets[0].start, 86400);
  EXPECT_EQ(period->buckets[1].end - period->buckets[1].start, 23 * 3600);  // clocks forward
  EXPECT_EQ(period->from, 1774652400);  // 2026-03-28 00:00 CET = 2026-03-27 23:00 UTC
  auto months = MakePeriod("2026-01-15", "2026-04-01", "month", "UTC");
  ASSERT_TRUE(months.ok());
  ASSERT_EQ(months->buckets.size(), 3u);
  EXPECT_EQ(FormatIsoDate(months->buckets[1].start_day), "2026-02-01");
  EXPECT_EQ(FormatIsoDate(months->previous_from / 86400), "2025-10-31");  // 76 days before
}

TEST(ReportPeriod, BadInputIsAClearError) {
  EXPECT_EQ(MakePeriod("2026-02-30", "2026-03-01", "day", "UTC").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MakePeriod("2026-03-01", "2026-03-01", "day", "UTC").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(MakePeriod("2026-01-01", "2026-03-01", "hour", "UTC").status().code(),
            StatusCode::kInvalidArgument);
  auto zone = MakePeriod("2026-01-01", "2026-03-01", "day", "Mars/Olympus");
  EXPECT_EQ(zone.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(zone.status().message().find("Mars/Olympus"), std::string::npos);
}

}  // namespace
}  // namespace stripeline::reports::testing
