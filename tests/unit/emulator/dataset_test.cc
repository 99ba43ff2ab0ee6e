#include "emulator/dataset.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "emulator/resource_table.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

namespace json = boost::json;

// The emulated "now" the data is dated before.
constexpr int64_t kNow = 1'760'000'000;

AccountConfig Demo() { return BuiltInConfig().accounts.at(0); }

std::set<std::string> IdsOf(const Dataset& dataset, std::string_view path) {
  std::set<std::string> ids;
  for (const json::object& o : dataset.All(path)) ids.emplace(o.at("id").as_string());
  return ids;
}

TEST(Dataset, IsDeterministicForASeed) {
  auto a_owner = Dataset::Build(Demo(), false, 42, kNow);
  const Dataset& a = *a_owner;
  auto b_owner = Dataset::Build(Demo(), false, 42, kNow);
  const Dataset& b = *b_owner;
  auto c_owner = Dataset::Build(Demo(), false, 7, kNow);
  const Dataset& c = *c_owner;
  for (const ResourceSpec& spec : Resources()) {
    EXPECT_EQ(a.All(spec.path), b.All(spec.path)) << spec.path;
    EXPECT_NE(IdsOf(a, spec.path), IdsOf(c, spec.path)) << spec.path;
  }
}

TEST(Dataset, IdsDifferBetweenModesAndAccounts) {
  auto test_owner = Dataset::Build(Demo(), false, 42, kNow);
  const Dataset& test = *test_owner;
  auto live_owner = Dataset::Build(Demo(), true, 42, kNow);
  const Dataset& live = *live_owner;
  auto other_owner = Dataset::Build(BuiltInConfig().accounts.at(1), false, 42, kNow);
  const Dataset& other = *other_owner;
  for (const ResourceSpec& spec : Resources()) {
    for (const std::string& id : IdsOf(test, spec.path)) {
      EXPECT_EQ(IdsOf(live, spec.path).count(id), 0u) << id;
      EXPECT_EQ(IdsOf(other, spec.path).count(id), 0u) << id;
    }
  }
}

TEST(Dataset, ObjectsReferenceEachOther) {
  auto d_owner = Dataset::Build(Demo(), false, 42, kNow);
  const Dataset& d = *d_owner;
  std::set<std::string> customers = IdsOf(d, "customers");
  std::set<std::string> charges = IdsOf(d, "charges");
  std::set<std::string> intents = IdsOf(d, "payment_intents");
  std::set<std::string> txns = IdsOf(d, "balance_transactions");
  std::set<std::string> prices = IdsOf(d, "prices");
  std::set<std::string> products = IdsOf(d, "products");
  std::set<std::string> invoices = IdsOf(d, "invoices");
  std::set<std::string> subscriptions = IdsOf(d, "subscriptions");

  for (const json::object& c : d.All("charges")) {
    EXPECT_EQ(customers.count(std::string(c.at("customer").as_string())), 1u);
    EXPECT_EQ(intents.count(std::string(c.at("payment_intent").as_string())), 1u);
    if (c.at("status").as_string() == "succeeded") {
      EXPECT_EQ(txns.count(std::string(c.at("balance_transaction").as_string())), 1u);
    } else {
      EXPECT_TRUE(c.at("balance_transaction").is_null());
    }
  }
  for (const json::object& r : d.All("refunds")) {
    std::string charge(r.at("charge").as_string());
    ASSERT_EQ(charges.count(charge), 1u);
    const json::object c = *d.Get("charges", charge);
    EXPECT_GE(c.at("amount_refunded").as_int64(), r.at("amount").as_int64());
    EXPECT_EQ(txns.count(std::string(r.at("balance_transaction").as_string())), 1u);
  }
  for (const json::object& dp : d.All("disputes")) {
    const json::object c = *d.Get("charges", dp.at("charge").as_string());
    EXPECT_TRUE(c.at("disputed").as_bool());
    // A withdrawal, and a reinstatement once won.
    EXPECT_EQ(dp.at("balance_transactions").as_array().size(),
              dp.at("status").as_string() == "won" ? 2u : 1u);
  }
  for (const json::object& t : d.All("balance_transactions")) {
    EXPECT_EQ(t.at("net").as_int64(), t.at("amount").as_int64() - t.at("fee").as_int64());
    std::string source(t.at("source").as_string());
    bool known = charges.count(source) || IdsOf(d, "refunds").count(source) ||
                 IdsOf(d, "payouts").count(source) || IdsOf(d, "disputes").count(source);
    EXPECT_TRUE(known) << source;
  }
  for (const json::object& p : d.All("prices")) {
    EXPECT_EQ(products.count(std::string(p.at("product").as_string())), 1u);
  }
  for (const json::object& s : d.All("subscriptions")) {
    EXPECT_EQ(customers.count(std::string(s.at("customer").as_string())), 1u);
    for (const auto& item : s.at("items").at("data").as_array()) {
      EXPECT_EQ(prices.count(std::string(item.at("price").at("id").as_string())), 1u);
    }
    if (!s.at("latest_invoice").is_null()) {
      EXPECT_EQ(invoices.count(std::string(s.at("latest_invoice").as_string())), 1u);
    }
  }
  for (const json::object& i : d.All("invoices")) {
    EXPECT_EQ(subscriptions.count(std::string(
                  i.at("parent").at("subscription_details").at("subscription").as_string())),
              1u);
    EXPECT_EQ(i.at("amount_due").as_int64(),
              i.at("amount_paid").as_int64() + i.at("amount_remaining").as_int64());
  }
  for (const json::object& cn : d.All("credit_notes")) {
    EXPECT_EQ(invoices.count(std::string(cn.at("invoice").as_string())), 1u);
  }
  for (const json::object& pi : d.All("payment_intents")) {
    EXPECT_EQ(charges.count(std::string(pi.at("latest_charge").as_string())), 1u);
  }
  for (const json::object& e : d.All("events")) {
    EXPECT_TRUE(e.at("data").at("object").at("id").is_string());
    EXPECT_FALSE(e.contains("account"));  // only connected accounts' events name one
  }
}

TEST(Dataset, BalanceSumsAvailableAndPendingTransactions) {
  auto d_owner = Dataset::Build(Demo(), true, 42, kNow);
  const Dataset& d = *d_owner;
  std::map<std::string, std::pair<int64_t, int64_t>> sums;  // currency -> available, pending
  for (const json::object& t : d.All("balance_transactions")) {
    auto& [available, pending] = sums[std::string(t.at("currency").as_string())];
    (t.at("status").as_string() == "available" ? available : pending) += t.at("net").as_int64();
  }
  const json::object& balance = d.Balance();
  EXPECT_EQ(balance.at("object").as_string(), "balance");
  EXPECT_TRUE(balance.at("livemode").as_bool());
  // The default currency first, then the account's other settlement currency.
  ASSERT_EQ(balance.at("available").as_array().size(), 2u);
  EXPECT_EQ(balance.at("available").at(0).at("currency").as_string(), "gbp");
  EXPECT_EQ(balance.at("available").at(1).at("currency").as_string(), "eur");
  EXPECT_EQ(sums.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    std::string currency(balance.at("available").at(i).at("currency").as_string());
    EXPECT_EQ(balance.at("available").at(i).at("amount").as_int64(), sums[currency].first) << currency;
    EXPECT_EQ(balance.at("pending").at(i).at("currency").as_string(), currency);
    EXPECT_EQ(balance.at("pending").at(i).at("amount").as_int64(), sums[currency].second) << currency;
    EXPECT_GE(sums[currency].first, 0) << currency;
  }
}

TEST(Dataset, EveryAccountAndModeHasAFewOfEachResource) {
  for (const AccountConfig& account : BuiltInConfig().accounts) {
    for (bool livemode : {false, true}) {
      for (uint64_t seed : {1, 42, 1234}) {
        auto d_owner = Dataset::Build(account, livemode, seed, kNow);
  const Dataset& d = *d_owner;
        for (const ResourceSpec& spec : Resources()) {
          size_t n = d.All(spec.path).size();
          EXPECT_GE(n, 3u) << account.id << " " << spec.path;
          EXPECT_LE(n, testing::DemoCap(spec.path)) << account.id << " " << spec.path;
        }
        EXPECT_GE(d.Balance().at("available").at(0).at("amount").as_int64(), 0) << account.id;
      }
    }
  }
}

TEST(Dataset, GetFindsEveryObject) {
  auto d_owner = Dataset::Build(Demo(), false, 42, kNow);
  const Dataset& d = *d_owner;
  for (const ResourceSpec& spec : Resources()) {
    for (const json::object& o : d.All(spec.path)) {
      EXPECT_EQ(d.Get(spec.path, o.at("id").as_string()), o);
    }
  }
  EXPECT_FALSE(d.Get("customers", "cus_nope").has_value());
  EXPECT_FALSE(d.Get("nope", "cus_nope").has_value());
}

TEST(Dataset, DemoDataEndsAtNow) {
  auto d = Dataset::Build(Demo(), false, 42, kNow);
  for (const ResourceSpec& spec : Resources()) {
    for (const json::object& o : d->All(spec.path)) {
      EXPECT_LE(o.at("created").as_int64(), kNow) << spec.path;
      EXPECT_GE(o.at("created").as_int64(), kNow - 140 * 86400) << spec.path;
    }
  }
  // Events are recent, so that they fall in /v1/events' 30-day window.
  for (const json::object& e : d->All("events")) {
    EXPECT_GE(e.at("created").as_int64(), kNow - 30 * 86400) << e.at("type");
  }
}

}  // namespace
}  // namespace stripeline::emulator
