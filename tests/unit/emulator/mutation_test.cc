// The admin API's mutations, the events they emit and the emulated clock.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "emulator/emulator.h"
#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

namespace json = boost::json;
using testing::FakeClockTest;
using testing::kFakeNow;
using testing::kLiveSecret;
using testing::kTestSecret;
using testing::MakeRequest;
using testing::Reply;
using testing::ToReply;

constexpr int64_t kDay = 86400;

class MutationTest : public FakeClockTest {
 protected:
  // The newest event, which a mutation just emitted.
  json::object LastEvent(const std::string& key = kTestSecret, Fields headers = {}) {
    Reply events = Get("/v1/events?limit=1", key, std::move(headers));
    EXPECT_EQ(events.status, 200) << events.raw.body;
    return events.data().at(0).as_object();
  }
  int64_t Stat(const std::string& resource, const std::string& query = "") {
    Reply stats = Admin("GET", "/_emulator/stats" + query);
    return stats.object().at("objects").at(resource).as_int64();
  }
};

TEST_F(MutationTest, CreateAddsTheNewestObjectAndACreatedEvent) {
  int64_t before = Stat("customers");
  clock_.Advance(std::chrono::seconds(5));
  Reply created = Admin("POST", "/_emulator/objects/customers",
                        "email=new%40example.com&name=New+Person&metadata[plan]=gold");
  ASSERT_EQ(created.status, 200) << created.raw.body;
  const json::object& customer = created.object();
  std::string id(customer.at("id").as_string());
  EXPECT_TRUE(id.starts_with("cus_"));
  EXPECT_EQ(customer.at("object"), "customer");
  EXPECT_EQ(customer.at("email"), "new@example.com");
  EXPECT_EQ(customer.at("name"), "New Person");
  EXPECT_EQ(customer.at("metadata").at("plan"), "gold");
  EXPECT_EQ(customer.at("created").as_int64(), kFakeNow + 5);
  EXPECT_FALSE(customer.at("livemode").as_bool());

  EXPECT_EQ(Stat("customers"), before + 1);
  EXPECT_EQ(Get("/v1/customers?limit=1").data().at(0).at("id").as_string(), id);
  EXPECT_EQ(Get("/v1/customers/" + id).body, created.body);

  json::object event = LastEvent();
  EXPECT_EQ(event.at("type"), "customer.created");
  EXPECT_EQ(event.at("data").at("object"), created.body);
  EXPECT_FALSE(event.at("data").as_object().contains("previous_attributes"));
  EXPECT_EQ(event.at("api_version"), "2025-03-31.basil");
  EXPECT_EQ(event.at("created").as_int64(), kFakeNow + 5);
  EXPECT_FALSE(event.at("livemode").as_bool());
  EXPECT_TRUE(event.at("request").at("id").as_string().starts_with("req_"));
  EXPECT_TRUE(event.at("request").at("idempotency_key").is_null());
  EXPECT_FALSE(event.contains("account"));
  EXPECT_EQ(Get("/v1/events/" + std::string(event.at("id").as_string())).body, event);

  // Live mode and a connected account are separate; JSON bodies work too.
  HttpRequest json_create = MakeRequest(
      "POST", "/_emulator/objects/charges", {{"Content-Type", "application/json"}},
      R"({"account":"acct_emu_connected_1","livemode":true,"amount":1234,"description":"x"})");
  Reply charge = ToReply(emulator_->Handle(json_create));
  ASSERT_EQ(charge.status, 200) << charge.raw.body;
  EXPECT_EQ(charge.object().at("amount"), 1234);
  EXPECT_TRUE(charge.object().at("livemode").as_bool());
  Fields connected{{"Stripe-Account", "acct_emu_connected_1"}};
  json::object live_event = LastEvent(kLiveSecret, connected);
  EXPECT_EQ(live_event.at("type"), "charge.created");
  EXPECT_EQ(live_event.at("account"), "acct_emu_connected_1");
  EXPECT_TRUE(live_event.at("livemode").as_bool());
  EXPECT_EQ(LastEvent().at("type"), "customer.created");  // test mode untouched
}

TEST_F(MutationTest, UpdateChangesFieldsAndRecordsPreviousAttributes) {
  Reply list = Get("/v1/customers?limit=1");
  json::object customer = list.data().at(0).as_object();
  std::string id(customer.at("id").as_string());
  Reply updated = Admin("POST", "/_emulator/objects/customers/" + id,
                        "name=Renamed&description=VIP&metadata[tier]=2&balance=-500");
  ASSERT_EQ(updated.status, 200) << updated.raw.body;
  EXPECT_EQ(updated.object().at("name"), "Renamed");
  EXPECT_EQ(updated.object().at("description"), "VIP");
  EXPECT_EQ(updated.object().at("balance"), -500);
  EXPECT_EQ(updated.object().at("created"), customer.at("created"));
  EXPECT_EQ(Get("/v1/customers/" + id).body, updated.body);

  json::object event = LastEvent();
  EXPECT_EQ(event.at("type"), "customer.updated");
  EXPECT_EQ(event.at("data").at("object"), updated.body);
  const json::object& previous = event.at("data").at("previous_attributes").as_object();
  EXPECT_EQ(previous.at("name"), customer.at("name"));
  EXPECT_TRUE(previous.at("description").is_null());
  EXPECT_EQ(previous.at("metadata"), json::object{});
  EXPECT_EQ(previous.at("balance"), 0);
  EXPECT_EQ(previous.size(), 4u);

  // Subscriptions: status moves them in and out of the default list.
  Reply sub = Get("/v1/subscriptions?limit=1&status=active");
  std::string sub_id(sub.data().at(0).at("id").as_string());
  ASSERT_EQ(Admin("POST", "/_emulator/objects/subscriptions/" + sub_id, "status=canceled").status, 200);
  EXPECT_EQ(LastEvent().at("type"), "customer.subscription.updated");
  Reply listed1 = Get("/v1/subscriptions?limit=100");
  for (const auto& s : listed1.data()) EXPECT_NE(s.at("id").as_string(), sub_id);

  EXPECT_EQ(Admin("POST", "/_emulator/objects/customers/" + id, "nope=1").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/objects/customers/" + id, "balance=lots").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/objects/customers/" + id, "id=cus_other").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/objects/customers/cus_nope", "name=x").status, 404);
  EXPECT_EQ(Admin("POST", "/_emulator/objects/nope/x", "name=x").status, 404);
  EXPECT_EQ(Admin("POST", "/_emulator/objects/balance_transactions", "").status, 400);
  EXPECT_EQ(Admin("POST", "/_emulator/objects/customers", "account=acct_nope").status, 404);
}

TEST_F(MutationTest, DeleteRemovesDeletableObjectsAndArchivesPrices) {
  std::string id(Get("/v1/customers?limit=1").data().at(0).at("id").as_string());
  int64_t before = Stat("customers");
  Reply deleted = Admin("DELETE", "/_emulator/objects/customers/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.raw.body;
  EXPECT_EQ(deleted.body, (json::object{{"id", id}, {"object", "customer"}, {"deleted", true}}));
  EXPECT_EQ(Get("/v1/customers/" + id).status, 404);
  Reply listed2 = Get("/v1/customers?limit=100");
  for (const auto& c : listed2.data()) EXPECT_NE(c.at("id").as_string(), id);
  EXPECT_EQ(Get("/v1/customers?starting_after=" + id).status, 400);
  EXPECT_EQ(Stat("customers"), before - 1);
  json::object event = LastEvent();
  EXPECT_EQ(event.at("type"), "customer.deleted");
  EXPECT_EQ(event.at("data").at("object").at("id").as_string(), id);
  EXPECT_EQ(Admin("DELETE", "/_emulator/objects/customers/" + id).status, 404);

  std::string price(Get("/v1/prices?limit=1").data().at(0).at("id").as_string());
  Reply archived = Admin("DELETE", "/_emulator/objects/prices/" + price);
  ASSERT_EQ(archived.status, 200) << archived.raw.body;
  EXPECT_FALSE(archived.object().at("active").as_bool());
  EXPECT_EQ(Get("/v1/prices/" + price).status, 200);
  event = LastEvent();
  EXPECT_EQ(event.at("type"), "price.updated");
  EXPECT_TRUE(event.at("data").at("previous_attributes").at("active").as_bool());

  for (const char* path : {"products", "coupons"}) {
    std::string other(Get(std::string("/v1/") + path + "?limit=1").data().at(0).at("id").as_string());
    EXPECT_EQ(Admin("DELETE", std::string("/_emulator/objects/") + path + "/" + other).status, 200);
    EXPECT_TRUE(LastEvent().at("type").as_string().ends_with(".deleted"));
  }
  std::string charge(Get("/v1/charges?limit=1").data().at(0).at("id").as_string());
  EXPECT_EQ(Admin("DELETE", "/_emulator/objects/charges/" + charge).status, 400);
}

TEST_F(MutationTest, EventsKeepThirtyDaysOfEmulatedTime) {
  ASSERT_EQ(Admin("POST", "/_emulator/objects/customers", "name=Old").status, 200);
  std::string old_event(LastEvent().at("id").as_string());
  std::vector<std::string> first_page;
  Reply listed3 = Get("/v1/events?limit=100");
  for (const auto& e : listed3.data()) first_page.emplace_back(e.at("id").as_string());

  Reply advanced = Admin("POST", "/_emulator/clock/advance", "seconds=" + std::to_string(31 * kDay));
  ASSERT_EQ(advanced.status, 200) << advanced.raw.body;
  EXPECT_EQ(advanced.object().at("now").as_int64(), kFakeNow + 31 * kDay);
  EXPECT_EQ(Admin("GET", "/_emulator/clock").object().at("offset").as_int64(), 31 * kDay);
  EXPECT_EQ(Admin("POST", "/_emulator/clock/advance", "seconds=-1").status, 400);

  ASSERT_EQ(Admin("POST", "/_emulator/objects/customers", "name=New").status, 200);
  json::object fresh = LastEvent();
  EXPECT_EQ(fresh.at("created").as_int64(), kFakeNow + 31 * kDay);
  Reply all = Get("/v1/events?limit=100");
  ASSERT_EQ(all.status, 200);
  ASSERT_EQ(all.data().size(), 1u);  // everything else is older than 30 days
  EXPECT_EQ(all.data().at(0).at("id"), fresh.at("id"));

  // A cursor or id outside the window is gone, as Stripe forgets old events.
  Reply stale = Get("/v1/events?starting_after=" + old_event);
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(stale.error_field("code"), "resource_missing");
  EXPECT_EQ(stale.error_field("message"), "No such event: '" + old_event + "'");
  EXPECT_EQ(stale.error_field("param"), "starting_after");
  EXPECT_EQ(Get("/v1/events?ending_before=" + old_event).status, 400);
  EXPECT_EQ(Get("/v1/events/" + old_event).status, 404);
  EXPECT_EQ(Admin("GET", "/_emulator/stats").object().at("objects").at("events"), 1);
  // Other lists are not windowed.
  EXPECT_EQ(Get("/v1/customers?limit=100").data().size(), 7u);
}

TEST_F(MutationTest, EventFiltersTypesAndCreated) {
  std::string customer(Get("/v1/customers?limit=1").data().at(0).at("id").as_string());
  clock_.Advance(std::chrono::seconds(10));
  Admin("POST", "/_emulator/objects/customers/" + customer, "name=A");
  clock_.Advance(std::chrono::seconds(10));
  Admin("POST", "/_emulator/objects/charges", "amount=100");
  clock_.Advance(std::chrono::seconds(10));
  Admin("POST", "/_emulator/objects/products", "name=P");

  auto types = [&](const std::string& query) {
    std::vector<std::string> out;
    Reply reply = Get("/v1/events?limit=100&" + query);
    EXPECT_EQ(reply.status, 200) << reply.raw.body;
    for (const auto& e : reply.data()) out.emplace_back(e.at("type").as_string());
    return out;
  };
  std::string since = "created[gte]=" + std::to_string(kFakeNow + 1);
  EXPECT_EQ(types(since), (std::vector<std::string>{"product.created", "charge.created",
                                                    "customer.updated"}));
  EXPECT_EQ(types(since + "&type=charge.*"), std::vector<std::string>{"charge.created"});
  EXPECT_EQ(types(since + "&types[]=product.created&types[]=customer.updated"),
            (std::vector<std::string>{"product.created", "customer.updated"}));
  EXPECT_EQ(types("created[gt]=" + std::to_string(kFakeNow + 20)),
            std::vector<std::string>{"product.created"});
}

TEST_F(MutationTest, TrafficIsDeterministicForASeed) {
  auto run = [&] {
    Admin("POST", "/_emulator/reset");
    Reply traffic = Admin("POST", "/_emulator/traffic", "count=60&seed=9");
    EXPECT_EQ(traffic.status, 200) << traffic.raw.body;
    std::vector<std::string> events;
    Reply listed4 = Get("/v1/events?limit=100");
    for (const auto& e : listed4.data()) {
      events.push_back(std::string(e.at("type").as_string()) + " " +
                       std::string(e.at("data").at("object").at("id").as_string()));
    }
    return std::pair{traffic.body, events};
  };
  auto [first_summary, first_events] = run();
  auto [second_summary, second_events] = run();
  EXPECT_EQ(first_summary, second_summary);
  EXPECT_EQ(first_events, second_events);
  const json::object& summary = first_summary.as_object();
  EXPECT_EQ(summary.at("count"), 60);
  EXPECT_GT(summary.at("created").as_int64(), 0);
  EXPECT_GT(summary.at("updated").as_int64(), 0);
  EXPECT_GT(summary.at("deleted").as_int64(), 0);
  EXPECT_GE(first_events.size(), 60u * 9 / 10);
  EXPECT_EQ(Admin("POST", "/_emulator/traffic", "count=-1").status, 400);
}

TEST_F(MutationTest, StatsCountObjectsRequestsAndFaults) {
  Get("/v1/customers");
  Admin("POST", "/_emulator/faults", "status=500&count=1");
  Get("/v1/customers");
  Reply stats = Admin("GET", "/_emulator/stats");
  ASSERT_EQ(stats.status, 200) << stats.raw.body;
  EXPECT_EQ(stats.object().at("account"), "acct_emu_demo");
  EXPECT_EQ(stats.object().at("livemode"), false);
  EXPECT_EQ(stats.object().at("requests"), 2);
  EXPECT_EQ(stats.object().at("faults_injected"), 1);
  EXPECT_EQ(stats.object().at("rate_limited"), 0);
  EXPECT_EQ(stats.object().at("objects").at("customers"), 5);
  EXPECT_EQ(stats.object().at("objects").at("charges").as_int64(),
            static_cast<int64_t>(Get("/v1/charges?limit=100").data().size()));
  EXPECT_EQ(Admin("GET", "/_emulator/stats?account=acct_emu_connected_2&livemode=true").status, 200);
  EXPECT_EQ(Admin("GET", "/_emulator/stats?account=acct_nope").status, 404);
}

TEST_F(MutationTest, ResetForgetsMutationsAndTheClock) {
  std::string id(Get("/v1/customers?limit=1").data().at(0).at("id").as_string());
  Admin("DELETE", "/_emulator/objects/customers/" + id);
  Admin("POST", "/_emulator/clock/advance", "seconds=100");
  ASSERT_EQ(Admin("POST", "/_emulator/reset").status, 200);
  EXPECT_EQ(Get("/v1/customers/" + id).status, 200);
  EXPECT_EQ(Admin("GET", "/_emulator/clock").object().at("now").as_int64(), kFakeNow);
}

}  // namespace
}  // namespace stripeline::emulator
