// Who may do what: roles, API tokens, browser sessions with CSRF, clients' visibility.
#include <gtest/gtest.h>

#include "integration/harness.h"

namespace stripeline::testing {
namespace {

using boost::json::object;
using boost::json::value;

class Access : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  static object NewIntegration(const std::string& name, const value& client_id = nullptr) {
    return {{"type", "stripe"}, {"name", name}, {"auth_scheme", "api_key"},
            {"secret_key", kSecretKey}, {"active", true}, {"client_id", client_id}};
  }
  static Stack* stack_;
};

Stack* Access::stack_ = nullptr;

TEST_F(Access, MembersAndViewersCannotChangeIntegrations) {
  auto added = stack_->api().Post("/api/v1/integrations", NewIntegration("Admin's"));
  ASSERT_EQ(added.status, 201) << added.body;
  std::string id(added.json.at("integration").at("id").as_string());

  HttpClient member = stack_->ClientFor("member@example.com", "member");
  HttpClient viewer = stack_->ClientFor("viewer@example.com", "viewer");
  for (HttpClient* client : {&member, &viewer}) {
    auto add = client->Post("/api/v1/integrations", NewIntegration("Not allowed"));
    EXPECT_EQ(add.status, 403) << add.body;
    EXPECT_EQ(add.json.at("error").at("code"), "forbidden");
    EXPECT_NE(std::string(add.json.at("error").at("message").as_string())
                  .find("Only administrators can add integrations"),
              std::string::npos);
    EXPECT_EQ(client->Patch("/api/v1/integrations/" + id, object{{"name", "x"}}).status, 403);
    EXPECT_EQ(client->Delete("/api/v1/integrations/" + id).status, 403);
    EXPECT_EQ(client->Post("/api/v1/integrations/" + id + "/deactivate").status, 403);
    EXPECT_EQ(client->Get("/api/v1/users").status, 403);
    // Reading is allowed: the system-wide integration is visible, without its secret.
    auto shown = client->Get("/api/v1/integrations/" + id);
    EXPECT_EQ(shown.status, 200);
    EXPECT_EQ(shown.body.find(kSecretKey), std::string::npos);
  }
  EXPECT_EQ(member.Post("/api/v1/integrations/" + id + "/test").status, 200);
  EXPECT_EQ(viewer.Post("/api/v1/integrations/" + id + "/test").status, 403);
  auto still = stack_->api().Get("/api/v1/integrations/" + id);
  EXPECT_EQ(still.json.at("integration").at("name"), "Admin's");
}

TEST_F(Access, MembersSeeOnlyTheirClientsIntegrations) {
  auto acme = stack_->api().Post("/api/v1/clients", object{{"name", "Acme"}});
  auto globex = stack_->api().Post("/api/v1/clients", object{{"name", "Globex"}});
  ASSERT_EQ(acme.status, 201) << acme.body;
  std::string acme_id(acme.json.at("client").at("id").as_string());
  std::string globex_id(globex.json.at("client").at("id").as_string());
  ASSERT_EQ(stack_->api().Post("/api/v1/integrations", NewIntegration("Acme EU", value(acme_id))).status, 201);
  ASSERT_EQ(stack_->api().Post("/api/v1/integrations", NewIntegration("Acme US", value(acme_id))).status, 201);
  ASSERT_EQ(stack_->api().Post("/api/v1/integrations", NewIntegration("Globex", value(globex_id))).status, 201);

  HttpClient member = stack_->ClientFor("acme-member@example.com", "member");
  auto granted = stack_->api().Post("/api/v1/clients/" + acme_id + "/members",
                                    object{{"email", "acme-member@example.com"}});
  ASSERT_EQ(granted.status, 200) << granted.body;

  auto sources = member.Get("/api/v1/clients/" + acme_id + "/integrations");
  ASSERT_EQ(sources.status, 200) << sources.body;
  EXPECT_EQ(sources.json.at("data").as_array().size(), 2u);
  EXPECT_EQ(member.Get("/api/v1/clients/" + globex_id + "/integrations").status, 404);
  auto clients = member.Get("/api/v1/clients");
  ASSERT_EQ(clients.json.at("data").as_array().size(), 1u);
  EXPECT_EQ(clients.json.at("data").as_array()[0].at("name"), "Acme");
  auto all = member.Get("/api/v1/integrations");
  for (const auto& integration : all.json.at("data").as_array()) {
    EXPECT_NE(integration.at("name"), "Globex");
  }
}

TEST_F(Access, RequestsWithoutValidCredentialsAreRefused) {
  HttpClient anonymous = stack_->Anonymous();
  auto none = anonymous.Get("/api/v1/integrations");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.json.at("error").at("code"), "unauthenticated");
  HttpClient forged = stack_->Anonymous();
  forged.set_token("slt_forged");
  EXPECT_EQ(forged.Get("/api/v1/integrations").status, 401);
}

TEST_F(Access, BrowserSessionNeedsTheCsrfTokenToChangeAnything) {
  HttpClient browser = stack_->Anonymous();
  auto wrong = browser.Post("/api/v1/auth/login",
                            object{{"email", "admin@localhost"}, {"password", "wrong-password"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json.at("error").at("message"), "Email or password is incorrect.");

  auto login = browser.Post("/api/v1/auth/login", object{{"email", "admin@localhost"},
                                                         {"password", Stack::kAdminPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  std::string set_cookie = login.headers["set-cookie"];
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  std::string csrf(login.json.at("csrf_token").as_string());

  auto read = browser.Send("GET", "/api/v1/integrations", "", {{"Cookie", cookie}});
  EXPECT_EQ(read.status, 200);
  std::string body = boost::json::serialize(NewIntegration("From the page"));
  auto without = browser.Send("POST", "/api/v1/integrations", body, {{"Cookie", cookie}});
  EXPECT_EQ(without.status, 403);
  EXPECT_EQ(without.json.at("error").at("code"), "csrf_failed");
  auto forged = browser.Send("POST", "/api/v1/integrations", body,
                             {{"Cookie", cookie}, {"X-CSRF-Token", "forged"}});
  EXPECT_EQ(forged.status, 403);
  auto with = browser.Send("POST", "/api/v1/integrations", body,
                           {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(with.status, 201) << with.body;

  auto session = browser.Send("GET", "/api/v1/auth/session", "", {{"Cookie", cookie}});
  EXPECT_EQ(session.json.at("csrf_token"), value(csrf));
  auto logout = browser.Send("POST", "/api/v1/auth/logout", "",
                             {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(logout.status, 200);
  EXPECT_EQ(browser.Send("GET", "/api/v1/integrations", "", {{"Cookie", cookie}}).status, 401);
}

TEST_F(Access, AdminsManageUsersAndTokensAreShownOnce) {
  auto created = stack_->api().Post("/api/v1/users", object{{"email", "New.Person@Example.com"},
                                                            {"role", "viewer"},
                                                            {"password", "long-enough-1"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json.at("user").at("email"), "new.person@example.com");
  auto duplicate = stack_->api().Post("/api/v1/users", object{{"email", "new.person@example.com"},
                                                              {"role", "viewer"},
                                                              {"password", "long-enough-1"}});
  EXPECT_EQ(duplicate.status, 409);
  auto weak = stack_->api().Post("/api/v1/users", object{{"email", "weak@example.com"},
                                                         {"role", "viewer"},
                                                         {"password", "short"}});
  EXPECT_EQ(weak.status, 422);

  auto token = stack_->api().Post("/api/v1/tokens", object{{"name", "pipeline"}});
  ASSERT_EQ(token.status, 201) << token.body;
  std::string secret(token.json.at("token").as_string());
  EXPECT_TRUE(secret.starts_with("slt_"));
  auto listed = stack_->api().Get("/api/v1/tokens");
  EXPECT_EQ(listed.body.find(secret), std::string::npos);
  HttpClient program = stack_->Anonymous();
  program.set_token(secret);
  EXPECT_EQ(program.Get("/api/v1/integrations").status, 200);
  std::string token_id(token.json.at("api_token").at("id").as_string());
  EXPECT_EQ(stack_->api().Delete("/api/v1/tokens/" + token_id).status, 200);
  EXPECT_EQ(program.Get("/api/v1/integrations").status, 401);
}

}  // namespace
}  // namespace stripeline::testing
