// http::Api in process over a real SQLite store, UserService, ClientService and an
// IntegrationService whose ConnectionChecker is scripted: authentication (bearer tokens, session
// cookies with CSRF), the integration routes and the error shape.
#include "http/api.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "unit/http/api_test_services.h"
#include "unit/http/http_test_util.h"
#include "unit/integrations/integrations_test_util.h"

namespace stripeline::http {
namespace {

using test_util::ErrorCodeOf;
using test_util::JsonOf;
using test_util::MakeRequest;

constexpr char kAdminEmail[] = "admin@example.com";

class ApiTest : public test_util::IntegrationsTest {
 protected:
  void SetUp() override {
    IntegrationsTest::SetUp();
    services_ = std::make_unique<test_util::ApiTestServices>(
        *db_, *store_, box_, *users_, *integrations_, *clients_, stripe_, limiters_, clock_);
    api_ = std::make_unique<Api>(services_->Services());
    admin_user_ = AddUser(kAdminEmail, store::Role::kAdmin);
    auto issued = users_->CreateToken(ActorOf(admin_user_), kAdminEmail, "tests");
    ASSERT_TRUE(issued.ok()) << issued.status().ToString();
    token_ = issued->token;
    auto session = users_->Login(kAdminEmail, test_util::kPassword);
    ASSERT_TRUE(session.ok()) << session.status().ToString();
    session_ = session->token;
    csrf_ = session->csrf_token;
  }

  HttpResponse Call(const std::string& method, const std::string& target, Fields headers = {},
                    const std::string& body = "") {
    return api_->Handle(MakeRequest(method, target, std::move(headers), body));
  }
  Fields Bearer() const { return {{"Authorization", "Bearer " + token_}}; }
  Fields Cookie() const { return {{"Cookie", "theme=dark; sl_session=" + session_}}; }
  Fields CookieWithCsrf(const std::string& csrf) const {
    Fields headers = Cookie();
    headers.emplace_back("X-CSRF-Token", csrf);
    return headers;
  }
  static std::string NewIntegrationBody(const std::string& key = test_util::kKeyA) {
    return boost::json::serialize(boost::json::object{{"name", "Main"}, {"secret_key", key}});
  }

  // Stripe is never reached by these tests: the connection checker is scripted.
  stripe::Client stripe_{{}, std::make_shared<test_util::UnusableTransport>()};
  stripe::RateLimiterRegistry limiters_;
  std::unique_ptr<test_util::ApiTestServices> services_;
  std::unique_ptr<Api> api_;
  store::User admin_user_;
  std::string token_, session_, csrf_;
};

TEST_F(ApiTest, ServesTheWebAppAtTheRootWithoutCredentials) {
  HttpResponse page = Call("GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.Header("Content-Security-Policy"), kWebContentSecurityPolicy);
  EXPECT_EQ(Call("GET", "/assets/js/app.js").status, 200);
  // Everything else is still the API's: an unknown asset is its 404, not the page.
  HttpResponse missing = Call("GET", "/assets/nothing.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCodeOf(missing), "not_found");
  EXPECT_EQ(Call("GET", "/api/v1/integrations").status, 401);
}

TEST_F(ApiTest, Answers401WithoutCredentials) {
  HttpResponse response = Call("GET", "/api/v1/integrations");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCodeOf(response), "unauthenticated");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
}

TEST_F(ApiTest, Answers401ForAMalformedOrUnknownBearerToken) {
  EXPECT_EQ(Call("GET", "/api/v1/integrations", {{"Authorization", "Basic abc"}}).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/integrations", {{"Authorization", "Bearer "}}).status, 401);
  HttpResponse unknown =
      Call("GET", "/api/v1/integrations", {{"Authorization", "Bearer slt_unknown"}});
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(JsonOf(unknown).at("error").at("message"), "The API token is not valid.");
}

TEST_F(ApiTest, BearerTokenAuthenticates) {
  HttpResponse response = Call("GET", "/api/v1/integrations", Bearer());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(JsonOf(response).at("data").as_array().empty());
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
}

TEST_F(ApiTest, CookieSessionNeedsNoCsrfTokenToRead) {
  HttpResponse response = Call("GET", "/api/v1/integrations", Cookie());
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(ApiTest, CookieSessionNeedsTheCsrfTokenToChangeState) {
  HttpResponse missing = Call("POST", "/api/v1/integrations", Cookie(), NewIntegrationBody());
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(ErrorCodeOf(missing), "csrf_failed");
  HttpResponse wrong =
      Call("POST", "/api/v1/integrations", CookieWithCsrf(csrf_ + "x"), NewIntegrationBody());
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(ErrorCodeOf(wrong), "csrf_failed");
  EXPECT_EQ(checker_.call_count(), 0u);
  EXPECT_TRUE(store_->ListIntegrations(std::nullopt).value().empty());

  HttpResponse right =
      Call("POST", "/api/v1/integrations", CookieWithCsrf(csrf_), NewIntegrationBody());
  EXPECT_EQ(right.status, 201) << right.body;
}

TEST_F(ApiTest, BearerTokenNeedsNoCsrfToken) {
  EXPECT_EQ(Call("POST", "/api/v1/integrations", Bearer(), NewIntegrationBody()).status, 201);
}

TEST_F(ApiTest, PostIntegrationAnswers201WithTheMaskedKeyOnly) {
  HttpResponse response = Call("POST", "/api/v1/integrations", Bearer(), NewIntegrationBody());
  ASSERT_EQ(response.status, 201) << response.body;
  boost::json::value json = JsonOf(response);
  EXPECT_EQ(json.at("message"), "Integration added");
  EXPECT_TRUE(json.at("warnings").as_array().empty());
  EXPECT_EQ(json.at("integration").at("secret_key_masked"), "sk_test_...1111");
  EXPECT_EQ(json.at("integration").at("health").at("state"), "ok");
  EXPECT_EQ(response.body.find(test_util::kKeyA), std::string::npos);
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_EQ(response.Header("X-Content-Type-Options"), "nosniff");
  ASSERT_EQ(checker_.call_count(), 1u);
  EXPECT_EQ(store_->ListIntegrations(std::nullopt).value().size(), 1u);
}

TEST_F(ApiTest, PostIntegrationWithARefusedKeyAnswers422) {
  checker_.Answer(test_util::InvalidKeyCheck());
  HttpResponse response = Call("POST", "/api/v1/integrations", Bearer(), NewIntegrationBody());
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(ErrorCodeOf(response), "invalid_secret_key");
  EXPECT_EQ(JsonOf(response).at("error").at("message"),
            "The secret key is invalid: Invalid API Key provided: sk_test_****1111");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_TRUE(store_->ListIntegrations(std::nullopt).value().empty());
}

TEST_F(ApiTest, PostIntegrationWithoutAKeyAnswers422WithoutCallingStripe) {
  HttpResponse response = Call("POST", "/api/v1/integrations", Bearer(), R"({"name":"Main"})");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(ErrorCodeOf(response), "invalid_secret_key");
  EXPECT_EQ(checker_.call_count(), 0u);
}

TEST_F(ApiTest, MalformedJsonBodyAnswers400) {
  HttpResponse response = Call("POST", "/api/v1/integrations", Bearer(), "{\"name\":");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(ErrorCodeOf(response), "invalid_json");
  EXPECT_EQ(checker_.call_count(), 0u);
}

TEST_F(ApiTest, MemberCannotAddIntegrations) {
  store::User member = AddUser("member@example.com", store::Role::kMember);
  auto issued = users_->CreateToken(ActorOf(member), "member@example.com", "m");
  ASSERT_TRUE(issued.ok());
  HttpResponse response = Call("POST", "/api/v1/integrations",
                               {{"Authorization", "Bearer " + issued->token}}, NewIntegrationBody());
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(ErrorCodeOf(response), "forbidden");
  EXPECT_EQ(checker_.call_count(), 0u);
}

TEST_F(ApiTest, DeleteValidatesKeepData) {
  HttpResponse added = Call("POST", "/api/v1/integrations", Bearer(), NewIntegrationBody());
  ASSERT_EQ(added.status, 201) << added.body;
  std::string id(JsonOf(added).at("integration").at("id").as_string());

  HttpResponse bad = Call("DELETE", "/api/v1/integrations/" + id + "?keep_data=maybe", Bearer());
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(ErrorCodeOf(bad), "invalid_field");
  EXPECT_EQ(JsonOf(bad).at("error").at("message"), "keep_data must be true or false.");
  EXPECT_TRUE(store_->GetIntegration(id).ok());

  HttpResponse deleted = Call("DELETE", "/api/v1/integrations/" + id + "?keep_data=false", Bearer());
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(JsonOf(deleted).at("data_kept"), false);
  // The Api acts through the one service graph, so keep_data=false removes the synced data (none
  // yet) and says so; an Api without a data remover used to answer "Integration deleted" alone.
  EXPECT_EQ(JsonOf(deleted).at("message").as_string(),
            "Integration deleted; its sync state and 0 synced rows of " +
                std::string(test_util::kAccount) + " were removed (test mode only)");
  EXPECT_EQ(Call("GET", "/api/v1/integrations/" + id, Bearer()).status, 404);
}

TEST_F(ApiTest, DeleteKeepsDataByDefault) {
  HttpResponse added = Call("POST", "/api/v1/integrations", Bearer(), NewIntegrationBody());
  std::string id(JsonOf(added).at("integration").at("id").as_string());
  HttpResponse deleted = Call("DELETE", "/api/v1/integrations/" + id, Bearer());
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(JsonOf(deleted).at("data_kept"), true);
}

TEST_F(ApiTest, UnknownRoutesAnswer404InTheErrorShape) {
  for (const std::string& target : {std::string("/api/v1/nope"), std::string("/api/v2/integrations")}) {
    HttpResponse response = Call("GET", target, Bearer());
    EXPECT_EQ(response.status, 404) << target;
    boost::json::value json = JsonOf(response);
    ASSERT_TRUE(json.is_object()) << response.body;
    EXPECT_EQ(json.as_object().size(), 1u);
    const boost::json::object& error = json.at("error").as_object();
    EXPECT_EQ(error.size(), 2u);
    EXPECT_EQ(error.at("code"), "not_found");
    EXPECT_TRUE(error.at("message").is_string());
  }
}

TEST_F(ApiTest, UnknownIntegrationAnswers404InTheErrorShape) {
  HttpResponse response = Call("GET", "/api/v1/integrations/int_missing", Bearer());
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ErrorCodeOf(response), "not_found");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
}

TEST_F(ApiTest, KnownPathWithAnotherMethodAnswers405WithAllow) {
  HttpResponse response = Call("PUT", "/api/v1/integrations", Bearer());
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.Header("Allow"), "GET, POST");
}

TEST_F(ApiTest, LoginSetsAnHttpOnlySessionCookieAndReturnsTheCsrfToken) {
  HttpResponse response = Call("POST", "/api/v1/auth/login", {},
                               boost::json::serialize(boost::json::object{
                                   {"email", kAdminEmail}, {"password", test_util::kPassword}}));
  ASSERT_EQ(response.status, 200) << response.body;
  std::string cookie = response.Header("Set-Cookie").value_or("");
  EXPECT_TRUE(cookie.starts_with("sl_session=")) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  EXPECT_TRUE(JsonOf(response).at("csrf_token").is_string());
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");

  HttpResponse wrong = Call("POST", "/api/v1/auth/login", {},
                            R"({"email":"admin@example.com","password":"nope nope"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(JsonOf(wrong).at("error").at("message"), "Email or password is incorrect.");
}

TEST_F(ApiTest, LogoutEndsTheCookieSession) {
  HttpResponse out = Call("POST", "/api/v1/auth/logout", CookieWithCsrf(csrf_));
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.Header("Set-Cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/integrations", Cookie()).status, 401);
}

TEST_F(ApiTest, ExpiredSessionAnswers401) {
  clock_.Advance(std::chrono::hours(12));
  HttpResponse response = Call("GET", "/api/v1/integrations", Cookie());
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(ErrorCodeOf(response), "session_expired");
  EXPECT_EQ(Call("GET", "/api/v1/integrations", Bearer()).status, 200);
}

// A connection check that holds its caller (as a slow Stripe would) until released.
class BlockingChecker final : public integrations::ConnectionChecker {
 public:
  BlockingChecker()
      : ConnectionChecker(test_util::UnusableStripeClient(), test_util::UnusedLimiters()) {}
  integrations::ConnectionCheck Check(const std::string&,
                                      const std::optional<std::string>&) const override {
    std::unique_lock lock(mu_);
    ++inside_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return released_; });
    return test_util::AvailableCheck();
  }
  void WaitUntilInside(int callers) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return inside_ >= callers; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable int inside_ = 0;
  bool released_ = false;
};

// Regression (issue 13): requests that wait on Stripe could take every request thread. They
// pass a gate; beyond it they are refused at once, and other requests are still answered.
TEST_F(ApiTest, RequestsThatCallStripeAreBoundedAndTheRestStillAnswered) {
  BlockingChecker checker;
  integrations::IntegrationService slow(*store_, box_, checker, clock_);
  ApiOptions options;
  options.stripe_calls = {.max_running = 1, .max_waiting = 0};
  Api api({.users = *users_,
           .integrations = slow,
           .clients = *clients_,
           .removal = services_->removal,
           .sync = services_->sync,
           .metrics = services_->metrics},
          options);
  auto test_key = [&] {
    return api.Handle(MakeRequest("POST", "/api/v1/integrations/test", Bearer(),
                                  NewIntegrationBody()));
  };
  HttpResponse first;
  std::thread holder([&] { first = test_key(); });
  checker.WaitUntilInside(1);

  HttpResponse refused = test_key();
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(ErrorCodeOf(refused), "busy");
  EXPECT_EQ(refused.Header("Retry-After"), "1");
  EXPECT_EQ(api.Handle(MakeRequest("GET", "/healthz")).status, 200);
  EXPECT_EQ(api.Handle(MakeRequest("GET", "/api/v1/integrations", Bearer())).status, 200);

  checker.Release();
  holder.join();
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(test_key().status, 200) << "the place is free again";
}

TEST(CookieValue, FindsTheNamedCookieAmongSeveral) {
  HttpRequest request = MakeRequest(
      "GET", "/", {{"Cookie", "xsl_session=wrong; theme=dark;sl_session=abc=def; last=1"}});
  EXPECT_EQ(CookieValue(request, "sl_session"), "abc=def");
  EXPECT_EQ(CookieValue(request, "theme"), "dark");
  EXPECT_EQ(CookieValue(request, "last"), "1");
  EXPECT_EQ(CookieValue(request, "missing"), "");
  EXPECT_EQ(CookieValue(request, "session"), "");
}

TEST(CookieValue, LooksThroughSeveralCookieHeaders) {
  HttpRequest request =
      MakeRequest("GET", "/", {{"Cookie", "a=1"}, {"Cookie", "sl_session=tok"}});
  EXPECT_EQ(CookieValue(request, "sl_session"), "tok");
  EXPECT_EQ(CookieValue(MakeRequest("GET", "/"), "sl_session"), "");
}

}  // namespace
}  // namespace stripeline::http
