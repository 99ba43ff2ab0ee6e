// Router: placeholders, 404 and 405 with Allow.
#include "http/router.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "unit/http/http_test_util.h"

namespace stripeline::http {
namespace {

using test_util::JsonOf;
using test_util::MakeRequest;

// A handler answering "<name> <params as k=v,...>".
RouteHandler Named(std::string name) {
  return [name](const HttpRequest&, const PathParams& params) {
    std::string text = name;
    for (const auto& [key, value] : params) text += " " + key + "=" + value;
    return HttpResponse::Text(200, text);
  };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/api/v1/integrations", Named("list"));
    router_.Add("POST", "/api/v1/integrations", Named("add"));
    router_.Add("POST", "/api/v1/integrations/test", Named("test-new"));
    router_.Add("GET", "/api/v1/integrations/{id}", Named("get"));
    router_.Add("DELETE", "/api/v1/integrations/{id}", Named("delete"));
    router_.Add("POST", "/api/v1/integrations/{id}/test", Named("test"));
    router_.Add("DELETE", "/api/v1/clients/{id}/members/{email}", Named("remove-member"));
  }
  HttpResponse Dispatch(const std::string& method, const std::string& target) {
    return router_.Dispatch(MakeRequest(method, target));
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralRoutesByMethod) {
  EXPECT_EQ(Dispatch("GET", "/api/v1/integrations").body, "list");
  EXPECT_EQ(Dispatch("POST", "/api/v1/integrations").body, "add");
  EXPECT_EQ(Dispatch("POST", "/api/v1/integrations/test").body, "test-new");
}

TEST_F(RouterTest, CollectsPlaceholders) {
  EXPECT_EQ(Dispatch("GET", "/api/v1/integrations/int_123").body, "get id=int_123");
  EXPECT_EQ(Dispatch("POST", "/api/v1/integrations/int_9/test").body, "test id=int_9");
  EXPECT_EQ(Dispatch("DELETE", "/api/v1/clients/cli_1/members/bob%40example.com").body,
            "remove-member email=bob@example.com id=cli_1");
}

TEST_F(RouterTest, IgnoresTheQueryAndEmptySegments) {
  EXPECT_EQ(Dispatch("GET", "/api/v1/integrations?client_id=cli_1").body, "list");
  EXPECT_EQ(Dispatch("GET", "/api/v1//integrations/").body, "list");
}

TEST_F(RouterTest, AnswersUnknownPaths404InTheErrorShape) {
  for (std::string target : {"/api/v1/nothing", "/api/v1/integrations/int_1/test/extra", "/"}) {
    HttpResponse response = Dispatch("GET", target);
    EXPECT_EQ(response.status, 404) << target;
    boost::json::value json = JsonOf(response);
    ASSERT_TRUE(json.is_object()) << response.body;
    EXPECT_EQ(json.as_object().size(), 1u);
    EXPECT_EQ(json.at("error").as_object().size(), 2u);
    EXPECT_EQ(json.at("error").at("code"), "not_found");
    EXPECT_TRUE(json.at("error").at("message").is_string());
  }
}

TEST_F(RouterTest, Answers405WithAllowForAKnownPathAndOtherMethod) {
  HttpResponse response = Dispatch("PUT", "/api/v1/integrations");
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, POST");
  EXPECT_EQ(test_util::ErrorCodeOf(response), "method_not_allowed");

  HttpResponse by_placeholder = Dispatch("PATCH", "/api/v1/integrations/int_1");
  EXPECT_EQ(by_placeholder.status, 405);
  EXPECT_EQ(by_placeholder.Header("Allow"), "GET, DELETE");
}

TEST_F(RouterTest, PassesTheRequestToTheHandler) {
  Router router;
  router.Add("POST", "/echo", [](const HttpRequest& request, const PathParams&) {
    return HttpResponse::Text(200, request.body);
  });
  EXPECT_EQ(router.Dispatch(MakeRequest("POST", "/echo", {}, "hello")).body, "hello");
}

}  // namespace
}  // namespace stripeline::http
