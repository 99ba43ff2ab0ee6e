// The readers of the API's JSON bodies (http/request_bodies.h).
#include "http/request_bodies.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace stripeline::http {
namespace {

boost::json::object Body(const std::string& json) { return boost::json::parse(json).as_object(); }

TEST(ReadWebhookSecretRequest, RefusesAnEmptySecretAndLeavesAnAbsentOneToBeGenerated) {
  auto empty = ReadWebhookSecretRequest(Body(R"({"secret":""})"));
  EXPECT_EQ(empty.status().error_code(), "invalid_webhook_secret");
  auto absent = ReadWebhookSecretRequest(Body("{}"));
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->secret);
  EXPECT_FALSE(absent->overlap);
}

TEST(ReadWebhookSecretRequest, ReadsOverlapAsWholeSecondsAndAnythingBeyondInt64AsOutOfRange) {
  auto hour = ReadWebhookSecretRequest(Body(R"({"secret":"whsec_x","overlap_seconds":3600})"));
  ASSERT_TRUE(hour.ok());
  EXPECT_EQ(hour->secret, "whsec_x");
  EXPECT_EQ(hour->overlap, std::chrono::seconds(3600));
  auto huge = ReadWebhookSecretRequest(Body(R"({"overlap_seconds":18446744073709551615})"));
  ASSERT_TRUE(huge.ok());
  EXPECT_LT(huge->overlap->count(), 0);  // the intake refuses negative overlaps
  for (std::string overlap : {"1.5", "\"60\"", "true"}) {
    auto refused = ReadWebhookSecretRequest(Body(R"({"overlap_seconds":)" + overlap + "}"));
    EXPECT_EQ(refused.status().error_code(), "invalid_field") << overlap;
  }
}

TEST(ReadOAuthStart, AReconnectNeedsNoNameButANewIntegrationDoes) {
  auto reconnect = ReadOAuthStart(Body(R"({"integration_id":"int_1"})"));
  ASSERT_TRUE(reconnect.ok());
  EXPECT_EQ(reconnect->integration_id, "int_1");
  EXPECT_EQ(reconnect->name, "");
  EXPECT_EQ(ReadOAuthStart(Body("{}")).status().error_code(), "missing_field");
}

TEST(ReadNewIntegration, NeedsAKeyAndANameExceptForATest) {
  EXPECT_EQ(ReadNewIntegration(Body(R"({"name":"A"})"), false).status().error_code(),
            "invalid_secret_key");
  EXPECT_EQ(ReadNewIntegration(Body(R"({"secret_key":"sk_test_x"})"), false).status().error_code(),
            "missing_field");
  auto test = ReadNewIntegration(Body(R"({"secret_key":"sk_test_x","client_id":null})"), true);
  ASSERT_TRUE(test.ok());
  EXPECT_TRUE(test->active);
  EXPECT_EQ(test->client_id, std::optional<std::string>());
}

TEST(ReadUserUpdate, RefusesAnUnknownRoleAndLeavesOutWhatIsNotGiven) {
  EXPECT_EQ(ReadUserUpdate(Body(R"({"role":"owner"})")).status().error_code(), "invalid_role");
  auto update = ReadUserUpdate(Body(R"({"disabled":true})"));
  ASSERT_TRUE(update.ok());
  EXPECT_FALSE(update->role);
  EXPECT_EQ(update->disabled, true);
}

TEST(ReadDashboard, NeedsAWidgetsArray) {
  EXPECT_EQ(ReadDashboard(Body(R"({"widgets":{}})")).status().error_code(), "invalid_field");
  auto empty = ReadDashboard(Body(R"({"widgets":[]})"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace stripeline::http
