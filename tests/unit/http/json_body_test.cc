// Reading JSON request bodies.
#include "http/json_body.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace stripeline::http {
namespace {

boost::json::object Body(const std::string& json) { return boost::json::parse(json).as_object(); }

TEST(ParseJsonObject, ReadsAnEmptyOrBlankBodyAsAnEmptyObject) {
  for (std::string body : {"", "   ", "\r\n\t"}) {
    auto parsed = ParseJsonObject(body);
    ASSERT_TRUE(parsed.ok()) << body;
    EXPECT_TRUE(parsed->empty());
  }
}

TEST(ParseJsonObject, RefusesMalformedJsonAndNonObjects) {
  for (std::string body : {"{", "{\"a\":}", "not json", "[1,2]", "\"text\"", "42", "null"}) {
    auto parsed = ParseJsonObject(body);
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << body;
    EXPECT_EQ(parsed.status().error_code(), "invalid_json") << body;
  }
}

TEST(ParseJsonObject, ReadsAnObject) {
  auto parsed = ParseJsonObject(R"({"name":"Main","active":true})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->at("name"), "Main");
}

TEST(OptionalString, AbsentAndNullAreNulloptAndOtherTypesAreRefused) {
  boost::json::object body = Body(R"({"s":"x","n":null,"i":3,"b":false})");
  EXPECT_EQ(OptionalString(body, "s").value(), "x");
  EXPECT_EQ(OptionalString(body, "n").value(), std::nullopt);
  EXPECT_EQ(OptionalString(body, "absent").value(), std::nullopt);
  auto wrong = OptionalString(body, "i");
  EXPECT_EQ(wrong.status().error_code(), "invalid_field");
  EXPECT_EQ(wrong.status().message(), "Field 'i' must be a string.");
  EXPECT_FALSE(OptionalString(body, "b").ok());
}

TEST(RequiredString, RefusesAbsentAndNull) {
  boost::json::object body = Body(R"({"name":"Main","n":null})");
  EXPECT_EQ(RequiredString(body, "name").value(), "Main");
  auto absent = RequiredString(body, "email");
  EXPECT_EQ(absent.status().error_code(), "missing_field");
  EXPECT_EQ(absent.status().message(), "Field 'email' is required.");
  EXPECT_EQ(RequiredString(body, "n").status().error_code(), "missing_field");
}

TEST(OptionalBool, ReadsBooleansOnly) {
  boost::json::object body = Body(R"({"t":true,"f":false,"s":"true","n":null})");
  EXPECT_EQ(OptionalBool(body, "t").value(), true);
  EXPECT_EQ(OptionalBool(body, "f").value(), false);
  EXPECT_EQ(OptionalBool(body, "n").value(), std::nullopt);
  EXPECT_EQ(OptionalBool(body, "absent").value(), std::nullopt);
  auto wrong = OptionalBool(body, "s");
  EXPECT_EQ(wrong.status().message(), "Field 's' must be true or false.");
}

TEST(NullableString, TellsAbsentFromNullAndEmpty) {
  boost::json::object body = Body(R"({"null":null,"empty":"","set":"acct_1","num":1})");
  auto absent = NullableString(body, "absent");
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());

  auto null = NullableString(body, "null");
  ASSERT_TRUE(null.ok());
  ASSERT_TRUE(null->has_value());
  EXPECT_FALSE(null->value().has_value());

  auto empty = NullableString(body, "empty");
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(empty->has_value());
  EXPECT_FALSE(empty->value().has_value());  // "" clears, like null

  auto set = NullableString(body, "set");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->value(), "acct_1");

  EXPECT_EQ(NullableString(body, "num").status().message(), "Field 'num' must be a string or null.");
}

}  // namespace
}  // namespace stripeline::http
