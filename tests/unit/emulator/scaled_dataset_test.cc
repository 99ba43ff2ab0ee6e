#include "emulator/scaled_dataset.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "emulator/list_query.h"
#include "emulator/resource_table.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

namespace json = boost::json;
using testing::kFakeNow;

constexpr int64_t kDay = 86400;

AccountConfig Demo() { return BuiltInConfig().accounts.at(0); }

TEST(IdCodec, RoundTripsAndRejectsOthers) {
  IdCodec codec("ch_", 12345);
  std::set<std::string> seen;
  for (uint32_t p : {0u, 1u, 2u, 99u, 65535u, 65536u, 1000000u, 0xfffffffeu}) {
    std::string id = codec.Encode(p);
    EXPECT_EQ(id.size(), 3u + 24u) << id;
    EXPECT_TRUE(id.starts_with("ch_"));
    EXPECT_EQ(codec.Decode(id), p) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 8u);
  std::string id = codec.Encode(7);
  std::string tampered = id;
  tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(codec.Decode(tampered).has_value());
  EXPECT_FALSE(codec.Decode("ch_x").has_value());
  EXPECT_FALSE(IdCodec("ch_", 999).Decode(id).has_value());  // another dataset's key
  EXPECT_FALSE(codec.Decode("cus_" + id.substr(3)).has_value());
}

class ScaledDatasetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_ = BuildScaledDataset(Demo(), false, 42, kFakeNow, 5000).release();
  }
  static void TearDownTestSuite() { delete dataset_; }
  static const Dataset& d() { return *dataset_; }
  static std::set<std::string> Ids(std::string_view path) {
    std::set<std::string> ids;
    for (const json::object& o : d().All(path)) ids.emplace(o.at("id").as_string());
    return ids;
  }
  static Dataset* dataset_;
};
Dataset* ScaledDatasetTest::dataset_ = nullptr;

TEST_F(ScaledDatasetTest, HasRealisticProportions) {
  auto count = [](std::string_view path) { return d().Objects(path)->size(); };
  EXPECT_EQ(count("charges"), 5000u);
  EXPECT_EQ(count("payment_intents"), 5000u);
  EXPECT_EQ(count("customers"), 1000u);
  EXPECT_EQ(count("products"), 5u);
  EXPECT_EQ(count("prices"), 10u);
  EXPECT_EQ(count("coupons"), 20u);
  EXPECT_EQ(count("subscriptions"), 500u);
  EXPECT_GT(count("invoices"), 1000u);
  EXPECT_LE(count("invoices"), 1500u);
  EXPECT_NEAR(static_cast<double>(count("refunds")), 250, 5);
  EXPECT_NEAR(static_cast<double>(count("disputes")), 25, 2);
  EXPECT_NEAR(static_cast<double>(count("payouts")), 728, 3);
  EXPECT_GE(count("credit_notes"), 10u);
  // One per succeeded charge (~97%), refund, dispute (+ won reversals) and payout.
  EXPECT_GT(count("balance_transactions"), 4850u + 250 + 25 + 700);
  EXPECT_GT(count("events"), 100u);
  std::map<std::string, int> statuses;
  for (const json::object& s : d().All("subscriptions")) ++statuses[std::string(s.at("status").as_string())];
  for (const char* status : {"active", "canceled", "past_due", "trialing", "unpaid"}) {
    EXPECT_GT(statuses[status], 0) << status;
  }
}

TEST_F(ScaledDatasetTest, IsDeterministic) {
  auto again = BuildScaledDataset(Demo(), false, 42, kFakeNow, 5000);
  auto other_seed = BuildScaledDataset(Demo(), false, 7, kFakeNow, 5000);
  auto live = BuildScaledDataset(Demo(), true, 42, kFakeNow, 5000);
  for (const ResourceSpec& spec : Resources()) {
    const Collection& a = *d().Objects(spec.path);
    const Collection& b = *again->Objects(spec.path);
    ASSERT_EQ(a.size(), b.size()) << spec.path;
    for (uint32_t p = 0; p < a.size(); p += 97) EXPECT_EQ(a.Json(p), b.Json(p)) << spec.path;
    EXPECT_NE(a.Id(0), other_seed->Objects(spec.path)->Id(0)) << spec.path;
    EXPECT_NE(a.Id(0), live->Objects(spec.path)->Id(0)) << spec.path;
  }
}

TEST_F(ScaledDatasetTest, CreatedSpansTwoYearsNewestFirstAndIdsFindTheirObject) {
  for (const ResourceSpec& spec : Resources()) {
    const Collection& objects = *d().Objects(spec.path);
    for (uint32_t p = 0; p < objects.size(); ++p) {
      if (p > 0) {
        ASSERT_LE(objects.Created(p - 1), objects.Created(p)) << spec.path;
      }
      ASSERT_LE(objects.Created(p), kFakeNow) << spec.path;
      if (p % 37 == 0 || p + 1 == objects.size()) {
        json::object o = objects.Object(p);
        EXPECT_EQ(o.at("object").as_string(), spec.object_name);
        EXPECT_EQ(o.at("created").as_int64(), objects.Created(p)) << spec.path;
        EXPECT_EQ(objects.Find(o.at("id").as_string()), p) << spec.path;
        EXPECT_TRUE(o.at("id").as_string().starts_with(spec.id_prefix));
      }
    }
  }
  const Collection& charges = *d().Objects("charges");
  EXPECT_LT(charges.Created(0), kFakeNow - 700 * kDay);
  EXPECT_GT(charges.Created(static_cast<uint32_t>(charges.size() - 1)), kFakeNow - 2 * kDay);
  // Events cover only the last 30 days.
  const Collection& events = *d().Objects("events");
  EXPECT_GE(events.Created(0), kFakeNow - 30 * kDay);
}

TEST_F(ScaledDatasetTest, ObjectsReferenceEachOther) {
  std::set<std::string> customers = Ids("customers"), intents = Ids("payment_intents"),
                        txns = Ids("balance_transactions"), charges = Ids("charges"),
                        prices = Ids("prices"), products = Ids("products"),
                        invoices = Ids("invoices"), subscriptions = Ids("subscriptions"),
                        refunds = Ids("refunds"), disputes = Ids("disputes"), payouts = Ids("payouts");
  auto has = [](const std::set<std::string>& ids, const json::value& v) {
    return ids.count(std::string(v.as_string())) == 1;
  };
  for (const json::object& c : d().All("charges")) {
    ASSERT_TRUE(has(customers, c.at("customer")));
    ASSERT_TRUE(has(intents, c.at("payment_intent")));
    if (c.at("status") == "succeeded") {
      ASSERT_TRUE(has(txns, c.at("balance_transaction")));
    } else {
      ASSERT_TRUE(c.at("balance_transaction").is_null());
    }
    std::optional<json::object> customer = d().Get("customers", c.at("customer").as_string());
    ASSERT_LT(customer->at("created").as_int64(), c.at("created").as_int64());
  }
  for (const json::object& r : d().All("refunds")) {
    std::optional<json::object> charge = d().Get("charges", r.at("charge").as_string());
    ASSERT_TRUE(charge.has_value());
    EXPECT_EQ(charge->at("amount_refunded"), r.at("amount"));
    EXPECT_TRUE(has(txns, r.at("balance_transaction")));
  }
  for (const json::object& dp : d().All("disputes")) {
    EXPECT_TRUE(d().Get("charges", dp.at("charge").as_string())->at("disputed").as_bool());
    EXPECT_GE(dp.at("balance_transactions").as_array().size(), 1u);
  }
  for (const json::object& t : d().All("balance_transactions")) {
    EXPECT_EQ(t.at("net").as_int64(), t.at("amount").as_int64() - t.at("fee").as_int64());
    const json::value& source = t.at("source");
    EXPECT_TRUE(has(charges, source) || has(refunds, source) || has(disputes, source) ||
                has(payouts, source))
        << source;
  }
  for (const json::object& p : d().All("prices")) EXPECT_TRUE(has(products, p.at("product")));
  for (const json::object& s : d().All("subscriptions")) {
    EXPECT_TRUE(has(customers, s.at("customer")));
    for (const auto& item : s.at("items").at("data").as_array()) {
      EXPECT_TRUE(has(prices, item.at("price").at("id")));
      EXPECT_LT(item.at("current_period_start").as_int64(), item.at("current_period_end").as_int64());
    }
    if (!s.at("latest_invoice").is_null()) {
      EXPECT_TRUE(has(invoices, s.at("latest_invoice")));
    }
  }
  for (const json::object& i : d().All("invoices")) {
    EXPECT_TRUE(has(subscriptions, i.at("parent").at("subscription_details").at("subscription")));
    EXPECT_EQ(i.at("amount_due").as_int64(),
              i.at("amount_paid").as_int64() + i.at("amount_remaining").as_int64());
  }
  for (const json::object& cn : d().All("credit_notes")) EXPECT_TRUE(has(invoices, cn.at("invoice")));
  for (const json::object& e : d().All("events")) {
    const json::object& object = e.at("data").at("object").as_object();
    EXPECT_TRUE(e.at("type").as_string().ends_with(".created"));
    EXPECT_EQ(object.at("created"), e.at("created"));
  }
}

TEST_F(ScaledDatasetTest, PagesWalkEveryObjectOnceWithCursorsAndSlices) {
  const ResourceSpec& spec = *FindResource("charges");
  const Collection& charges = *d().Objects("charges");
  auto page = [&](Fields query) {
    auto parsed = ListQuery::Parse(spec, query);
    auto result = std::get<ListQuery>(parsed).Run(charges);
    return json::parse(std::get<std::string>(result)).as_object();
  };
  // A time slice walked with starting_after returns exactly the objects created in it.
  int64_t from = kFakeNow - 200 * kDay, to = kFakeNow - 100 * kDay;
  size_t expected = 0;
  for (uint32_t p = 0; p < charges.size(); ++p) {
    expected += charges.Created(p) >= from && charges.Created(p) < to;
  }
  std::set<std::string> seen;
  std::string cursor;
  int64_t previous = INT64_MAX;
  while (true) {
    Fields query{{"limit", "100"}, {"created[gte]", std::to_string(from)},
                 {"created[lt]", std::to_string(to)}};
    if (!cursor.empty()) query.emplace_back("starting_after", cursor);
    json::object list = page(query);
    for (const auto& o : list.at("data").as_array()) {
      int64_t created = o.at("created").as_int64();
      ASSERT_LE(created, previous);
      ASSERT_GE(created, from);
      ASSERT_LT(created, to);
      previous = created;
      ASSERT_TRUE(seen.insert(std::string(o.at("id").as_string())).second);
      cursor = std::string(o.at("id").as_string());
    }
    if (!list.at("has_more").as_bool()) break;
  }
  EXPECT_EQ(seen.size(), expected);
  // ending_before returns the objects just newer than the cursor, newest first.
  std::string middle = charges.Id(2000);
  json::object before = page({{"limit", "3"}, {"ending_before", middle}});
  ASSERT_EQ(before.at("data").as_array().size(), 3u);
  EXPECT_EQ(before.at("data").at(0).at("id").as_string(), charges.Id(2003));
  EXPECT_EQ(before.at("data").at(2).at("id").as_string(), charges.Id(2001));
  EXPECT_TRUE(before.at("has_more").as_bool());
}

// How fast it builds is measured by bench/bench_emulator.cc (BM_BuildScaledDataset).
TEST(ScaledDataset, HundredThousandChargesBuild) {
  auto big = BuildScaledDataset(Demo(), true, 42, kFakeNow, 100000);
  EXPECT_EQ(big->Objects("charges")->size(), 100000u);
  // Paging from the middle is positioned by id, not by a scan.
  const Collection& txns = *big->Objects("balance_transactions");
  std::string middle = txns.Id(static_cast<uint32_t>(txns.size() / 2));
  EXPECT_EQ(txns.Find(middle), txns.size() / 2);
}

TEST(ScaledDataset, EmulatorServesItOnEveryAccount) {
  EmulatorOptions options;
  options.objects = 2000;
  auto emulator = Emulator::Create(options);
  ASSERT_TRUE(emulator.ok());
  for (const char* account : {"acct_emu_demo", "acct_emu_connected_1"}) {
    HttpRequest request = testing::MakeRequest(
        "GET", "/v1/charges?limit=100",
        {{"Authorization", std::string("Bearer ") + testing::kLiveSecret}, {"Stripe-Account", account}});
    testing::Reply reply = testing::ToReply((*emulator)->Handle(request));
    ASSERT_EQ(reply.status, 200) << reply.raw.body;
    EXPECT_EQ(reply.data().size(), 100u);
    EXPECT_TRUE(reply.object().at("has_more").as_bool());
    EXPECT_TRUE(reply.data().at(0).at("livemode").as_bool());
  }
}

}  // namespace
}  // namespace stripeline::emulator
