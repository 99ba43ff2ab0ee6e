// GET /_emulator/request_rate: API requests per account, mode and second, faults included.
#include "emulator/request_rate.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <chrono>

#include "emulator_test_util.h"

namespace stripeline::emulator {
namespace {

using testing::kLiveSecret;
using testing::kTestSecret;
using testing::Reply;

class RequestRateTest : public testing::FakeClockTest {};

const boost::json::object* Find(const Reply& reply, std::string_view account, bool livemode) {
  for (const boost::json::value& entry : reply.object().at("accounts").as_array()) {
    const boost::json::object& o = entry.as_object();
    if (o.at("account").as_string() == account && o.at("livemode").as_bool() == livemode) {
      return &o;
    }
  }
  return nullptr;
}

TEST_F(RequestRateTest, CountsEachAccountAndModePerSecondFaultsIncluded) {
  Get("/v1/customers");
  Get("/v1/charges");
  ASSERT_EQ(Admin("POST", "/_emulator/faults", "status=500&count=1").status, 200);
  EXPECT_EQ(Get("/v1/charges").status, 500);  // a fault still reached the account
  Get("/v1/charges", kLiveSecret);
  Get("/v1/charges", kTestSecret, {{"Stripe-Account", "acct_emu_connected_1"}});
  Get("/v1/charges", "sk_test_unknown_key_000000000000000000");  // reaches no account
  clock_.Advance(std::chrono::milliseconds(1000));
  Get("/v1/customers");

  Reply all = Admin("GET", "/_emulator/request_rate");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.object().at("accounts").as_array().size(), 3u);
  const boost::json::object* demo = Find(all, "acct_emu_demo", false);
  ASSERT_NE(demo, nullptr);
  EXPECT_EQ(demo->at("max_per_second"), 3);
  EXPECT_EQ(demo->at("requests"), 4);
  const boost::json::array& windows = demo->at("windows").as_array();
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].at("second"), clock_.NowUnix() - 1);
  EXPECT_EQ(windows[0].at("requests"), 3);
  EXPECT_EQ(windows[1].at("requests"), 1);
  EXPECT_EQ(Find(all, "acct_emu_demo", true)->at("requests"), 1);
  EXPECT_EQ(Find(all, "acct_emu_connected_1", false)->at("requests"), 1);

  Reply one = Admin("GET", "/_emulator/request_rate?account=acct_emu_demo&livemode=true");
  ASSERT_EQ(one.object().at("accounts").as_array().size(), 1u);

  ASSERT_EQ(Admin("POST", "/_emulator/reset").status, 200);
  EXPECT_TRUE(Admin("GET", "/_emulator/request_rate").object().at("accounts").as_array().empty());
}

TEST(RequestRate, KeepsOnlyTheLastHour) {
  RequestRate rate;
  rate.Count("acct_1", false, 1000);
  rate.Count("acct_1", false, 1000 + RequestRate::kKeptSeconds);
  boost::json::object report = rate.Report(std::nullopt, std::nullopt);
  const boost::json::object& account = report.at("accounts").as_array().at(0).as_object();
  EXPECT_EQ(account.at("windows").as_array().size(), 1u);
  EXPECT_EQ(account.at("max_per_second"), 1);
}

}  // namespace
}  // namespace stripeline::emulator
