#include "emulator/list_query.h"

#include <gtest/gtest.h>

#include <set>

#include "emulator/resource_table.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

using testing::EmulatorTest;
using testing::kTestSecret;
using testing::Reply;

std::vector<std::string> Ids(const Reply& reply) {
  std::vector<std::string> ids;
  for (const auto& o : reply.data()) ids.emplace_back(o.at("id").as_string());
  return ids;
}

class ListTest : public EmulatorTest {
 protected:
  // Every object of a list, in one page of 100.
  std::vector<std::string> All(const std::string& path) {
    Reply reply = Get(path + (path.find('?') == std::string::npos ? "?" : "&") + "limit=100");
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    EXPECT_FALSE(reply.object().at("has_more").as_bool());
    return Ids(reply);
  }
};

TEST_F(ListTest, ListEnvelopeHasStripesShape) {
  Reply reply = Get("/v1/charges");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.object().at("object").as_string(), "list");
  EXPECT_EQ(reply.object().at("url").as_string(), "/v1/charges");
  EXPECT_TRUE(reply.object().at("has_more").is_bool());
  EXPECT_EQ(reply.object().size(), 4u);
}

TEST_F(ListTest, EveryResourceHasAFewObjectsNewestFirst) {
  for (const ResourceSpec& spec : Resources()) {
    Reply reply = Get("/v1/" + std::string(spec.path) + "?limit=100" +
                      (spec.hidden_status.empty() ? "" : "&status=all"));
    ASSERT_EQ(reply.status, 200) << spec.path;
    const auto& data = reply.data();
    EXPECT_GE(data.size(), 3u) << spec.path;
    EXPECT_LE(data.size(), testing::DemoCap(spec.path)) << spec.path;
    for (size_t i = 0; i < data.size(); ++i) {
      EXPECT_EQ(data[i].at("object").as_string(), spec.object_name) << spec.path;
      EXPECT_TRUE(data[i].at("id").as_string().starts_with(spec.id_prefix)) << spec.path;
      if (i > 0) {
        EXPECT_GE(data[i - 1].at("created").as_int64(), data[i].at("created").as_int64())
            << spec.path;
      }
    }
  }
}

TEST_F(ListTest, DefaultLimitIsTenAndLimitCapsThePage) {
  std::vector<std::string> all = All("/v1/balance_transactions");
  ASSERT_GE(all.size(), 3u);
  Reply two = Get("/v1/balance_transactions?limit=2");
  EXPECT_EQ(Ids(two), std::vector<std::string>(all.begin(), all.begin() + 2));
  EXPECT_TRUE(two.object().at("has_more").as_bool());
  Reply page = Get("/v1/balance_transactions");
  EXPECT_EQ(page.data().size(), std::min<size_t>(10, all.size()));
}

TEST_F(ListTest, LimitOutOfRangeIs400) {
  for (auto [limit, message] :
       {std::pair{"0", "This value must be greater than or equal to 1."},
        std::pair{"101", "This value must be less than or equal to 100."},
        std::pair{"-3", "This value must be greater than or equal to 1."},
        std::pair{"ten", "Invalid integer: ten"}}) {
    Reply reply = Get(std::string("/v1/charges?limit=") + limit);
    EXPECT_EQ(reply.status, 400) << limit;
    EXPECT_EQ(reply.error_field("type"), "invalid_request_error");
    EXPECT_EQ(reply.error_field("param"), "limit");
    EXPECT_EQ(reply.error_field("message"), message);
    EXPECT_EQ(reply.error_field("code"), "<absent>");
  }
  EXPECT_EQ(Get("/v1/charges?limit=1").status, 200);
  EXPECT_EQ(Get("/v1/charges?limit=100").status, 200);
}

TEST_F(ListTest, StartingAfterWalksEveryPage) {
  for (const char* path : {"/v1/charges", "/v1/customers", "/v1/events", "/v1/invoices"}) {
    std::vector<std::string> all = All(path);
    std::vector<std::string> walked;
    std::string cursor;
    int pages = 0;
    while (true) {
      Reply page = Get(std::string(path) + "?limit=2" +
                       (cursor.empty() ? "" : "&starting_after=" + cursor));
      ASSERT_EQ(page.status, 200) << page.raw.body;
      ASSERT_LE(page.data().size(), 2u);
      for (const std::string& id : Ids(page)) walked.push_back(id);
      ++pages;
      if (!page.object().at("has_more").as_bool()) break;
      cursor = walked.back();
      ASSERT_LT(pages, 50);
    }
    EXPECT_EQ(walked, all) << path;
    EXPECT_EQ(pages, static_cast<int>((all.size() + 1) / 2)) << path;
  }
}

TEST_F(ListTest, EndingBeforePagesBackwards) {
  std::vector<std::string> all = All("/v1/charges");
  ASSERT_GE(all.size(), 4u);
  Reply before_last = Get("/v1/charges?limit=2&ending_before=" + all.back());
  EXPECT_EQ(Ids(before_last),
            std::vector<std::string>(all.end() - 3, all.end() - 1));  // the two just newer
  EXPECT_TRUE(before_last.object().at("has_more").as_bool());
  Reply before_second = Get("/v1/charges?limit=5&ending_before=" + all[1]);
  EXPECT_EQ(Ids(before_second), std::vector<std::string>{all[0]});
  EXPECT_FALSE(before_second.object().at("has_more").as_bool());
  Reply before_first = Get("/v1/charges?ending_before=" + all[0]);
  EXPECT_TRUE(before_first.data().empty());
  EXPECT_FALSE(before_first.object().at("has_more").as_bool());
}

TEST_F(ListTest, UnknownCursorIs400ResourceMissing) {
  Reply reply = Get("/v1/charges?starting_after=ch_x");
  EXPECT_EQ(reply.status, 400);
  EXPECT_EQ(reply.error_field("code"), "resource_missing");
  EXPECT_EQ(reply.error_field("message"), "No such charge: 'ch_x'");
  EXPECT_EQ(reply.error_field("param"), "starting_after");
  Reply before = Get("/v1/customers?ending_before=cus_x");
  EXPECT_EQ(before.status, 400);
  EXPECT_EQ(before.error_field("message"), "No such customer: 'cus_x'");
  EXPECT_EQ(before.error_field("param"), "ending_before");
  std::vector<std::string> charges = All("/v1/charges");
  EXPECT_EQ(Get("/v1/charges?starting_after=" + charges[0] + "&ending_before=" + charges[1]).status,
            400);
}

TEST_F(ListTest, CreatedFiltersSelectATimeSlice) {
  Reply all = Get("/v1/charges?limit=100");
  const auto& data = all.data();
  ASSERT_GE(data.size(), 4u);
  int64_t pivot = data[2].at("created").as_int64();
  auto created_of = [](const Reply& reply) {
    std::vector<int64_t> out;
    for (const auto& o : reply.data()) out.push_back(o.at("created").as_int64());
    return out;
  };
  auto count_where = [&](auto predicate) {
    size_t n = 0;
    for (const auto& o : data) n += predicate(o.at("created").as_int64()) ? 1 : 0;
    return n;
  };
  std::string p = std::to_string(pivot);
  Reply gt = Get("/v1/charges?limit=100&created[gt]=" + p);
  Reply gte = Get("/v1/charges?limit=100&created[gte]=" + p);
  Reply lt = Get("/v1/charges?limit=100&created[lt]=" + p);
  Reply lte = Get("/v1/charges?limit=100&created[lte]=" + p);
  Reply eq = Get("/v1/charges?limit=100&created=" + p);
  EXPECT_EQ(gt.data().size(), count_where([&](int64_t c) { return c > pivot; }));
  EXPECT_EQ(gte.data().size(), count_where([&](int64_t c) { return c >= pivot; }));
  EXPECT_EQ(lt.data().size(), count_where([&](int64_t c) { return c < pivot; }));
  EXPECT_EQ(lte.data().size(), count_where([&](int64_t c) { return c <= pivot; }));
  EXPECT_EQ(created_of(eq), std::vector<int64_t>{pivot});
  for (int64_t c : created_of(gt)) EXPECT_GT(c, pivot);
  for (int64_t c : created_of(lt)) EXPECT_LT(c, pivot);
  // Slices combine: gte pivot and lt the newest.
  int64_t newest = data[0].at("created").as_int64();
  Reply slice = Get("/v1/charges?limit=100&created[gte]=" + p +
                    "&created[lt]=" + std::to_string(newest));
  EXPECT_EQ(slice.data().size(), 2u);

  Reply bad = Get("/v1/charges?created[gt]=yesterday");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_field("param"), "created[gt]");
  EXPECT_EQ(bad.error_field("message"), "Invalid integer: yesterday");
}

TEST_F(ListTest, SubscriptionsHideCanceledUnlessAsked) {
  Reply by_default = Get("/v1/subscriptions?limit=100");
  Reply all = Get("/v1/subscriptions?limit=100&status=all");
  Reply canceled = Get("/v1/subscriptions?limit=100&status=canceled");
  Reply active = Get("/v1/subscriptions?limit=100&status=active");
  ASSERT_EQ(all.status, 200);
  for (const auto& s : by_default.data()) EXPECT_NE(s.at("status").as_string(), "canceled");
  ASSERT_GE(canceled.data().size(), 1u);
  for (const auto& s : canceled.data()) EXPECT_EQ(s.at("status").as_string(), "canceled");
  for (const auto& s : active.data()) EXPECT_EQ(s.at("status").as_string(), "active");
  EXPECT_EQ(all.data().size(), by_default.data().size() + canceled.data().size());
  // A canceled subscription is still retrievable and usable as a cursor.
  std::string canceled_id(canceled.data().at(0).at("id").as_string());
  EXPECT_EQ(Get("/v1/subscriptions/" + canceled_id).status, 200);
  EXPECT_EQ(Get("/v1/subscriptions?starting_after=" + canceled_id).status, 200);
}

TEST_F(ListTest, SubscriptionsCarryItemsWithRecurringPrices) {
  Reply all = Get("/v1/subscriptions?limit=100&status=all");
  for (const auto& s : all.data()) {
    const auto& items = s.at("items").as_object();
    EXPECT_EQ(items.at("object").as_string(), "list");
    ASSERT_GE(items.at("data").as_array().size(), 1u);
    for (const auto& item : items.at("data").as_array()) {
      EXPECT_TRUE(item.at("price").at("recurring").at("interval").is_string());
      EXPECT_GE(item.at("quantity").as_int64(), 1);
      EXPECT_LT(item.at("current_period_start").as_int64(),
                item.at("current_period_end").as_int64());
      EXPECT_EQ(item.at("subscription"), s.at("id"));
    }
  }
}

TEST_F(ListTest, EqualityFiltersNarrowTheList) {
  std::string customer(Get("/v1/charges?limit=1").data().at(0).at("customer").as_string());
  Reply mine = Get("/v1/charges?limit=100&customer=" + customer);
  ASSERT_GE(mine.data().size(), 1u);
  for (const auto& c : mine.data()) EXPECT_EQ(c.at("customer").as_string(), customer);
  EXPECT_TRUE(Get("/v1/charges?customer=cus_nobody").data().empty());

  Reply charge_events = Get("/v1/events?limit=100&type=charge.*");
  ASSERT_GE(charge_events.data().size(), 1u);
  for (const auto& e : charge_events.data()) {
    EXPECT_TRUE(e.at("type").as_string().starts_with("charge.")) << e.at("type");
  }
  Reply paid = Get("/v1/invoices?limit=100&status=paid");
  for (const auto& i : paid.data()) EXPECT_EQ(i.at("status").as_string(), "paid");
  Reply payouts = Get("/v1/balance_transactions?limit=100&type=payout");
  ASSERT_GE(payouts.data().size(), 1u);
  for (const auto& t : payouts.data()) EXPECT_EQ(t.at("type").as_string(), "payout");
}

}  // namespace
}  // namespace stripeline::emulator
