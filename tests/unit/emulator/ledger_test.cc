// The emulator's ledger: balance transactions for every movement of money, automatic payouts
// that sweep exactly what became available (Σ net of a payout's transactions == its amount),
// GET /v1/balance_transactions?payout=, manual, instant and failed payouts, a second
// settlement currency and foreign-currency charges.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "emulator/dataset.h"
#include "emulator/resource_table.h"
#include "emulator/scaled_dataset.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

namespace json = boost::json;
using testing::EmulatorTest;
using testing::kFakeNow;
using testing::Reply;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

// Checks every automatic payout of `d`: its itemisation holds its own row (type payout,
// amount -payout.amount) and transactions of its currency that became available by its
// creation whose net sums to its amount; no transaction is in two payouts. Returns how many
// payouts were checked.
size_t ExpectPayoutsSumTheirTransactions(const Dataset& d, const std::string& what) {
  const Collection& txns = *d.Objects("balance_transactions");
  std::set<uint32_t> seen;
  size_t checked = 0;
  for (const json::object& payout : d.All("payouts")) {
    std::string id = Str(payout.at("id"));
    std::vector<uint32_t> items = d.PayoutTransactions(id);
    if (!payout.at("automatic").as_bool()) {
      EXPECT_TRUE(items.empty()) << what << " " << id;
      EXPECT_EQ(payout.at("reconciliation_status"), "not_applicable") << what << " " << id;
      continue;
    }
    ++checked;
    int64_t sum = 0, own_rows = 0;
    for (uint32_t position : items) {
      EXPECT_TRUE(seen.insert(position).second) << what << ": a transaction in two payouts";
      json::object t = txns.Object(position);
      EXPECT_EQ(t.at("currency"), payout.at("currency")) << what << " " << id;
      EXPECT_LE(t.at("available_on").as_int64(), payout.at("created").as_int64()) << what;
      if (t.at("type") == "payout" && t.at("source") == payout.at("id")) {
        ++own_rows;
        EXPECT_EQ(t.at("amount").as_int64(), -payout.at("amount").as_int64()) << what;
        EXPECT_EQ(t.at("id"), payout.at("balance_transaction")) << what;
        continue;
      }
      sum += t.at("net").as_int64();
    }
    EXPECT_EQ(own_rows, 1) << what << " " << id;
    EXPECT_EQ(sum, payout.at("amount").as_int64()) << what << " " << id;
    EXPECT_GT(payout.at("amount").as_int64(), 0) << what << " " << id;
  }
  return checked;
}

TEST(Ledger, EveryAutomaticPayoutOfEveryDemoAccountSumsItsTransactions) {
  for (const AccountConfig& account : BuiltInConfig().accounts) {
    for (bool livemode : {false, true}) {
      for (uint64_t seed : {1, 42, 1234}) {
        auto d = Dataset::Build(account, livemode, seed, kFakeNow);
        std::string what = account.id + (livemode ? " live " : " test ") + std::to_string(seed);
        EXPECT_GE(ExpectPayoutsSumTheirTransactions(*d, what), 3u) << what;
      }
    }
  }
}

TEST(Ledger, EveryAutomaticPayoutOfTheScaledDatasetSumsItsTransactions) {
  for (bool livemode : {false, true}) {
    auto d = BuildScaledDataset(BuiltInConfig().accounts.at(1), livemode, 42, kFakeNow, 3000);
    EXPECT_GT(ExpectPayoutsSumTheirTransactions(*d, livemode ? "scaled live" : "scaled test"),
              600u);
    // Everything that became available before the newest payout was paid out: the available
    // balance is what became available since.
    const json::object& balance = d->Balance();
    const Collection& payouts = *d->Objects("payouts");
    int64_t newest = payouts.Created(static_cast<uint32_t>(payouts.size() - 1));
    int64_t since = 0;
    for (const json::object& t : d->All("balance_transactions")) {
      int64_t available_on = t.at("available_on").as_int64();
      if (available_on > newest && available_on <= kFakeNow) since += t.at("net").as_int64();
    }
    EXPECT_EQ(balance.at("available").at(0).at("amount").as_int64(), since);
  }
}

TEST(Ledger, DemoHasManualInstantFailedAndInTransitPayouts) {
  auto d = Dataset::Build(BuiltInConfig().accounts.at(0), false, 42, kFakeNow);
  std::map<std::string, json::object> txns;
  for (const json::object& t : d->All("balance_transactions")) txns[Str(t.at("id"))] = t;
  int manual = 0, instant = 0, failed = 0;
  std::map<std::string, int64_t> newest_automatic;  // currency -> created
  std::map<std::string, std::string> newest_status;
  for (const json::object& p : d->All("payouts")) {
    std::string currency = Str(p.at("currency"));
    if (p.at("automatic").as_bool() && !newest_automatic.contains(currency)) {
      newest_automatic[currency] = p.at("created").as_int64();  // All() is newest first
      newest_status[currency] = Str(p.at("reconciliation_status"));
    }
    if (p.at("method") == "instant") {
      ++instant;
      EXPECT_FALSE(p.at("automatic").as_bool());
      EXPECT_GT(txns.at(Str(p.at("balance_transaction"))).at("fee").as_int64(), 0);
    } else if (!p.at("automatic").as_bool()) {
      ++manual;
    }
    if (p.at("status") == "failed") {
      ++failed;
      EXPECT_EQ(p.at("failure_code"), "account_closed");
      EXPECT_EQ(p.at("reconciliation_status"), "completed");
      const json::object& back = txns.at(Str(p.at("failure_balance_transaction")));
      EXPECT_EQ(back.at("type"), "payout_failure");
      EXPECT_EQ(back.at("reporting_category"), "payout_reversal");
      EXPECT_EQ(back.at("amount").as_int64(), p.at("amount").as_int64());
      EXPECT_EQ(back.at("source"), p.at("id"));
    } else if (p.at("status") == "paid") {
      EXPECT_TRUE(p.at("trace_id").at("value").is_string());
      if (p.at("automatic").as_bool()) EXPECT_EQ(p.at("reconciliation_status"), "completed");
    }
  }
  EXPECT_EQ(manual, 1);
  EXPECT_EQ(instant, 1);
  EXPECT_EQ(failed, 1);
  // Each settlement currency has its own payouts; the newest GBP one is still on its way.
  EXPECT_EQ(newest_automatic.size(), 2u);
  EXPECT_EQ(newest_status["gbp"], "in_progress");
}

TEST(Ledger, ForeignChargesAreConvertedAtTheirExchangeRate) {
  auto d = Dataset::Build(BuiltInConfig().accounts.at(0), false, 42, kFakeNow);
  int converted = 0, eur = 0;
  for (const json::object& charge : d->All("charges")) {
    if (charge.at("status") != "succeeded") continue;
    json::object t = *d->Get("balance_transactions", charge.at("balance_transaction").as_string());
    if (charge.at("currency") == "eur") {
      ++eur;
      EXPECT_EQ(t.at("currency"), "eur");
      EXPECT_TRUE(t.at("exchange_rate").is_null());
      EXPECT_EQ(t.at("amount"), charge.at("amount"));
    } else if (charge.at("currency") != "gbp") {
      ++converted;
      EXPECT_EQ(t.at("currency"), "gbp");
      double rate = t.at("exchange_rate").as_double();
      EXPECT_EQ(t.at("amount").as_int64(),
                std::llround(static_cast<double>(charge.at("amount").as_int64()) * rate));
      // Stripe's fee plus the conversion fee, in the settlement currency.
      EXPECT_GT(t.at("fee").as_int64(), ProcessingFee("gbp", t.at("amount").as_int64()));
    }
  }
  EXPECT_EQ(converted, 1);
  EXPECT_EQ(eur, 3);
  // The scaled dataset converts every 50th charge.
  auto scaled = BuildScaledDataset(BuiltInConfig().accounts.at(0), false, 42, kFakeNow, 500);
  int scaled_converted = 0;
  for (const json::object& t : scaled->All("balance_transactions")) {
    scaled_converted += !t.at("exchange_rate").is_null();
  }
  EXPECT_GE(scaled_converted, 9);
}

class PayoutListTest : public EmulatorTest {
 protected:
  // The payouts of the demo account in test mode, newest first.
  std::vector<json::object> Payouts() {
    std::vector<json::object> out;
    Reply payouts = Get("/v1/payouts?limit=100");
    for (const json::value& p : payouts.data()) out.push_back(p.as_object());
    return out;
  }
};

TEST_F(PayoutListTest, PayoutFilterPagesThroughExactlyThePayoutsTransactions) {
  size_t checked = 0;
  for (const json::object& payout : Payouts()) {
    if (!payout.at("automatic").as_bool()) continue;
    std::string id = Str(payout.at("id"));
    // All at once, then two at a time with starting_after: the same ids, newest first.
    Reply all = Get("/v1/balance_transactions?limit=100&payout=" + id);
    ASSERT_EQ(all.status, 200) << all.raw.body;
    EXPECT_FALSE(all.object().at("has_more").as_bool());
    std::vector<std::string> expected;
    int64_t sum = 0, previous = INT64_MAX;
    for (const json::value& t : all.data()) {
      expected.push_back(Str(t.at("id")));
      EXPECT_LE(t.at("created").as_int64(), previous);
      previous = t.at("created").as_int64();
      sum += t.at("net").as_int64();
    }
    EXPECT_EQ(sum, 0) << id;  // Σ net of its transactions == amount, and its own row is -amount
    std::vector<std::string> paged;
    std::string cursor;
    for (int pages = 0; pages < 50; ++pages) {
      Reply page = Get("/v1/balance_transactions?limit=2&payout=" + id +
                       (cursor.empty() ? "" : "&starting_after=" + cursor));
      ASSERT_EQ(page.status, 200);
      for (const json::value& t : page.data()) paged.push_back(Str(t.at("id")));
      if (!page.object().at("has_more").as_bool()) break;
      cursor = paged.back();
    }
    EXPECT_EQ(paged, expected) << id;
    // Backwards from the oldest, and the type filter within the payout: its own row only.
    if (expected.size() >= 2) {
      Reply before = Get("/v1/balance_transactions?limit=1&payout=" + id +
                         "&ending_before=" + expected.back());
      ASSERT_EQ(before.data().size(), 1u);
      EXPECT_EQ(Str(before.data().at(0).at("id")), expected[expected.size() - 2]);
    }
    // The payout rows in it: its own, and those of manual or instant payouts it swept.
    Reply rows = Get("/v1/balance_transactions?type=payout&payout=" + id);
    int own = 0;
    for (const json::value& t : rows.data()) {
      EXPECT_EQ(t.at("type"), "payout");
      own += t.at("id") == payout.at("balance_transaction");
    }
    EXPECT_EQ(own, 1) << id;
    ++checked;
  }
  EXPECT_GE(checked, 5u);
}

TEST_F(PayoutListTest, ManualAndInstantPayoutsCannotBeItemised) {
  int refused = 0;
  for (const json::object& payout : Payouts()) {
    if (payout.at("automatic").as_bool()) continue;
    Reply reply = Get("/v1/balance_transactions?payout=" + Str(payout.at("id")));
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
    EXPECT_EQ(
        reply.error_field("message"),
        "Balance transaction history can only be filtered on automatic transfers, not manual.");
    EXPECT_EQ(reply.error_field("param"), "payout");
    ++refused;
  }
  EXPECT_EQ(refused, 2);
  Reply unknown = Get("/v1/balance_transactions?payout=po_nope");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.error_field("code"), "resource_missing");
  EXPECT_EQ(unknown.error_field("message"), "No such payout: 'po_nope'");
  EXPECT_EQ(unknown.error_field("param"), "payout");
}

TEST_F(PayoutListTest, BalanceHasEveryCurrencyOfTheLedger) {
  Reply balance = Get("/v1/balance");
  std::map<std::string, int64_t> available;
  for (const json::value& a : balance.object().at("available").as_array()) {
    available[Str(a.at("currency"))] = a.at("amount").as_int64();
  }
  EXPECT_EQ(available.size(), 2u);
  std::map<std::string, int64_t> sums;
  Reply transactions = Get("/v1/balance_transactions?limit=100");
  for (const json::value& t : transactions.data()) {
    sums[Str(t.at("currency"))];
    if (t.at("status") == "available") sums[Str(t.at("currency"))] += t.at("net").as_int64();
  }
  EXPECT_EQ(available, sums);
}

TEST_F(PayoutListTest, ScaledPayoutsAreItemisedOverHttp) {
  EmulatorOptions options;
  options.objects = 2000;
  auto scaled = Emulator::Create(options);
  ASSERT_TRUE(scaled.ok());
  auto get = [&](const std::string& target) {
    return testing::ToReply((*scaled)->Handle(testing::MakeRequest(
        "GET", target, {{"Authorization", std::string("Bearer ") + testing::kTestSecret}})));
  };
  Reply payouts = get("/v1/payouts?limit=5");
  ASSERT_EQ(payouts.data().size(), 5u);
  for (const json::value& payout : payouts.data()) {
    int64_t sum = 0;
    size_t n = 0;
    std::string cursor;
    while (true) {
      Reply page = get("/v1/balance_transactions?limit=100&payout=" + Str(payout.at("id")) +
                       (cursor.empty() ? "" : "&starting_after=" + cursor));
      ASSERT_EQ(page.status, 200) << page.raw.body;
      for (const json::value& t : page.data()) {
        if (t.at("type") != "payout") sum += t.at("net").as_int64();
        cursor = Str(t.at("id"));
        ++n;
      }
      if (!page.object().at("has_more").as_bool()) break;
    }
    EXPECT_GT(n, 1u);
    EXPECT_EQ(sum, payout.at("amount").as_int64()) << payout.at("id");
  }
  // The newest is on its way, the older ones are settled.
  EXPECT_EQ(payouts.data().at(0).at("reconciliation_status"), "in_progress");
  EXPECT_EQ(payouts.data().at(4).at("reconciliation_status"), "completed");
}

}  // namespace
}  // namespace stripeline::emulator
