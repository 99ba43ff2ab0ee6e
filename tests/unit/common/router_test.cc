// Router: placeholders, route order, what the NoRoute handler is told, and the context handed
// to handlers. The REST API's 404 and 405 answers are tested with http/status_mapping.h.
#include "common/router.h"

#include <gtest/gtest.h>

#include "unit/http/http_test_util.h"

namespace stripeline {
namespace {

using test_util::MakeRequest;

// A handler answering "<name> <params as k=v,...>".
RouteHandler Named(std::string name) {
  return [name](const HttpRequest&, const PathParams& params) {
    std::string text = name;
    for (const auto& [key, value] : params) text += " " + key + "=" + value;
    return HttpResponse::Text(200, text);
  };
}

// Answers 404 "no route; allowed: <allowed>".
HttpResponse NoRoute(const HttpRequest&, const std::string& allowed) {
  return HttpResponse::Text(404, "no route; allowed: " + allowed);
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

  Router router_{NoRoute};
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

TEST_F(RouterTest, TellsNoRouteNothingIsAllowedForAnUnknownPath) {
  for (std::string target : {"/api/v1/nothing", "/api/v1/integrations/int_1/test/extra", "/"}) {
    HttpResponse response = Dispatch("GET", target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.body, "no route; allowed: ") << target;
  }
}

TEST_F(RouterTest, TellsNoRouteTheMethodsAKnownPathAllows) {
  EXPECT_EQ(Dispatch("PUT", "/api/v1/integrations").body, "no route; allowed: GET, POST");
  EXPECT_EQ(Dispatch("PATCH", "/api/v1/integrations/int_1").body,
            "no route; allowed: GET, DELETE");
}

TEST_F(RouterTest, PassesTheRequestToTheHandler) {
  Router router(NoRoute);
  router.Add("POST", "/echo", [](const HttpRequest& request, const PathParams&) {
    return HttpResponse::Text(200, request.body);
  });
  EXPECT_EQ(router.Dispatch(MakeRequest("POST", "/echo", {}, "hello")).body, "hello");
}

TEST_F(RouterTest, DescribesEveryRouteInRegistrationOrder) {
  std::vector<std::string> routes = router_.Describe();
  ASSERT_EQ(routes.size(), 7u);
  EXPECT_EQ(routes[0], "GET /api/v1/integrations");
  EXPECT_EQ(routes[3], "GET /api/v1/integrations/{id}");
  EXPECT_EQ(Router(NoRoute).Describe(), std::vector<std::string>{});
}

TEST(BasicRouter, HandsTheDispatchContextToHandlersAndNoRoute) {
  BasicRouter<const std::string&> router(
      [](const HttpRequest&, const std::string& allowed, const std::string& id) {
        return HttpResponse::Text(404, id + " allowed: " + allowed);
      });
  router.Add("GET", "/v1/{resource}",
             [](const HttpRequest&, const PathParams& params, const std::string& id) {
               return HttpResponse::Text(200, id + " " + params.at("resource"));
             });
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/v1/charges"), "req_1").body, "req_1 charges");
  EXPECT_EQ(router.Dispatch(MakeRequest("POST", "/v1/charges"), "req_2").body,
            "req_2 allowed: GET");
}

TEST(BasicRouter, TakesTheFirstRouteThatMatches) {
  Router router(NoRoute);
  router.Add("GET", "/v1/account", Named("account"));
  router.Add("GET", "/v1/{resource}", Named("list"));
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/v1/account")).body, "account");
  EXPECT_EQ(router.Dispatch(MakeRequest("GET", "/v1/charges")).body, "list resource=charges");
}

}  // namespace
}  // namespace stripeline
