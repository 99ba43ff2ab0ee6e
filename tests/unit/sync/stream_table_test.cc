#include "sync/stream_table.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <set>

#include "sync/object_writer.h"
#include "unit/common/temp_dir.h"
#include "unit/store/test_database.h"
#include "unit/store/test_schemas.h"

namespace stripeline::sync {
namespace {

namespace json = boost::json;

TEST(StreamTable, ListsEveryStreamOnceInPlanOrder) {
  std::vector<std::string> names;
  for (const StreamSpec& s : Streams()) names.emplace_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "account", "customers", "products", "prices", "coupons", "subscriptions",
                       "invoices", "charges", "refunds", "disputes", "payment_intents", "payouts",
                       "balance_transactions", "credit_notes", "events"}));
  std::set<std::string_view> object_types;
  for (const StreamSpec& s : Streams()) {
    EXPECT_EQ(s.table, "stripe_" + std::string(s.name));
    EXPECT_TRUE(s.endpoint.starts_with("/v1/")) << s.name;
    EXPECT_TRUE(object_types.insert(s.object_type).second) << s.name;
    EXPECT_EQ(s.sliceable(), s.name != "account");
    if (s.name != "account") {
      EXPECT_TRUE(s.permission.starts_with("rak_")) << s.name;
    }
    std::set<std::string_view> columns(CommonColumns().begin(), CommonColumns().end());
    for (const Column& c : s.columns) {
      EXPECT_TRUE(columns.insert(c.name).second) << s.name << "." << c.name;
    }
  }
  EXPECT_EQ(FindStream("subscriptions")->list_params,
            (std::vector<std::pair<std::string_view, std::string_view>>{{"status", "all"}}));
  EXPECT_EQ(FindStreamByObjectType("plan"), FindStream("prices"));
  EXPECT_EQ(FindStreamByObjectType("charge"), FindStream("charges"));
  EXPECT_EQ(FindStreamByObjectType("checkout.session"), nullptr);
  EXPECT_EQ(FindStream("nope"), nullptr);
}

TEST(StreamTable, MigratedTablesHaveExactlyTheStreamColumns) {
  test_util::TempDir dir;
  auto db = test_util::OpenTestDatabase(dir.path());
  ASSERT_TRUE(db);
  for (const StreamSpec& s : Streams()) {
    auto rows = db->Query(
        "SELECT name, type FROM pragma_table_info($1) ORDER BY cid", {std::string(s.table)});
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::string> expected(CommonColumns().begin(), CommonColumns().end());
    for (const Column& c : s.columns) expected.emplace_back(c.name);
    std::vector<std::string> actual;
    for (const auto& row : *rows) actual.push_back(row.GetString(0));
    EXPECT_EQ(actual, expected) << s.table;
    for (size_t i = CommonColumns().size(); i < rows->size(); ++i) {
      const Column& c = s.columns[i - CommonColumns().size()];
      std::string type = (*rows)[i].GetString(1);
      switch (c.type) {
        case ColumnType::kInteger: EXPECT_EQ(type, "BIGINT") << c.name; break;
        case ColumnType::kText: EXPECT_EQ(type, "TEXT") << c.name; break;
        case ColumnType::kReal: EXPECT_EQ(type, "DOUBLE PRECISION") << c.name; break;
        case ColumnType::kBoolean: EXPECT_EQ(type, "INTEGER") << c.name; break;
      }
    }
  }
}

TEST(StreamTable, ExtractsTypedColumns) {
  json::object invoice = json::parse(R"({
    "id": "in_1", "customer": {"id": "cus_1", "object": "customer"}, "amount_due": 1200,
    "parent": {"subscription_details": {"subscription": "sub_new"}}, "subscription": "sub_old",
    "paid": true, "percent": 12.5, "missing": null})").as_object();
  EXPECT_EQ(ExtractColumn(invoice, {"customer", "customer", ColumnType::kText}),
            store::Value(std::string("cus_1")));
  EXPECT_EQ(ExtractColumn(invoice, {"subscription",
                                    "parent.subscription_details.subscription|subscription",
                                    ColumnType::kText}),
            store::Value(std::string("sub_new")));
  json::object old_invoice = json::parse(R"({"id":"in_2","subscription":"sub_old",
    "parent": null})").as_object();
  EXPECT_EQ(ExtractColumn(old_invoice, {"subscription",
                                        "parent.subscription_details.subscription|subscription",
                                        ColumnType::kText}),
            store::Value(std::string("sub_old")));
  EXPECT_EQ(ExtractColumn(invoice, {"amount_due", "amount_due", ColumnType::kInteger}),
            store::Value(int64_t{1200}));
  EXPECT_EQ(ExtractColumn(invoice, {"paid", "paid", ColumnType::kBoolean}),
            store::Value(int64_t{1}));
  EXPECT_EQ(ExtractColumn(invoice, {"percent", "percent", ColumnType::kReal}),
            store::Value(12.5));
  EXPECT_EQ(ExtractColumn(invoice, {"missing", "missing", ColumnType::kText}),
            store::Value(std::monostate{}));
  EXPECT_EQ(ExtractColumn(invoice, {"absent", "a.b.c", ColumnType::kInteger}),
            store::Value(std::monostate{}));
}

TEST(StreamTable, ListParamsPutLimitFirstThenFiltersThenExtras) {
  auto params = ListParams(*FindStream("subscriptions"), 100, {{"starting_after", "sub_1"}});
  EXPECT_EQ(params, (stripe::Params{{"limit", "100"}, {"status", "all"},
                                    {"starting_after", "sub_1"}}));
}

class ObjectWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_util::OpenTestDatabase(dir_.path());
    ASSERT_TRUE(db_);
  }
  std::pair<int64_t, int64_t> AmountAndVersion() {
    auto rows = db_->Query(
        "SELECT amount, version FROM stripe_charges WHERE account_id = 'acct_1' AND id = 'ch_1'",
        {});
    EXPECT_TRUE(rows.ok());
    return {(*rows)[0].GetInt(0), (*rows)[0].GetInt(1)};
  }
  test_util::TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(ObjectWriterTest, UpsertNeverWritesOlderOverNewer) {
  ObjectWriter writer(*db_);
  const StreamSpec& charges = *FindStream("charges");
  auto charge = [](int64_t amount) {
    return json::object{{"id", "ch_1"}, {"object", "charge"}, {"amount", amount},
                        {"created", 5}, {"livemode", true}};
  };
  WriteMeta meta{.account_id = "acct_1", .version = 200, .synced_at = 1};
  EXPECT_EQ(*writer.Upsert(charges, charge(100), meta), 1);
  meta.version = 100;
  EXPECT_EQ(*writer.Upsert(charges, charge(50), meta), 0);
  EXPECT_EQ(AmountAndVersion(), std::make_pair(int64_t{100}, int64_t{200}));
  meta.version = 200;  // equal versions overwrite: the caller settles ties
  EXPECT_EQ(*writer.Upsert(charges, charge(150), meta), 1);
  meta.version = 300;
  EXPECT_EQ(*writer.Upsert(charges, charge(175), meta), 1);
  EXPECT_EQ(AmountAndVersion(), std::make_pair(int64_t{175}, int64_t{300}));
  // The same id in another account is another row.
  meta.account_id = "acct_2";
  meta.version = 1;
  EXPECT_EQ(*writer.Upsert(charges, charge(1), meta), 1);
  EXPECT_EQ(AmountAndVersion().first, 175);
  auto version = writer.Version(charges, {"acct_1", true}, "ch_1");
  ASSERT_TRUE(version.ok() && version->has_value());
  EXPECT_EQ((*version)->version, 300);
  EXPECT_FALSE((*version)->last_event_id.has_value());
  // The live row is not the test row of the same id: the test scope has none.
  auto test_version = writer.Version(charges, {"acct_1", false}, "ch_1");
  ASSERT_TRUE(test_version.ok());
  EXPECT_FALSE(test_version->has_value());
}

// Stripe keeps a test and a live world per account, and ids can repeat across them (the account
// object always, a merchant's coupon codes often): both rows are kept, each in its mode.
TEST_F(ObjectWriterTest, KeepsTheTestAndTheLiveObjectOfOneIdApart) {
  ObjectWriter writer(*db_);
  const StreamSpec& coupons = *FindStream("coupons");
  auto coupon = [](bool livemode, int64_t amount_off) {
    return json::object{{"id", "SUMMER"}, {"object", "coupon"}, {"amount_off", amount_off},
                        {"created", 5}, {"livemode", livemode}};
  };
  WriteMeta meta{.account_id = "acct_1", .version = 1, .synced_at = 1};
  ASSERT_EQ(*writer.Upsert(coupons, coupon(false, 100), meta), 1);
  ASSERT_EQ(*writer.Upsert(coupons, coupon(true, 700), meta), 1);
  auto rows = db_->Query(
      "SELECT livemode, amount_off FROM stripe_coupons WHERE account_id = 'acct_1' "
      "ORDER BY livemode",
      {});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].GetInt(1), 100);
  EXPECT_EQ((*rows)[1].GetInt(1), 700);
  // The account object has no `livemode`: the integration's mode keys it.
  const StreamSpec& account = *FindStream("account");
  json::object acct{{"id", "acct_1"}, {"object", "account"}, {"email", "a@example.com"}};
  meta.default_livemode = false;
  ASSERT_EQ(*writer.Upsert(account, acct, meta), 1);
  meta.default_livemode = true;
  ASSERT_EQ(*writer.Upsert(account, acct, meta), 1);
  auto accounts = db_->Query("SELECT COUNT(*) FROM stripe_account", {});
  ASSERT_TRUE(accounts.ok());
  EXPECT_EQ((*accounts)[0].GetInt(0), 2);
}

TEST_F(ObjectWriterTest, KeepsRawJsonAndRefusesObjectsWithoutId) {
  ObjectWriter writer(*db_);
  const StreamSpec& customers = *FindStream("customers");
  json::object customer{{"id", "cus_1"}, {"object", "customer"}, {"email", "x@example.com"},
                        {"metadata", {{"k", "v"}}}, {"created", 7}};
  ASSERT_TRUE(writer.Upsert(customers, customer, {.account_id = "a", .version = 1}).ok());
  auto rows = db_->Query("SELECT raw, email, livemode FROM stripe_customers", {});
  EXPECT_EQ((*rows)[0].GetString(0), json::serialize(customer));
  EXPECT_EQ((*rows)[0].GetString(1), "x@example.com");
  EXPECT_EQ((*rows)[0].GetInt(2), 0);
  EXPECT_EQ(writer.Upsert(customers, json::object{{"object", "customer"}}, {}).status().error_code(),
            "sync_object_without_id");
  EXPECT_EQ(ObjectWriter::UpsertSql(customers).find("WHERE excluded.version >= "
                                                    "stripe_customers.version") != std::string::npos,
            true);
}

TEST_F(ObjectWriterTest, RowsBuiltAheadWriteWhatUpsertWrites) {
  // The backfill builds rows outside its locks (Row), then writes them (Write).
  ObjectWriter writer(*db_);
  const StreamSpec& charges = *FindStream("charges");
  json::object charge{{"id", "ch_1"}, {"object", "charge"}, {"amount", 100}, {"created", 5},
                      {"currency", "usd"}, {"paid", true}};
  const WriteMeta meta{.account_id = "acct_1", .version = 9, .synced_at = 3};
  auto row = ObjectWriter::Row(charges, charge, meta);
  ASSERT_TRUE(row.ok()) << row.status().ToString();
  EXPECT_EQ(row->size(), CommonColumns().size() + charges.columns.size());
  EXPECT_EQ(*writer.Write(charges, *row), 1);
  auto stored = db_->Query(
      "SELECT raw, amount, currency, paid, version FROM stripe_charges WHERE id = 'ch_1'", {});
  ASSERT_TRUE(stored.ok() && stored->size() == 1);
  EXPECT_EQ((*stored)[0].GetString(0), json::serialize(charge));
  EXPECT_EQ((*stored)[0].GetInt(1), 100);
  EXPECT_EQ((*stored)[0].GetString(2), "usd");
  EXPECT_EQ((*stored)[0].GetInt(3), 1);
  EXPECT_EQ((*stored)[0].GetInt(4), 9);
  EXPECT_EQ(ObjectWriter::Row(charges, json::object{{"object", "charge"}}, meta)
                .status()
                .error_code(),
            "sync_object_without_id");
}

}  // namespace
}  // namespace stripeline::sync
