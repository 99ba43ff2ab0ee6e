// Metrics end to end: the emulator's dataset synced by the real sync engine in `stripeline
// serve`, then every metric's total from GET /api/v1/metrics/{metric} compared with an
// independent computation over the raw objects the emulator's /v1 API lists, written here in
// the plainest way (a loop per definition of metrics-and-reconciliation.md, no code shared with
// src/reports/). `stripeline metrics --json` must give the API's numbers; a client's dashboard
// round-trips and exports as CSV.
#include <gtest/gtest.h>

#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

using boost::json::object;
using boost::json::value;


int64_t Int(const object& o, const char* key) {
  const value* v = o.if_contains(key);
  return v == nullptr || v->is_null() ? 0 : v->to_number<int64_t>();
}
std::string Text(const object& o, const char* key) {
  const value* v = o.if_contains(key);
  return v == nullptr || !v->is_string() ? "" : Str(*v);
}

// currency -> value
using Totals = std::map<std::string, double>;

class MetricsEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = std::make_unique<Stack>(StackOptions{
        .emulator_args = {"--objects", "300"},
        .serve_args = {"--rate-limit-test", "2000", "--sync-interval", "0"}});
    auto added = api().Post("/api/v1/integrations",
                            object{{"name", "Metrics"}, {"secret_key", kSecretKey}});
    ASSERT_EQ(added.status, 201) << added.body;
    integration_ = Str(added.json.at("integration").at("id"));
    auto started = api().Post("/api/v1/integrations/" + integration_ + "/sync");
    ASSERT_EQ(started.status, 202) << started.body;
    const std::string run_id = Str(started.json.at("run_id"));
    value run = nullptr;
    ASSERT_TRUE(WaitUntil(
        [&] {
          auto runs = api().Get("/api/v1/integrations/" + integration_ + "/sync/runs?limit=5");
          for (const auto& r : runs.json.at("data").as_array()) {
            if (r.at("id") == value(run_id) && r.at("status") != "running") run = r;
          }
          return !run.is_null();
        },
        120, "the sync to finish"));
    ASSERT_EQ(run.at("status"), "succeeded") << run;
    raw_ = EmulatorContent(stack_->emulator_url(), kSecretKey,
                           {"charges", "refunds", "disputes", "balance_transactions",
                            "customers", "payouts", "subscriptions"});
    // Everything the emulator made, up to tomorrow.
    to_ = IsoDate(std::time(nullptr) + 86400);
    from_ = IsoDate(std::time(nullptr) - 3000 * int64_t{86400});
  }

  HttpClient& api() { return stack_->api(); }

  std::vector<object> Objects(const std::string& stream) {
    std::vector<object> out;
    for (const auto& [id, text] : raw_.at(stream)) out.push_back(boost::json::parse(text).as_object());
    return out;
  }

  // The totals of GET /api/v1/metrics/{metric} over [from_, to_), by month, UTC.
  Totals Api(const std::string& metric, const std::string& extra = "") {
    auto answer = api().Get("/api/v1/metrics/" + metric + "?integration=" + integration_ +
                            "&from=" + from_ + "&to=" + to_ + "&interval=month&tz=UTC" + extra);
    EXPECT_EQ(answer.status, 200) << answer.body;
    Totals totals;
    if (answer.status != 200) return totals;
    EXPECT_EQ(answer.json.at("as_of").kind(), boost::json::kind::int64) << answer.body;
    for (const auto& v : answer.json.at("values").as_array()) {
      const std::string currency = v.at("currency").is_null() ? "" : Str(v.at("currency"));
      if (!v.at("total").is_null()) totals[currency] = v.at("total").to_number<double>();
      // The series adds up to the total for volumes.
      if (v.at("series").as_array().size() > 0 && metric != "mrr" && metric != "arr" &&
          metric != "active_subscribers") {
        double sum = 0;
        for (const auto& p : v.at("series").as_array()) sum += p.at("value").to_number<double>();
        EXPECT_EQ(sum, totals[currency]) << metric << " " << currency;
      }
    }
    return totals;
  }

  bool InRange(int64_t t) const {
    return IsoDate(t) >= from_ && IsoDate(t) < to_;
  }

  // Σ `value(o)` by currency over the objects of `stream` whose `time` is in range and that
  // `keep`.
  Totals Sum(const std::string& stream, const char* time,
             const std::function<bool(const object&)>& keep,
             const std::function<double(const object&)>& amount, bool per_currency = true) {
    Totals totals;
    for (const object& o : Objects(stream)) {
      if (!InRange(Int(o, time)) || !keep(o)) continue;
      totals[per_currency ? Text(o, "currency") : ""] += amount(o);
    }
    return totals;
  }

  // MRR now (at `to_`, tomorrow) by the definition: active or past_due, not in a trial,
  // licensed items normalised to a month, minus a forever/repeating coupon in effect.
  Totals Mrr() {
    const int64_t at = std::time(nullptr) + 86400;
    Totals totals;
    for (const object& s : Objects("subscriptions")) {
      const std::string status = Text(s, "status");
      if (status != "active" && status != "past_due") continue;
      if (Int(s, "trial_start") <= at && at < Int(s, "trial_end")) continue;
      double monthly = 0;
      for (const auto& item : s.at("items").at("data").as_array()) {
        const object& price = item.at("price").as_object();
        const object& recurring = price.at("recurring").as_object();
        if (Text(recurring, "usage_type") == "metered") continue;
        const double n = static_cast<double>(std::max<int64_t>(1, Int(recurring, "interval_count")));
        const std::string interval = Text(recurring, "interval");
        const double factor = interval == "month"  ? 1 / n
                              : interval == "year" ? 1 / (12 * n)
                              : interval == "week" ? 52 / (12 * n)
                                                   : 365 / (12 * n);
        monthly += Int(price, "unit_amount") * Int(item.as_object(), "quantity") * factor;
      }
      const value* discount = s.if_contains("discount");
      if (discount != nullptr && discount->is_object()) {
        const object& coupon = discount->at("coupon").as_object();
        if (Text(coupon, "duration") != "once" && coupon.at("percent_off").is_number()) {
          monthly *= 1 - coupon.at("percent_off").to_number<double>() / 100;
        }
      }
      totals[Text(s, "currency")] += monthly;
    }
    for (auto& [c, v] : totals) v = std::round(v);
    return totals;
  }

  std::unique_ptr<Stack> stack_;
  std::string integration_, from_, to_;
  std::map<std::string, StreamObjects> raw_;
};

TEST_F(MetricsEndToEnd, EveryVolumeMetricMatchesAnIndependentComputation) {
  auto always = [](const object&) { return true; };
  auto count = [](const object&) { return 1.0; };
  auto status_is = [](const char* s) {
    return [s](const object& o) { return Text(o, "status") == s; };
  };
  const Totals gross = Sum("charges", "created", status_is("succeeded"),
                           [](const object& o) { return double(Int(o, "amount_captured")); });
  ASSERT_FALSE(gross.empty()) << "the emulator's dataset has no succeeded charge";
  EXPECT_EQ(Api("gross_volume"), gross);
  EXPECT_EQ(Api("successful_payments"), Sum("charges", "created", status_is("succeeded"), count));
  EXPECT_EQ(Api("failed_payments"), Sum("charges", "created", status_is("failed"), count));
  EXPECT_EQ(Api("refunds"),
            Sum("refunds", "created",
                [](const object& o) {
                  return Text(o, "status") != "failed" && Text(o, "status") != "canceled";
                },
                [](const object& o) { return double(Int(o, "amount")); }));
  EXPECT_EQ(Api("disputes"),
            Sum("disputes", "created", always,
                [](const object& o) { return double(Int(o, "amount")); }));
  const std::set<std::string> net_categories = {"charge",  "refund",           "partial_capture_reversal",
                                                "dispute", "dispute_reversal", "fee", "tax"};
  EXPECT_EQ(Api("net_volume"),
            Sum("balance_transactions", "created",
                [&](const object& o) { return net_categories.count(Text(o, "reporting_category")) > 0; },
                [](const object& o) { return double(Int(o, "net")); }));
  EXPECT_EQ(Api("fees"), Sum("balance_transactions", "created", always, [](const object& o) {
              const std::string category = Text(o, "reporting_category");
              return double(Int(o, "fee")) +
                     (category == "fee" || category == "tax" ? std::abs(double(Int(o, "net"))) : 0);
            }));
  Totals customers = Sum("customers", "created", always, count, /*per_currency=*/false);
  EXPECT_EQ(Api("new_customers"), customers);
  EXPECT_EQ(Api("payouts"),
            Sum("payouts", "arrival_date",
                [](const object& o) {
                  return Text(o, "status") != "failed" && Text(o, "status") != "canceled";
                },
                [](const object& o) { return double(Int(o, "amount")); }));
}

TEST_F(MetricsEndToEnd, MrrArrAndSubscribersMatchAnIndependentComputation) {
  const Totals mrr = Mrr();
  ASSERT_FALSE(mrr.empty()) << "the emulator's dataset has no active subscription";
  EXPECT_EQ(Api("mrr"), mrr);
  Totals arr = mrr;
  for (auto& [c, v] : arr) v *= 12;
  EXPECT_EQ(Api("arr"), arr);
  Totals ignored = Api("mrr", "&discounts=ignore");
  for (const auto& [c, v] : mrr) EXPECT_GE(ignored[c], v);
  // Active subscribers: distinct customers counted above with MRR > 0.
  std::map<std::string, std::set<std::string>> customers;
  const int64_t at = std::time(nullptr) + 86400;
  for (const object& s : Objects("subscriptions")) {
    const std::string status = Text(s, "status");
    if ((status == "active" || status == "past_due") &&
        !(Int(s, "trial_start") <= at && at < Int(s, "trial_end"))) {
      customers[Text(s, "currency")].insert(Text(s, "customer"));
    }
  }
  Totals subscribers;
  for (const auto& [c, set] : customers) subscribers[c] = static_cast<double>(set.size());
  EXPECT_EQ(Api("active_subscribers"), subscribers);
}

TEST_F(MetricsEndToEnd, CliGivesTheApisNumbers) {
  for (const std::string metric : {"gross_volume", "mrr", "subscriber_churn_rate"}) {
    auto api_answer = api().Get("/api/v1/metrics/" + metric + "?integration=" + integration_ +
                                "&from=" + from_ + "&to=" + to_ + "&interval=week&tz=Europe/Berlin");
    ASSERT_EQ(api_answer.status, 200) << api_answer.body;
    auto cli = RunCli(stack_->CliArgs({"metrics", metric, "--integration", integration_,
                                       "--from", from_, "--to", to_, "--interval", "week",
                                       "--tz", "Europe/Berlin", "--json"}));
    ASSERT_EQ(cli.exit_code, 0) << cli.err;
    value cli_answer = boost::json::parse(cli.out);
    EXPECT_EQ(cli_answer.at("values"), api_answer.json.at("values")) << metric;
    EXPECT_EQ(cli_answer.at("as_of"), api_answer.json.at("as_of"));
  }
  auto bad = RunCli(stack_->CliArgs({"metrics", "gross_volume", "--integration", integration_,
                                     "--from", "2026-13-01", "--to", to_}));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("from must be a date"), std::string::npos) << bad.err;
}

TEST_F(MetricsEndToEnd, ClientDashboardRoundTripsAndExportsCsv) {
  auto client = api().Post("/api/v1/clients", object{{"name", "Acme"}});
  ASSERT_EQ(client.status, 201) << client.body;
  const std::string client_id = Str(client.json.at("client").at("id"));
  ASSERT_EQ(api().Patch("/api/v1/integrations/" + integration_, object{{"client_id", client_id}})
                .status,
            200);
  auto saved = api().Send(
      "PUT", "/api/v1/clients/" + client_id + "/dashboard",
      boost::json::serialize(object{
          {"widgets",
           boost::json::array{
               object{{"metric", "gross_volume"}, {"kind", "chart"}, {"title", "Gross, volume"},
                      {"integration", integration_}},
               // A member's title that a spreadsheet would run as a formula (issue 13).
               object{{"metric", "mrr"},
                      {"kind", "number"},
                      {"title", "=HYPERLINK(\"http://evil.example\",\"MRR\")"}}}}}));
  ASSERT_EQ(saved.status, 200) << saved.body;
  auto shown = api().Get("/api/v1/clients/" + client_id + "/dashboard");
  ASSERT_EQ(shown.status, 200);
  ASSERT_EQ(shown.json.at("widgets").as_array().size(), 2u);
  EXPECT_EQ(shown.json.at("widgets").at(0).at("metric"), "gross_volume");
  EXPECT_EQ(shown.json.at("widgets").at(1).at("integration"), nullptr);

  auto bad = api().Send("PUT", "/api/v1/clients/" + client_id + "/dashboard",
                        R"({"widgets":[{"metric":"profit","kind":"number"}]})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(api().Get("/api/v1/clients/" + client_id + "/dashboard").json.at("widgets").as_array().size(),
            2u);  // a refused save changes nothing

  auto csv = api().Get("/api/v1/clients/" + client_id + "/dashboard/export?from=" + from_ +
                       "&to=" + to_ + "&interval=month");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.headers["content-type"].find("text/csv"), std::string::npos);
  EXPECT_EQ(csv.body.rfind("widget_id,title,metric,integration_id,currency,period,value\r\n", 0), 0u);
  EXPECT_NE(csv.body.find("\"Gross, volume\",gross_volume"), std::string::npos);
  EXPECT_NE(csv.body.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"MRR\"\")\",mrr,"),
            std::string::npos)
      << csv.body;
  EXPECT_EQ(csv.body.find(",=HYPERLINK"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find(",\"=HYPERLINK"), std::string::npos) << csv.body;
  // The export's gross total is the API's.
  Totals gross = Api("gross_volume");
  for (const auto& [currency, total] : gross) {
    EXPECT_NE(csv.body.find("," + currency + ",total," + std::to_string(int64_t(total)) + "\r\n"),
              std::string::npos)
        << currency;
  }
  auto viewer = stack_->ClientFor("viewer@example.com", "viewer");
  EXPECT_EQ(viewer.Get("/api/v1/clients/" + client_id + "/dashboard").status, 404);
}

}  // namespace
}  // namespace stripeline::testing
