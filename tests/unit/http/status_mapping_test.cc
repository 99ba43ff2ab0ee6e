// The one Status → HTTP mapping and the error body.
#include "http/status_mapping.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "common/router.h"
#include "unit/http/http_test_util.h"

namespace stripeline::http {
namespace {

TEST(HttpStatusFor, MapsEveryStatusCode) {
  EXPECT_EQ(HttpStatusFor(Status::OK()), 200);
  EXPECT_EQ(HttpStatusFor(Status::InvalidArgument("m")), 422);
  EXPECT_EQ(HttpStatusFor(Status::Unauthenticated("m")), 401);
  EXPECT_EQ(HttpStatusFor(Status::PermissionDenied("m")), 403);
  EXPECT_EQ(HttpStatusFor(Status::NotFound("m")), 404);
  EXPECT_EQ(HttpStatusFor(Status::AlreadyExists("m")), 409);
  EXPECT_EQ(HttpStatusFor(Status::FailedPrecondition("m")), 409);
  EXPECT_EQ(HttpStatusFor(Status::ResourceExhausted("m")), 429);
  EXPECT_EQ(HttpStatusFor(Status::Unavailable("m")), 503);
  EXPECT_EQ(HttpStatusFor(Status::DeadlineExceeded("m")), 504);
  EXPECT_EQ(HttpStatusFor(Status::Internal("m")), 500);
}

TEST(ErrorResponse, HasTheErrorShapeWithCodeAndMessage) {
  HttpResponse response =
      ErrorResponse(Status::InvalidArgument("The secret key is invalid: x", "invalid_secret_key"));
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.Header("Content-Type"), "application/json");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  boost::json::value json = test_util::JsonOf(response);
  EXPECT_EQ(json, (boost::json::value{
                      {"error",
                       {{"code", "invalid_secret_key"}, {"message", "The secret key is invalid: x"}}}}));
}

TEST(ErrorResponse, HidesTheMessageOfAPlainInternalError) {
  HttpResponse response = ErrorResponse(Status::Internal("sqlite: disk I/O error at /var/db"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("sqlite"), std::string::npos);
  boost::json::value json = test_util::JsonOf(response);
  EXPECT_EQ(json.at("error").at("code"), "internal");
  EXPECT_EQ(json.at("error").at("message"), "Internal error; see the server log.");
}

TEST(ErrorResponse, HidesTheSqlOfADatabaseError) {
  HttpResponse response = ErrorResponse(Status::Internal(
      "SQLite: no such column: x (in: INSERT INTO clients (name) VALUES ($1))", "database_error"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body.find("INSERT"), std::string::npos) << response.body;
  EXPECT_EQ(test_util::JsonOf(response).at("error").at("message"),
            "Internal error; see the server log.");
}

TEST(ErrorResponse, ShowsTheMessageOfAnInternalErrorWithItsOwnCode) {
  HttpResponse response = ErrorResponse(
      Status::Internal("The credentials cannot be decrypted.", "credentials_unreadable"));
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(test_util::JsonOf(response).at("error").at("message"),
            "The credentials cannot be decrypted.");
}

// The API's Router answers what no route takes with NoRouteResponse.
class NoRouteResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto answer = [](const HttpRequest&, const PathParams&) { return HttpResponse::Text(200, ""); };
    router_.Add("GET", "/api/v1/integrations", answer);
    router_.Add("POST", "/api/v1/integrations", answer);
    router_.Add("POST", "/api/v1/integrations/test", answer);
    router_.Add("GET", "/api/v1/integrations/{id}", answer);
    router_.Add("DELETE", "/api/v1/integrations/{id}", answer);
    router_.Add("POST", "/api/v1/integrations/{id}/test", answer);
  }
  HttpResponse Dispatch(const std::string& method, const std::string& target) {
    return router_.Dispatch(test_util::MakeRequest(method, target));
  }

  Router router_{NoRouteResponse};
};

TEST_F(NoRouteResponseTest, AnswersUnknownPaths404InTheErrorShape) {
  for (std::string target : {"/api/v1/nothing", "/api/v1/integrations/int_1/test/extra", "/"}) {
    HttpResponse response = Dispatch("GET", target);
    EXPECT_EQ(response.status, 404) << target;
    boost::json::value json = test_util::JsonOf(response);
    ASSERT_TRUE(json.is_object()) << response.body;
    EXPECT_EQ(json.as_object().size(), 1u);
    EXPECT_EQ(json.at("error").as_object().size(), 2u);
    EXPECT_EQ(json.at("error").at("code"), "not_found");
    EXPECT_TRUE(json.at("error").at("message").is_string());
  }
}

TEST_F(NoRouteResponseTest, Answers405WithAllowForAKnownPathAndOtherMethod) {
  HttpResponse response = Dispatch("PUT", "/api/v1/integrations");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, POST");
  EXPECT_EQ(test_util::ErrorCodeOf(response), "method_not_allowed");

  HttpResponse by_placeholder = Dispatch("PATCH", "/api/v1/integrations/int_1");
  EXPECT_EQ(by_placeholder.status, 405);
  EXPECT_EQ(by_placeholder.Header("Allow"), "GET, DELETE");
}

TEST(ErrorResponse, SendsRetryAfterWhenTheStatusSaysWhenToAskAgain) {
  HttpResponse throttled = ErrorResponse(
      Status::ResourceExhausted("Too many failed sign-ins.", "login_throttled")
          .WithRetryAfter(std::chrono::seconds(30)));
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Header("Retry-After"), "30");
  EXPECT_FALSE(ErrorResponse(Status::ResourceExhausted("too large")).Header("Retry-After"));
}

}  // namespace
}  // namespace stripeline::http
