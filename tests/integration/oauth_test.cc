// Stripe Connect OAuth end to end over real processes: `stripeline serve` configured with the
// emulator's Connect platform, a "browser" (its own cookies: session and OAuth binding) that
// starts an authorization, opens the emulator's authorize page, approves or denies, and follows
// the redirect to the callback. Every branch of issue 5: approve, deny, replayed callback,
// unknown state, another browser's state, used and expired codes, invalid_client, manual entry
// with a good and a bad refresh token, Account ID with a revoked or unknown account, delete that
// deauthorizes (and says when that fails), deauthorization by webhook and by the events poll,
// Stripe's single-platform policy; then a sync of the connected account equal to the emulator.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "common/http_message.h"
#include "integration/harness.h"
#include "store/sqlite/sqlite_database.h"

namespace stripeline::testing {
namespace {

using boost::json::object;
using boost::json::value;

constexpr char kConnectClientId[] = "ca_emu_demo_connect_0000000000000000";
constexpr char kWebhookSecret[] = "whsec_oauth_integration_0123456789abcdef";

// The first value of query parameter `name` in `url`.
std::string QueryParam(const std::string& url, const std::string& name) {
  size_t question = url.find('?');
  if (question == std::string::npos) return "";
  for (const auto& [key, v] : ParseFormEncoded(url.substr(question + 1))) {
    if (key == name) return v;
  }
  return "";
}

// The error code a callback page or an API error names.
std::string PageError(const HttpResult& page) {
  std::smatch match;
  if (std::regex_search(page.body, match, std::regex("data-error=\"([a-z_]+)\""))) return match[1];
  return "<none>";
}
std::string ApiError(const HttpResult& result) {
  return result.json.is_object() && result.json.as_object().contains("error")
             ? Str(result.json.at("error").at("code"))
             : "<none>";
}

// A browser: its cookies (the session's, and the OAuth binding cookie) and its CSRF token.
class Browser {
 public:
  explicit Browser(const Stack& stack)
      : server_(stack.server_url()), emulator_(stack.emulator_url()) {}

  void SignIn() {
    auto login = server_.Post("/api/v1/auth/login", object{{"email", "admin@localhost"},
                                                           {"password", Stack::kAdminPassword}});
    ASSERT_EQ(login.status, 200) << login.body;
    Remember(login);
    csrf_ = Str(login.json.at("csrf_token"));
  }

  HttpResult Start(const object& body) {
    auto started = server_.Send("POST", "/api/v1/oauth/stripe/start", boost::json::serialize(body),
                                {{"Cookie", Cookies()}, {"X-CSRF-Token", csrf_}});
    Remember(started);
    return started;
  }

  // Starts with `body` and returns the authorize URL (failing the test on an error).
  std::string StartUrl(const object& body) {
    auto started = Start(body);
    EXPECT_EQ(started.status, 200) << started.body;
    return started.status == 200 ? Str(started.json.at("authorize_url")) : "";
  }

  // Opens the authorize page, picks `account` ("new": create one) and presses approve or deny;
  // returns where Stripe sends the browser back (the 302's Location).
  std::string Authorize(const std::string& authorize_url, const std::string& account,
                        const std::string& decision) {
    HttpClient direct("");
    auto page = direct.Get(authorize_url);
    EXPECT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("id=\"account-" + account + "\""), std::string::npos) << page.body;
    Fields form;
    static const std::regex kHidden(R"re(<input type="hidden" name="([a-z_]+)" value="([^"]*)">)re");
    for (std::sregex_iterator it(page.body.begin(), page.body.end(), kHidden), end; it != end;
         ++it) {
      form.emplace_back((*it)[1], (*it)[2]);  // url-safe values: nothing was HTML-escaped
    }
    form.emplace_back("account", account);
    form.emplace_back("decision", decision);
    auto decided = emulator_.PostForm("/oauth/authorize", EncodeForm(form));
    EXPECT_EQ(decided.status, 302) << decided.body;
    return decided.headers["location"];
  }

  // Follows the redirect to Stripeline's callback with this browser's cookies.
  HttpResult Callback(const std::string& location) {
    HttpClient direct("");
    return direct.Send("GET", location, "", {{"Cookie", Cookies()}});
  }

  // Start, approve `account`, follow the callback.
  HttpResult Connect(const std::string& name, const std::string& account) {
    return Callback(Authorize(StartUrl(object{{"name", name}}), account, "approve"));
  }

 private:
  void Remember(const HttpResult& result) {
    auto it = result.headers.find("set-cookie");
    if (it == result.headers.end()) return;
    std::string pair = it->second.substr(0, it->second.find(';'));
    cookies_[pair.substr(0, pair.find('='))] = pair;
  }
  std::string Cookies() const {
    std::string joined;
    for (const auto& [name, pair] : cookies_) joined += (joined.empty() ? "" : "; ") + pair;
    return joined;
  }

  HttpClient server_, emulator_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

class OAuth : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new Stack(StackOptions{
        .emulator_args = {"--objects", "40"},
        .serve_args = {"--sync-interval", "0", "--rate-limit-test", "2000"}});
    auto saved = stack_->api().Send("PUT", "/api/v1/settings/stripe-connect",
                                    boost::json::serialize(object{
                                        {"client_id", kConnectClientId},
                                        {"secret_key", kSecretKey},
                                        {"redirect_url", CallbackUrl()},
                                        {"scope", "read_only"}}));
    ASSERT_EQ(saved.status, 200) << saved.body;
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  // No token or refresh token may reach the log.
  void TearDown() override {
    const std::string log = stack_->ReadServerLog();
    EXPECT_EQ(log.find("rt_emu_"), std::string::npos) << "a refresh token is in the server log";
    EXPECT_EQ(log.find(kSecretKey), std::string::npos) << "the platform key is in the server log";
  }

  static std::string CallbackUrl() { return stack_->server_url() + "/oauth/stripe/callback"; }
  HttpClient& api() { return stack_->api(); }
  HttpClient& emulator() { return stack_->emulator(); }
  Browser SignedIn() {
    Browser browser(*stack_);
    browser.SignIn();
    return browser;
  }

  size_t IntegrationCount() {
    auto list = api().Get("/api/v1/integrations");
    EXPECT_EQ(list.status, 200) << list.body;
    return list.json.at("data").as_array().size();
  }
  object Integration(const std::string& id) {
    auto shown = api().Get("/api/v1/integrations/" + id);
    EXPECT_EQ(shown.status, 200) << shown.body;
    return shown.status == 200 ? shown.json.at("integration").as_object() : object{};
  }
  // The integration id a successful callback page names.
  static std::string AddedId(const HttpResult& page) {
    std::smatch match;
    if (std::regex_search(page.body, match, std::regex("data-integration-id=\"(int_[a-z0-9]+)\""))) {
      return match[1];
    }
    ADD_FAILURE() << "no integration on the page: " << page.body;
    return "";
  }

  // Approves `account` on the emulator's page and exchanges the code at the token endpoint
  // directly, as a platform would: the token response.
  HttpResult GrantDirectly(const std::string& account) {
    Browser browser = SignedIn();
    std::string location = browser.Authorize(
        stack_->emulator_url() + "/oauth/authorize?" +
            EncodeForm({{"response_type", "code"}, {"client_id", kConnectClientId},
                        {"scope", "read_only"}, {"state", "direct"},
                        {"redirect_uri", "http://127.0.0.1:9/back"}}),
        account, "approve");
    return TokenRequest("grant_type=authorization_code&code=" + QueryParam(location, "code"));
  }
  HttpResult TokenRequest(const std::string& form, const std::string& key = kSecretKey) {
    return emulator().Send("POST", "/oauth/token", form,
                           {{"Content-Type", "application/x-www-form-urlencoded"},
                            {"Authorization", "Bearer " + key}});
  }
  // GET /v1/account with `key` (acting for `account` when given): the HTTP status.
  int AccountStatus(const std::string& key, const std::string& account = "") {
    std::vector<std::pair<std::string, std::string>> headers{{"Authorization", "Bearer " + key}};
    if (!account.empty()) headers.emplace_back("Stripe-Account", account);
    return emulator().Send("GET", "/v1/account", "", headers).status;
  }

  // The stored row of an integration, straight from the database.
  std::string SealedCredentials(const std::string& id) {
    auto db = store::sqlite::SqliteDatabase::Open((stack_->data_dir() / "stripeline.db").string());
    EXPECT_TRUE(db.ok());
    auto rows = (*db)->Query("SELECT credentials_sealed FROM integrations WHERE id = $1", {id});
    EXPECT_TRUE(rows.ok() && !rows->empty());
    return rows.ok() && !rows->empty() ? (*rows)[0].GetString(0) : "";
  }
  int64_t SyncedRows(const std::string& stream, const std::string& account) {
    auto db = store::sqlite::SqliteDatabase::Open((stack_->data_dir() / "stripeline.db").string());
    EXPECT_TRUE(db.ok());
    auto rows = (*db)->Query(
        "SELECT COUNT(*) FROM stripe_" + stream + " WHERE account_id = $1 AND deleted = 0",
        {account});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? (*rows)[0].GetInt(0) : -1;
  }

  // Connects a new account of the platform as integration `name`: {id, account}, empty when
  // it failed (the test has then failed too).
  std::pair<std::string, std::string> ConnectNewAccount(Browser& browser, const std::string& name) {
    auto page = browser.Connect(name, "new");
    EXPECT_EQ(page.status, 200) << page.body;
    if (page.status != 200) return {};
    std::string id = AddedId(page);
    return {id, Str(Integration(id).at("stripe_account").at("id"))};
  }

  // `stripeline <args>` on this stack's data directory, the emulator as Stripe and Connect.
  CommandResult Cli(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.end(), {"--stripe-connect-base", stack_->emulator_url()});
    return RunCli(stack_->CliArgs(std::move(args)), input);
  }

  static Stack* stack_;
};

Stack* OAuth::stack_ = nullptr;

TEST_F(OAuth, SettingsAreValidatedAndTheKeyNeverShown) {
  auto put = [&](object body) {
    return api().Send("PUT", "/api/v1/settings/stripe-connect", boost::json::serialize(body));
  };
  object good{{"client_id", kConnectClientId},
              {"secret_key", kSecretKey},
              {"redirect_url", CallbackUrl()},
              {"scope", "read_only"}};
  object bad = good;
  bad["client_id"] = "client_123";
  EXPECT_EQ(ApiError(put(bad)), "invalid_client_id");
  bad = good;
  bad["secret_key"] = kRestrictedKey;
  EXPECT_EQ(ApiError(put(bad)), "invalid_secret_key");
  bad = good;
  bad["secret_key"] = "sk_test_emu_not_a_real_key_000000000000";
  auto refused = put(bad);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(ApiError(refused), "invalid_secret_key") << refused.body;
  bad = good;
  bad["redirect_url"] = "https://elsewhere.example/";
  EXPECT_EQ(ApiError(put(bad)), "invalid_redirect_url");
  bad = good;
  bad["scope"] = "admin";
  EXPECT_EQ(ApiError(put(bad)), "invalid_scope");

  auto shown = api().Get("/api/v1/settings/stripe-connect");
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json.at("client_id"), kConnectClientId);
  EXPECT_EQ(shown.json.at("platform_account_id"), "acct_emu_demo");
  EXPECT_EQ(shown.json.at("secret_key"), "sk_test_...0000");
  EXPECT_EQ(shown.body.find(kSecretKey), std::string::npos);
  HttpClient member = stack_->ClientFor("member-oauth@example.com", "member");
  EXPECT_EQ(member.Get("/api/v1/settings/stripe-connect").status, 403);
  EXPECT_EQ(member.Send("PUT", "/api/v1/settings/stripe-connect",
                        boost::json::serialize(good)).status, 403);
}

TEST_F(OAuth, ApproveAddsTheIntegrationWithSealedTokensAndAReplayIsRefused) {
  Browser browser = SignedIn();
  auto started = browser.Start(object{{"name", "Northwind via OAuth"}, {"client_id", nullptr}});
  ASSERT_EQ(started.status, 200) << started.body;
  std::string url = Str(started.json.at("authorize_url"));
  EXPECT_TRUE(url.starts_with(stack_->emulator_url() + "/oauth/authorize?")) << url;
  EXPECT_EQ(QueryParam(url, "response_type"), "code");
  EXPECT_EQ(QueryParam(url, "client_id"), kConnectClientId);
  EXPECT_EQ(QueryParam(url, "scope"), "read_only");
  EXPECT_EQ(QueryParam(url, "redirect_uri"), CallbackUrl());
  EXPECT_GE(QueryParam(url, "state").size(), 40u);
  std::string cookie = started.headers["set-cookie"];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;

  size_t before = IntegrationCount();
  std::string location = browser.Authorize(url, "acct_emu_connected_1", "approve");
  EXPECT_TRUE(location.starts_with(CallbackUrl() + "?")) << location;
  EXPECT_TRUE(QueryParam(location, "code").starts_with("ac_")) << location;
  EXPECT_EQ(QueryParam(location, "state"), QueryParam(url, "state"));

  auto page = browser.Callback(location);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.headers["content-type"].find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("Integration added"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("acct_emu_connected_1"), std::string::npos) << page.body;
  std::string id = AddedId(page);
  EXPECT_EQ(IntegrationCount(), before + 1);
  object integration = Integration(id);
  EXPECT_EQ(integration.at("auth_scheme"), "oauth");
  EXPECT_EQ(integration.at("name"), "Northwind via OAuth");
  EXPECT_EQ(Str(integration.at("stripe_account").at("id")), "acct_emu_connected_1");
  EXPECT_EQ(integration.at("stripe_account").at("name"), "Northwind Coffee");
  EXPECT_EQ(integration.at("health").at("state"), "ok");
  EXPECT_TRUE(Str(integration.at("secret_key_masked")).starts_with("sk_test_..."));
  // Tokens are sealed: the row holds no token in clear, the API never returns one.
  std::string sealed = SealedCredentials(id);
  EXPECT_FALSE(sealed.empty());
  for (const char* token : {"sk_test_emu_oauth_", "rt_emu_"}) {
    EXPECT_EQ(sealed.find(token), std::string::npos);
    EXPECT_EQ(api().Get("/api/v1/integrations/" + id).body.find(token), std::string::npos);
  }
  auto tested = api().Post("/api/v1/integrations/" + id + "/test");
  EXPECT_EQ(tested.json.at("available"), true) << tested.body;
  EXPECT_EQ(ApiError(api().Patch("/api/v1/integrations/" + id,
                                 object{{"secret_key", kSecretKey}})),
            "oauth_credentials_fixed");
  auto renamed = api().Patch("/api/v1/integrations/" + id, object{{"name", "Northwind (OAuth)"}});
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(api().Post("/api/v1/integrations/" + id + "/test").json.at("available"), true)
      << "the sealed grant survives an edit";

  auto replayed = browser.Callback(location);
  EXPECT_EQ(replayed.status, 400) << replayed.body;
  EXPECT_EQ(PageError(replayed), "oauth_state_used");
  EXPECT_EQ(IntegrationCount(), before + 1);
}

TEST_F(OAuth, DenyEndsOnAClearPageAndStoresNothing) {
  Browser browser = SignedIn();
  size_t before = IntegrationCount();
  std::string location =
      browser.Authorize(browser.StartUrl(object{{"name", "Denied"}}), "acct_emu_connected_1", "deny");
  EXPECT_EQ(QueryParam(location, "error"), "access_denied");
  EXPECT_EQ(QueryParam(location, "code"), "");
  auto page = browser.Callback(location);
  EXPECT_EQ(page.status, 400) << page.body;
  EXPECT_EQ(PageError(page), "access_denied");
  EXPECT_NE(page.body.find("You declined the connection in Stripe"), std::string::npos);
  EXPECT_EQ(IntegrationCount(), before);
  EXPECT_EQ(PageError(browser.Callback(location)), "oauth_state_used");
}

TEST_F(OAuth, UnknownOrMissingStateAnswers400AndStoresNothing) {
  Browser browser = SignedIn();
  size_t before = IntegrationCount();
  for (std::string query : {"?code=ac_forged&state=not-a-state", "?code=ac_forged", ""}) {
    auto page = browser.Callback(CallbackUrl() + query);
    EXPECT_EQ(page.status, 400) << query << ": " << page.body;
    EXPECT_EQ(PageError(page), "oauth_state_unknown") << query;
  }
  EXPECT_EQ(IntegrationCount(), before);
}

TEST_F(OAuth, AStateFromAnotherBrowserIsRefusedAndStaysUsableWhereItStarted) {
  Browser owner = SignedIn();
  Browser other = SignedIn();
  other.StartUrl(object{{"name", "Other browser's own flow"}});  // it has a binding of its own
  size_t before = IntegrationCount();
  std::string location = owner.Authorize(owner.StartUrl(object{{"name", "Owner's"}}),
                                         "acct_emu_connected_1", "approve");
  auto stolen = other.Callback(location);
  EXPECT_EQ(stolen.status, 400) << stolen.body;
  EXPECT_EQ(PageError(stolen), "oauth_state_other_browser");
  HttpClient no_cookies("");
  EXPECT_EQ(PageError(no_cookies.Get(location)), "oauth_state_other_browser");
  EXPECT_EQ(IntegrationCount(), before);
  auto finished = owner.Callback(location);
  EXPECT_EQ(finished.status, 200) << finished.body;
  EXPECT_EQ(IntegrationCount(), before + 1);
}

TEST_F(OAuth, AUsedCodeIsInvalidGrantAndRevokesWhatItIssued) {
  // At the token endpoint: Stripe's exact body, and the first exchange's tokens revoked.
  HttpResult first = GrantDirectly("acct_emu_connected_2");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json.at("token_type"), "bearer");
  EXPECT_EQ(first.json.at("stripe_user_id"), "acct_emu_connected_2");
  EXPECT_EQ(first.json.at("scope"), "read_only");
  EXPECT_EQ(first.json.at("livemode"), false);
  EXPECT_TRUE(Str(first.json.at("refresh_token")).starts_with("rt_"));
  EXPECT_TRUE(Str(first.json.at("stripe_publishable_key")).starts_with("pk_test_"));
  std::string access = Str(first.json.at("access_token"));
  EXPECT_EQ(AccountStatus(access), 200);

  Browser browser = SignedIn();
  size_t before = IntegrationCount();
  std::string location = browser.Authorize(browser.StartUrl(object{{"name", "Used code"}}),
                                           "acct_emu_connected_2", "approve");
  std::string code = QueryParam(location, "code");
  ASSERT_EQ(TokenRequest("grant_type=authorization_code&code=" + code).status, 200);
  auto again = TokenRequest("grant_type=authorization_code&code=" + code);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(again.json, (boost::json::parse(
                            R"({"error":"invalid_grant","error_description":"This authorization )"
                            R"(code has already been used. All tokens issued with this code have )"
                            R"(been revoked."})")));
  // Stripeline meets the used code at its callback: a clear page, nothing stored.
  auto page = browser.Callback(location);
  EXPECT_EQ(page.status, 400) << page.body;
  EXPECT_EQ(PageError(page), "invalid_grant");
  EXPECT_NE(page.body.find("already been used"), std::string::npos) << page.body;
  EXPECT_EQ(IntegrationCount(), before);
  EXPECT_EQ(AccountStatus(access), 200) << "another code's tokens must stay valid";
}

TEST_F(OAuth, AnExpiredCodeIsInvalidGrant) {
  Browser browser = SignedIn();
  size_t before = IntegrationCount();
  std::string location = browser.Authorize(browser.StartUrl(object{{"name", "Slow"}}),
                                           "acct_emu_connected_2", "approve");
  ASSERT_EQ(emulator().PostForm("/_emulator/clock/advance", "seconds=301").status, 200);
  auto page = browser.Callback(location);
  EXPECT_EQ(page.status, 400) << page.body;
  EXPECT_EQ(PageError(page), "invalid_grant");
  EXPECT_NE(page.body.find("Authorization code expired"), std::string::npos) << page.body;
  EXPECT_EQ(IntegrationCount(), before);
}

TEST_F(OAuth, TheTokenEndpointAnswersStripesErrorBodies) {
  auto no_auth = emulator().Send("POST", "/oauth/token", "grant_type=authorization_code&code=ac_x",
                                 {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(no_auth.status, 401);
  EXPECT_EQ(no_auth.json.at("error"), "invalid_client");
  auto wrong_key = TokenRequest("grant_type=authorization_code&code=ac_x",
                                "sk_test_emu_wrong_000000000000000000000");
  EXPECT_EQ(wrong_key.status, 401);
  EXPECT_EQ(wrong_key.json.at("error"), "invalid_client");
  EXPECT_TRUE(wrong_key.json.at("error_description").is_string());
  auto unknown = TokenRequest("grant_type=authorization_code&code=ac_unknown");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json.at("error"), "invalid_grant");
  EXPECT_EQ(TokenRequest("grant_type=password").json.at("error"), "unsupported_grant_type");
  EXPECT_EQ(TokenRequest("grant_type=refresh_token").json.at("error"), "invalid_request");
  // The authorize page's own refusals.
  HttpClient direct("");
  auto bad_client = direct.Get(stack_->emulator_url() +
                               "/oauth/authorize?response_type=code&client_id=ca_nope&"
                               "redirect_uri=http://127.0.0.1:9/back");
  EXPECT_EQ(bad_client.status, 400);
  EXPECT_NE(bad_client.body.find("No such application"), std::string::npos);
  auto bad_scope = direct.Get(stack_->emulator_url() + "/oauth/authorize?response_type=code&" +
                              "client_id=" + kConnectClientId +
                              "&scope=everything&state=s1&redirect_uri=http://127.0.0.1:9/back");
  EXPECT_EQ(bad_scope.status, 302);
  EXPECT_EQ(QueryParam(bad_scope.headers["location"], "error"), "invalid_scope");
  EXPECT_EQ(QueryParam(bad_scope.headers["location"], "state"), "s1");
}

TEST_F(OAuth, ManualEntryExchangesTheRefreshTokenOrSaysWhy) {
  HttpResult granted = GrantDirectly("acct_emu_connected_2");
  ASSERT_EQ(granted.status, 200) << granted.body;
  std::string refresh = Str(granted.json.at("refresh_token"));
  object body{{"type", "stripe"},
              {"name", "Bluebird by hand"},
              {"auth_scheme", "oauth"},
              {"oauth_client_id", kConnectClientId},
              {"oauth_client_secret", kSecretKey},
              {"refresh_token", refresh}};
  size_t before = IntegrationCount();

  object bad_token = body;
  bad_token["refresh_token"] = "rt_emu_not_issued_0000000000000";
  auto refused = api().Post("/api/v1/integrations", bad_token);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(ApiError(refused), "invalid_grant");
  EXPECT_NE(Str(refused.json.at("error").at("message")).find("Invalid refresh token"),
            std::string::npos);
  object bad_secret = body;
  bad_secret["oauth_client_secret"] = "sk_test_emu_wrong_000000000000000000000";
  EXPECT_EQ(ApiError(api().Post("/api/v1/integrations", bad_secret)), "invalid_client");
  object other_app = body;
  other_app["oauth_client_id"] = "ca_some_other_application";
  EXPECT_EQ(ApiError(api().Post("/api/v1/integrations", other_app)), "invalid_client");
  EXPECT_EQ(IntegrationCount(), before);

  auto added = api().Post("/api/v1/integrations", body);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json.at("message"), "Integration added");
  EXPECT_EQ(added.json.at("integration").at("auth_scheme"), "oauth");
  EXPECT_EQ(added.json.at("integration").at("stripe_account").at("id"), "acct_emu_connected_2");
  EXPECT_EQ(added.body.find(refresh), std::string::npos);
  EXPECT_EQ(IntegrationCount(), before + 1);
}

TEST_F(OAuth, AccountIdActsForAConnectedAccountAndNamesARevokedOrUnknownOne) {
  // A new connected account of the platform, reached with the platform key and Stripe-Account.
  Browser browser = SignedIn();
  std::string location = browser.Authorize(browser.StartUrl(object{{"name", "Account ID"}}),
                                           "new", "approve");
  auto page = browser.Callback(location);
  ASSERT_EQ(page.status, 200) << page.body;
  std::string account = Str(Integration(AddedId(page)).at("stripe_account").at("id"));

  auto added = api().Post("/api/v1/integrations", object{{"name", "Platform acting for it"},
                                                         {"secret_key", kSecretKey},
                                                         {"account_id", account}});
  ASSERT_EQ(added.status, 201) << added.body;
  std::string id = Str(added.json.at("integration").at("id"));
  EXPECT_EQ(Str(added.json.at("integration").at("stripe_account").at("id")), account);

  auto unknown = api().Post("/api/v1/integrations", object{{"name", "Unknown account"},
                                                           {"secret_key", kSecretKey},
                                                           {"account_id", "acct_emu_nobody"}});
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  std::string message = Str(unknown.json.at("error").at("message"));
  EXPECT_NE(message.find("does not have access to account 'acct_emu_nobody'"), std::string::npos)
      << message;

  ASSERT_EQ(emulator().Post("/_emulator/accounts/" + account + "/disconnect").status, 200);
  EXPECT_EQ(AccountStatus(kSecretKey, account), 403);
  auto tested = api().Post("/api/v1/integrations/" + id + "/test");
  ASSERT_EQ(tested.status, 200) << tested.body;
  EXPECT_EQ(tested.json.at("available"), false);
  EXPECT_EQ(tested.json.at("integration").at("health").at("state"), "needs_reconnect");
  std::string reason = Str(tested.json.at("integration").at("health").at("reason"));
  EXPECT_NE(reason.find("Access was revoked in Stripe"), std::string::npos) << reason;
  EXPECT_NE(reason.find("Application access may have been revoked"), std::string::npos) << reason;
}

TEST_F(OAuth, DeleteDeauthorizesAtStripeAndSaysWhenThatFails) {
  Browser browser = SignedIn();
  auto page = browser.Callback(
      browser.Authorize(browser.StartUrl(object{{"name", "To delete"}}), "new", "approve"));
  ASSERT_EQ(page.status, 200) << page.body;
  std::string id = AddedId(page);
  std::string account = Str(Integration(id).at("stripe_account").at("id"));
  EXPECT_EQ(AccountStatus(kSecretKey, account), 200);
  auto deleted = api().Delete("/api/v1/integrations/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Str(deleted.json.at("message")),
            "Integration deleted; its access to Stripe account " + account + " was revoked");
  EXPECT_EQ(AccountStatus(kSecretKey, account), 403) << "the grant must be gone at Stripe";

  // Revoked in Stripe already: the delete still happens and says Stripe did not confirm.
  page = browser.Callback(
      browser.Authorize(browser.StartUrl(object{{"name", "Already revoked"}}), "new", "approve"));
  ASSERT_EQ(page.status, 200) << page.body;
  id = AddedId(page);
  account = Str(Integration(id).at("stripe_account").at("id"));
  ASSERT_EQ(emulator().Post("/_emulator/accounts/" + account + "/deauthorize").status, 200);
  deleted = api().Delete("/api/v1/integrations/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  std::string message = Str(deleted.json.at("message"));
  EXPECT_TRUE(message.starts_with("Integration deleted, but Stripe did not revoke its access"))
      << message;
  EXPECT_NE(message.find("invalid_client"), std::string::npos) << message;
  EXPECT_EQ(api().Get("/api/v1/integrations/" + id).status, 404);
  auto audit = api().Get("/api/v1/audit");
  EXPECT_NE(audit.body.find("\"deauthorized\":false"), std::string::npos) << audit.body;
}

TEST_F(OAuth, TheSinglePlatformPolicyIsExplainedAndNothingIsKept) {
  Browser browser = SignedIn();
  size_t before = IntegrationCount();
  // The user means Bluebird Books, but Stripe's page created a new account.
  std::string url =
      browser.StartUrl(object{{"name", "Bluebird"}, {"expected_account", "acct_emu_connected_2"}});
  auto page = browser.Callback(browser.Authorize(url, "new", "approve"));
  EXPECT_EQ(page.status, 409) << page.body;
  EXPECT_EQ(PageError(page), "oauth_account_mismatch");
  EXPECT_NE(page.body.find("single-platform policy"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("restricted API key"), std::string::npos) << page.body;
  EXPECT_EQ(IntegrationCount(), before);
  std::smatch created;
  ASSERT_TRUE(std::regex_search(page.body, created, std::regex("connected account (acct_emu_[A-Za-z0-9]+)")));
  EXPECT_EQ(AccountStatus(kSecretKey, created[1]), 403) << "the unwanted grant is given back";
  auto bad = browser.Start(object{{"name", "x"}, {"expected_account", "bluebird"}});
  EXPECT_EQ(ApiError(bad), "invalid_account_id");
}

TEST_F(OAuth, DeauthorizationByWebhookTurnsTheIntegrationNeedsReconnect) {
  Browser browser = SignedIn();
  auto page = browser.Callback(
      browser.Authorize(browser.StartUrl(object{{"name", "Webhooked"}}), "new", "approve"));
  ASSERT_EQ(page.status, 200) << page.body;
  std::string id = AddedId(page);
  std::string account = Str(Integration(id).at("stripe_account").at("id"));
  ASSERT_EQ(api().Post("/api/v1/integrations/" + id + "/webhook-secret",
                       object{{"secret", kWebhookSecret}}).status, 200);
  auto endpoint = emulator().Post("/_emulator/webhook_endpoints",
                                  object{{"url", stack_->server_url() + "/webhooks/stripe/" + id},
                                         {"account", account},
                                         {"secret", kWebhookSecret}});
  ASSERT_EQ(endpoint.status, 200) << endpoint.body;

  ASSERT_EQ(emulator().Post("/_emulator/accounts/" + account + "/deauthorize").status, 200);
  ASSERT_TRUE(WaitUntil([&] { return Integration(id).at("health").at("state") == "needs_reconnect"; },
                        30, "the deauthorized webhook to be applied"));
  object integration = Integration(id);
  EXPECT_EQ(integration.at("health").at("reason"), "Access was revoked in Stripe");
  EXPECT_EQ(integration.at("active"), true) << "the integration and its data are kept";
  auto events = api().Get("/api/v1/integrations/" + id + "/webhook");
  EXPECT_EQ(events.json.at("webhook").at("events").at("applied"), 1) << events.body;
}

TEST_F(OAuth, AConnectedAccountSyncsEqualToStripeAndAnEventsPollSeesTheRevocation) {
  Browser browser = SignedIn();
  auto page = browser.Callback(
      browser.Authorize(browser.StartUrl(object{{"name", "Synced via OAuth"}}), "new", "approve"));
  ASSERT_EQ(page.status, 200) << page.body;
  std::string id = AddedId(page);
  std::string account = Str(Integration(id).at("stripe_account").at("id"));

  value run = SyncViaApi(api(), id);
  ASSERT_TRUE(run.is_object());
  EXPECT_EQ(run.at("status"), "succeeded") << boost::json::serialize(run);
  // Compared with what the emulator lists for that account (a key of its own, as reference).
  auto key = emulator().PostForm("/_emulator/keys", "account=" + account + "&kind=secret");
  ASSERT_EQ(key.status, 200) << key.body;
  std::vector<std::string> streams = {"account"};
  streams.insert(streams.end(), kListStreams.begin(), kListStreams.end());
  EXPECT_TRUE(SyncedContentEqualsEmulator(stack_->data_dir() / "stripeline.db",
                                          stack_->emulator_url(), Str(key.json.at("key")), account,
                                          streams));
  int64_t charges = SyncedRows("charges", account);
  EXPECT_GT(charges, 0);

  // Revoked in Stripe, with no webhook: the next sync's events poll meets the revocation.
  ASSERT_EQ(emulator().Post("/_emulator/accounts/" + account + "/deauthorize").status, 200);
  run = SyncViaApi(api(), id);
  ASSERT_TRUE(run.is_object());
  EXPECT_NE(run.at("status"), "succeeded") << boost::json::serialize(run);
  object integration = Integration(id);
  EXPECT_EQ(integration.at("health").at("state"), "needs_reconnect");
  EXPECT_NE(Str(integration.at("health").at("reason")).find("Access was revoked in Stripe"),
            std::string::npos)
      << integration.at("health");
  EXPECT_EQ(SyncedRows("charges", account), charges) << "the synced data is kept";
}

TEST_F(OAuth, CliShowsAndSetsTheConnectSettingsWithTheKeyNeverOnTheCommandLine) {
  auto shown = Cli({"stripe-connect", "show", "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  auto json = boost::json::parse(shown.out);
  EXPECT_EQ(json.at("configured"), true);
  EXPECT_EQ(json.at("client_id"), kConnectClientId);
  EXPECT_EQ(json.at("secret_key"), "sk_test_...0000");
  EXPECT_EQ(shown.out.find(kSecretKey), std::string::npos);

  std::vector<std::string> set = {"stripe-connect", "set", "--client-id", kConnectClientId,
                                  "--redirect-url", CallbackUrl(), "--scope", "read_only"};
  auto bad_id = Cli({"stripe-connect", "set", "--client-id", "client_123", "--redirect-url",
                     CallbackUrl()},
                    std::string(kSecretKey) + "\n");
  EXPECT_EQ(bad_id.exit_code, 2);
  EXPECT_NE(bad_id.err.find("ca_"), std::string::npos) << bad_id.err;
  auto refused = Cli(set, "sk_test_emu_not_a_real_key_000000000000\n");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("invalid_secret_key"), std::string::npos) << refused.err;
  auto none = Cli(set, "");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("No platform secret key given"), std::string::npos) << none.err;
  auto on_argv = Cli({"stripe-connect", "set", "--client-id", kConnectClientId, "--redirect-url",
                      CallbackUrl(), "--secret-key", kSecretKey});
  EXPECT_NE(on_argv.exit_code, 0) << "there is no option that takes the key as an argument";
  EXPECT_EQ(Str(boost::json::parse(Cli({"stripe-connect", "show", "--json"}).out)
                    .at("redirect_url")),
            CallbackUrl())
      << "nothing refused changed the settings";

  auto saved = Cli(set, std::string(kSecretKey) + "\n");
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_NE(saved.out.find("Stripe Connect settings saved"), std::string::npos) << saved.out;
  EXPECT_NE(saved.out.find("acct_emu_demo"), std::string::npos) << saved.out;
  EXPECT_EQ(saved.out.find(kSecretKey), std::string::npos);
  const auto key_file = stack_->data_dir() / "platform-key.txt";
  {
    std::ofstream(key_file) << kSecretKey << "\n";
  }
  std::vector<std::string> from_file = set;
  from_file.insert(from_file.end(), {"--secret-file", key_file.string(), "--json"});
  auto filed = Cli(from_file);
  ASSERT_EQ(filed.exit_code, 0) << filed.err;
  EXPECT_EQ(boost::json::parse(filed.out).at("message"), "Stripe Connect settings saved");
  from_file[from_file.size() - 2] = (stack_->data_dir() / "missing.txt").string();
  auto missing = Cli(from_file);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("Cannot read the platform secret key"), std::string::npos)
      << missing.err;
  auto audit = api().Get("/api/v1/audit");
  EXPECT_NE(audit.body.find("settings.stripe_connect_updated"), std::string::npos);
  EXPECT_EQ(audit.body.find(kSecretKey), std::string::npos);
}

TEST_F(OAuth, CliManualEntryExchangesTheRefreshTokenBeforeSaving) {
  HttpResult granted = GrantDirectly("acct_emu_connected_2");
  ASSERT_EQ(granted.status, 200) << granted.body;
  const std::string refresh = Str(granted.json.at("refresh_token"));
  std::vector<std::string> add = {"integrations", "add-oauth", "--name", "Bluebird (CLI)",
                                  "--connect-client-id", kConnectClientId, "--json"};
  size_t before = IntegrationCount();

  auto bad_token = Cli(add, std::string(kSecretKey) + "\nrt_emu_not_issued_0000000000000\n");
  EXPECT_EQ(bad_token.exit_code, 2);
  EXPECT_NE(bad_token.err.find("Invalid refresh token"), std::string::npos) << bad_token.err;
  EXPECT_NE(bad_token.err.find("(invalid_grant)"), std::string::npos) << bad_token.err;
  auto no_token = Cli(add, std::string(kSecretKey) + "\n");
  EXPECT_EQ(no_token.exit_code, 2);
  EXPECT_NE(no_token.err.find("No refresh token given"), std::string::npos) << no_token.err;
  EXPECT_EQ(IntegrationCount(), before);

  auto added = Cli(add, std::string(kSecretKey) + "\n" + refresh + "\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  auto json = boost::json::parse(added.out);
  EXPECT_EQ(json.at("message"), "Integration added");
  EXPECT_EQ(json.at("integration").at("auth_scheme"), "oauth");
  EXPECT_EQ(json.at("integration").at("stripe_account").at("id"), "acct_emu_connected_2");
  EXPECT_EQ(json.at("integration").at("health").at("state"), "ok");
  for (const std::string& secret : {refresh, std::string(kSecretKey)}) {
    EXPECT_EQ(added.out.find(secret), std::string::npos);
    EXPECT_EQ(added.err.find(secret), std::string::npos);
  }
  EXPECT_EQ(IntegrationCount(), before + 1);

  // Both secrets from files, for scripts.
  const auto secret_file = stack_->data_dir() / "client-secret.txt";
  const auto token_file = stack_->data_dir() / "refresh-token.txt";
  std::ofstream(secret_file) << kSecretKey << "\n";
  std::ofstream(token_file) << refresh << "\n";
  auto from_files = Cli({"integrations", "add-oauth", "--name", "Bluebird (files)",
                         "--connect-client-id", kConnectClientId, "--client-secret-file",
                         secret_file.string(), "--refresh-token-file", token_file.string()});
  ASSERT_EQ(from_files.exit_code, 0) << from_files.err;
  EXPECT_NE(from_files.out.find("Integration added"), std::string::npos) << from_files.out;
  EXPECT_NE(from_files.out.find("(oauth)"), std::string::npos) << from_files.out;
  EXPECT_EQ(IntegrationCount(), before + 2);
}

// Issue 5's gap: an OAuth integration whose access was revoked is reconnected in place, not
// deleted and added again. Same account → new grant sealed, health ok, audited, the data and
// cursors kept and the next sync resumes (a poll then meets the old deauthorization event,
// which must not undo the reconnect).
TEST_F(OAuth, ReconnectReplacesTheGrantInPlaceAndTheSyncResumes) {
  Browser browser = SignedIn();
  auto [id, account] = ConnectNewAccount(browser, "To reconnect");
  ASSERT_FALSE(id.empty());
  value first = SyncViaApi(api(), id);
  ASSERT_TRUE(first.is_object());
  ASSERT_EQ(first.at("status"), "succeeded") << boost::json::serialize(first);
  int64_t charges = SyncedRows("charges", account);
  ASSERT_GT(charges, 0);

  // Revoked in Stripe; the next sync pauses on it.
  ASSERT_EQ(emulator().Post("/_emulator/accounts/" + account + "/deauthorize").status, 200);
  value paused = SyncViaApi(api(), id);
  ASSERT_TRUE(paused.is_object());
  EXPECT_EQ(paused.at("status"), "paused") << boost::json::serialize(paused);
  ASSERT_EQ(Integration(id).at("health").at("state"), "needs_reconnect");
  const std::string sealed_before = SealedCredentials(id);
  size_t before = IntegrationCount();

  // Reconnect: the same round trip, started for the integration.
  std::string url = browser.StartUrl(object{{"integration_id", id}});
  ASSERT_FALSE(url.empty());
  EXPECT_EQ(QueryParam(url, "client_id"), kConnectClientId);
  std::string location = browser.Authorize(url, account, "approve");
  auto reconnected = browser.Callback(location);
  ASSERT_EQ(reconnected.status, 200) << reconnected.body;
  EXPECT_NE(reconnected.body.find("Integration reconnected"), std::string::npos)
      << reconnected.body;
  EXPECT_EQ(AddedId(reconnected), id) << "the same integration, not a new one";
  EXPECT_EQ(IntegrationCount(), before);
  object integration = Integration(id);
  EXPECT_EQ(integration.at("health").at("state"), "ok") << integration.at("health");
  EXPECT_EQ(integration.at("name"), "To reconnect");
  EXPECT_EQ(Str(integration.at("stripe_account").at("id")), account);
  std::string sealed_after = SealedCredentials(id);
  EXPECT_NE(sealed_after, sealed_before) << "the new grant replaces the old one";
  for (const char* token : {"sk_test_emu_oauth_", "rt_emu_"}) {
    EXPECT_EQ(sealed_after.find(token), std::string::npos);
  }
  auto audit = api().Get("/api/v1/integrations/" + id + "/audit");
  EXPECT_NE(audit.body.find("\"integration.reconnected\""), std::string::npos) << audit.body;
  EXPECT_NE(audit.body.find("\"health_before\":\"needs_reconnect\""), std::string::npos)
      << audit.body;
  EXPECT_EQ(SyncedRows("charges", account), charges) << "the synced data is kept";
  EXPECT_EQ(PageError(browser.Callback(location)), "oauth_state_used");

  // The sync resumes from its cursor (no second backfill) and stays healthy, although its poll
  // now lists the deauthorization event the revoked token could not.
  value resumed = SyncViaApi(api(), id);
  ASSERT_TRUE(resumed.is_object());
  EXPECT_EQ(resumed.at("status"), "succeeded") << boost::json::serialize(resumed);
  EXPECT_LT(resumed.at("objects").as_int64(), first.at("objects").as_int64())
      << "a resumed run polls events; it does not backfill again";
  EXPECT_EQ(Integration(id).at("health").at("state"), "ok");
  EXPECT_EQ(SyncedRows("charges", account), charges);
  EXPECT_EQ(api().Post("/api/v1/integrations/" + id + "/test").json.at("available"), true);
}

TEST_F(OAuth, AReconnectInTheOtherModeChangesNothing) {
  Browser browser = SignedIn();
  auto [id, account] = ConnectNewAccount(browser, "Test-mode grant");
  ASSERT_FALSE(id.empty());
  const std::string sealed = SealedCredentials(id);
  auto settings = [&](const char* key) {
    return api().Send("PUT", "/api/v1/settings/stripe-connect",
                      boost::json::serialize(object{{"client_id", kConnectClientId},
                                                    {"secret_key", key},
                                                    {"redirect_url", CallbackUrl()},
                                                    {"scope", "read_only"}}));
  };

  // The platform's settings now hold its live-mode key, so Stripe grants live-mode access; the
  // integration syncs test-mode data.
  ASSERT_EQ(settings(kLiveKey).status, 200);
  auto live = browser.Callback(
      browser.Authorize(browser.StartUrl(object{{"integration_id", id}}), account, "approve"));
  ASSERT_EQ(settings(kSecretKey).status, 200);  // back, for the other tests
  EXPECT_EQ(live.status, 409) << live.body;
  EXPECT_EQ(PageError(live), "mode_mismatch");
  EXPECT_NE(live.body.find("live-mode access"), std::string::npos) << live.body;
  EXPECT_EQ(SealedCredentials(id), sealed);
  object integration = Integration(id);
  EXPECT_EQ(integration.at("mode"), "test");
  EXPECT_EQ(integration.at("health").at("state"), "ok");
}

TEST_F(OAuth, AReconnectToAnotherAccountChangesNothing) {
  Browser browser = SignedIn();
  auto [id, account] = ConnectNewAccount(browser, "Reconnect target");
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(emulator().Post("/_emulator/accounts/" + account + "/deauthorize").status, 200);
  ASSERT_EQ(api().Post("/api/v1/integrations/" + id + "/test").json.at("available"), false);
  const std::string sealed = SealedCredentials(id);
  size_t before = IntegrationCount();

  // Stripe's page made a new account: refused, and that grant given back.
  auto other = browser.Callback(
      browser.Authorize(browser.StartUrl(object{{"integration_id", id}}), "new", "approve"));
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(PageError(other), "oauth_reconnect_other_account");
  EXPECT_NE(other.body.find("belongs to account " + account), std::string::npos) << other.body;
  std::smatch created;
  ASSERT_TRUE(std::regex_search(other.body, created,
                                std::regex("connected account (acct_emu_[A-Za-z0-9]+)")));
  EXPECT_EQ(AccountStatus(kSecretKey, created[1]), 403) << "the unwanted grant is given back";
  EXPECT_EQ(SealedCredentials(id), sealed);
  EXPECT_EQ(Integration(id).at("health").at("state"), "needs_reconnect");
  EXPECT_EQ(IntegrationCount(), before);

  // An account another integration uses is refused too, but keeps its connection.
  auto user = browser.Connect("Bluebird, in use", "acct_emu_connected_2");
  ASSERT_EQ(user.status, 200) << user.body;
  std::string user_id = AddedId(user);
  auto taken = browser.Callback(browser.Authorize(browser.StartUrl(object{{"integration_id", id}}),
                                                  "acct_emu_connected_2", "approve"));
  EXPECT_EQ(PageError(taken), "oauth_reconnect_other_account");
  EXPECT_NE(taken.body.find("stays connected, since integration"), std::string::npos)
      << taken.body;
  EXPECT_EQ(api().Post("/api/v1/integrations/" + user_id + "/test").json.at("available"), true);
  EXPECT_EQ(SealedCredentials(id), sealed);

  // What cannot be reconnected this way says why at the start.
  auto keyed = api().Post("/api/v1/integrations",
                          object{{"name", "Keyed"}, {"secret_key", kSecretKey}});
  ASSERT_EQ(keyed.status, 201) << keyed.body;
  auto not_oauth =
      browser.Start(object{{"integration_id", Str(keyed.json.at("integration").at("id"))}});
  EXPECT_EQ(not_oauth.status, 409) << not_oauth.body;
  EXPECT_EQ(ApiError(not_oauth), "not_an_oauth_integration");
  EXPECT_EQ(ApiError(browser.Start(object{{"integration_id", id}, {"name", "Renamed"}})),
            "invalid_request");
  EXPECT_EQ(browser.Start(object{{"integration_id", "int_nope"}}).status, 404);
  HttpClient member = stack_->ClientFor("member-reconnect@example.com", "member");
  EXPECT_EQ(member.Post("/api/v1/oauth/stripe/start", object{{"integration_id", id}}).status,
            403);
}

}  // namespace
}  // namespace stripeline::testing
