// The emulator's Connect OAuth server (connect.stripe.com): the authorize page where a user picks
// an account and approves or denies, the token endpoint (authorization_code and refresh_token
// grants) and deauthorization, with Stripe's error bodies (stripe-api.md §7).
#include <boost/json.hpp>

#include "emulator/api_error.h"
#include "emulator/emulator.h"
#include "emulator/request_params.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr std::string_view kDeniedDescription = "The user denied your request";

HttpResponse Html(int status, const std::string& title, const std::string& body) {
  return HttpResponse::Text(
      status,
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
          HtmlEscape(title) +
          "</title><style>body{font-family:sans-serif;max-width:36rem;margin:3rem auto;"
          "color:#1a1f36}label{display:block;margin:.4rem 0}button{margin-right:.6rem}"
          "</style></head><body>\n<h1>" +
          HtmlEscape(title) + "</h1>\n" + body + "\n</body></html>\n",
      "text/html; charset=utf-8");
}

// The authorize page's error for a request it cannot send back (bad client or redirect).
HttpResponse AuthorizeError(const std::string& code, const std::string& description) {
  return Html(400, "Connect error",
              "<p id=\"error\" data-error=\"" + HtmlEscape(code) + "\">" +
                  HtmlEscape(description) + "</p>");
}

HttpResponse Redirect(const std::string& location) {
  HttpResponse response;
  response.status = 302;
  response.SetHeader("Location", location);
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  return response;
}

bool IsHttpUrl(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

OAuthError InvalidRequest(std::string description) {
  return OAuthError{400, "invalid_request", std::move(description)};
}

}  // namespace

void Emulator::AddOAuthRoutes() {
  using Answer = HttpResponse (Emulator::*)(const HttpRequest&);
  auto add = [this](std::string method, std::string_view path, Answer answer) {
    router_.Add(std::move(method), path,
                [this, answer](const HttpRequest& request, const PathParams&, const std::string&) {
                  return (this->*answer)(request);
                });
  };
  add("GET", "/oauth/authorize", &Emulator::AuthorizePage);
  add("POST", "/oauth/authorize", &Emulator::AuthorizeDecision);
  add("POST", "/oauth/token", &Emulator::Token);
  add("POST", "/oauth/deauthorize", &Emulator::Deauthorize);
}

HttpResponse Emulator::AuthorizePage(const HttpRequest& request) {
  Fields params = request.query;
  std::string client_id = Param(params, "client_id").value_or("");
  std::string redirect_uri = Param(params, "redirect_uri").value_or("");
  std::string state = Param(params, "state").value_or("");
  std::string scope = Param(params, "scope").value_or("read_only");
  std::optional<AccountConfig> platform;
  std::vector<AccountConfig> accounts;
  {
    std::lock_guard lock(mu_);
    const AccountConfig* found = registry_.config().FindPlatform(client_id);
    if (found != nullptr) platform = *found;
    for (const AccountConfig& a : registry_.config().accounts) {
      if (found != nullptr && a.connected_to == found->id) accounts.push_back(a);
    }
  }
  if (!platform) {
    return AuthorizeError("invalid_client", "No such application: '" + client_id + "'");
  }
  if (!IsHttpUrl(redirect_uri)) {
    return AuthorizeError("invalid_redirect_uri",
                          "Invalid redirect URI '" + redirect_uri + "': it must be an http(s) URL");
  }
  // Errors about the request itself go back to the platform, as Stripe does.
  auto refuse = [&](const std::string& code, const std::string& description) {
    return Redirect(AppendQuery(
        redirect_uri, {{"error", code}, {"error_description", description}, {"state", state}}));
  };
  std::string response_type = Param(params, "response_type").value_or("");
  if (response_type != "code") {
    return refuse("unsupported_response_type",
                  "Unsupported response_type: '" + response_type + "'; use 'code'");
  }
  if (scope != "read_only" && scope != "read_write") {
    return refuse("invalid_scope", "Invalid scope: '" + scope + "'; use read_only or read_write");
  }
  std::string hidden;
  for (const auto& [name, value] :
       Fields{{"client_id", client_id}, {"redirect_uri", redirect_uri}, {"state", state},
              {"scope", scope}, {"response_type", response_type}}) {
    hidden += "<input type=\"hidden\" name=\"" + name + "\" value=\"" + HtmlEscape(value) + "\">\n";
  }
  std::string choices;
  bool first = true;
  for (const AccountConfig& account : accounts) {
    choices += "<label><input type=\"radio\" name=\"account\" id=\"account-" +
               HtmlEscape(account.id) + "\" value=\"" + HtmlEscape(account.id) + "\"" +
               (first ? " checked" : "") + "> " + HtmlEscape(account.name) + " (" +
               HtmlEscape(account.id) + ")</label>\n";
    first = false;
  }
  choices += std::string("<label><input type=\"radio\" name=\"account\" id=\"account-new\" ") +
             "value=\"new\"" + (first ? " checked" : "") + "> Create a new Stripe account</label>\n";
  return Html(200, "Connect to " + platform->name,
              "<p><strong>" + HtmlEscape(platform->name) + "</strong> would like " +
                  (scope == "read_write" ? "read and write" : "read-only") +
                  " access to your Stripe account.</p>\n<form method=\"post\" "
                  "action=\"/oauth/authorize\">\n" +
                  hidden + "<fieldset><legend>Account</legend>\n" + choices +
                  "</fieldset>\n<p><button type=\"submit\" name=\"decision\" value=\"approve\" "
                  "id=\"approve\">Connect my Stripe account</button>"
                  "<button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny"
                  "</button></p>\n</form>");
}

HttpResponse Emulator::AuthorizeDecision(const HttpRequest& request) {
  Fields params = RequestParams(request);
  std::string client_id = Param(params, "client_id").value_or("");
  std::string redirect_uri = Param(params, "redirect_uri").value_or("");
  std::string state = Param(params, "state").value_or("");
  std::string scope = Param(params, "scope").value_or("read_only");
  std::string choice = Param(params, "account").value_or("");
  std::optional<AccountConfig> platform, account;
  {
    std::lock_guard lock(mu_);
    if (const AccountConfig* found = registry_.config().FindPlatform(client_id)) platform = *found;
    if (const AccountConfig* found = registry_.config().FindAccount(choice)) account = *found;
  }
  if (!platform) {
    return AuthorizeError("invalid_client", "No such application: '" + client_id + "'");
  }
  if (!IsHttpUrl(redirect_uri)) {
    return AuthorizeError("invalid_redirect_uri",
                          "Invalid redirect URI '" + redirect_uri + "': it must be an http(s) URL");
  }
  if (scope != "read_only" && scope != "read_write") {
    return AuthorizeError("invalid_scope", "Invalid scope: '" + scope + "'");
  }
  std::string decision = Param(params, "decision").value_or("");
  if (decision == "deny") {
    return Redirect(AppendQuery(redirect_uri, {{"error", "access_denied"},
                                               {"error_description", std::string(kDeniedDescription)},
                                               {"state", state}}));
  }
  if (decision != "approve") return AuthorizeError("invalid_request", "Approve or deny the request");
  std::string connected;
  // Stripe's single-platform policy: an account another platform controls cannot grant
  // read_write; Stripe onboards a new account instead.
  if (choice == "new" || (account && account->other_platform && scope == "read_write")) {
    connected = CreateConnectedAccount(*platform);
  } else if (account && account->connected_to == platform->id) {
    connected = account->id;
  } else {
    return AuthorizeError("invalid_request", "Pick one of the accounts offered");
  }
  std::string code;
  {
    std::lock_guard lock(mu_);
    Status reconnected = registry_.Reconnect(connected, platform->id);
    if (!reconnected.ok()) return AuthorizeError("invalid_request", reconnected.message());
    code = "ac_" + RandomFrom(rng_, 24);
    oauth_.IssueCode(code, Grant{platform->id, connected, scope}, Now());
  }
  return Redirect(AppendQuery(redirect_uri, {{"scope", scope}, {"code", code}, {"state", state}}));
}

std::variant<std::pair<AccountConfig, KeyConfig>, OAuthError> Emulator::AuthenticatePlatform(
    const HttpRequest& request, const Fields& params) {
  std::optional<std::string> authorization = request.Header("authorization");
  if (!authorization) {
    std::optional<std::string> secret = Param(params, "client_secret");
    if (!secret || secret->empty()) {
      return OAuthError{401, "invalid_client",
                        "No authentication was provided. Send your secret API key using the "
                        "Authorization header, or as a client_secret POST parameter."};
    }
    authorization = "Bearer " + *secret;
  }
  std::lock_guard lock(mu_);
  auto authenticated = registry_.Authenticate(authorization);
  if (auto* error = std::get_if<ApiError>(&authenticated)) {
    return OAuthError{401, "invalid_client", error->message};
  }
  KeyConfig key = std::get<KeyConfig>(std::move(authenticated));
  const AccountConfig* platform = registry_.config().FindAccount(key.account_id);
  if (key.kind != KeyKind::kSecret || platform == nullptr || platform->connected_to ||
      platform->connect_client_id.empty()) {
    return OAuthError{401, "invalid_client",
                      "Authenticate with the secret key of a Connect platform: " +
                          MaskKey(key.key) + " is not one"};
  }
  std::optional<std::string> client_id = Param(params, "client_id");
  if (client_id && *client_id != platform->connect_client_id) {
    return OAuthError{401, "invalid_client", "No such application: '" + *client_id + "'"};
  }
  return std::pair{*platform, key};
}

HttpResponse Emulator::Token(const HttpRequest& request) {
  Fields params = RequestParams(request);
  auto authenticated = AuthenticatePlatform(request, params);
  if (auto* error = std::get_if<OAuthError>(&authenticated)) return OAuthErrorResponse(*error);
  auto [platform, platform_key] = std::get<0>(std::move(authenticated));
  std::string grant_type = Param(params, "grant_type").value_or("");
  std::lock_guard lock(mu_);
  Grant grant;
  std::string code, refresh_token;
  bool livemode = platform_key.livemode;
  if (grant_type == "authorization_code") {
    code = Param(params, "code").value_or("");
    if (code.empty()) return OAuthErrorResponse(InvalidRequest("No authorization code provided"));
    std::vector<std::string> revoke;
    auto redeemed = oauth_.Redeem(code, platform.id, Now(), revoke);
    for (const std::string& key : revoke) (void)registry_.Revoke(key);  // some are refresh tokens
    if (auto* error = std::get_if<OAuthError>(&redeemed)) return OAuthErrorResponse(*error);
    grant = std::get<Grant>(std::move(redeemed));
    refresh_token = "rt_emu_" + RandomFrom(rng_, 24);
  } else if (grant_type == "refresh_token") {
    refresh_token = Param(params, "refresh_token").value_or("");
    if (refresh_token.empty()) {
      return OAuthErrorResponse(InvalidRequest("No refresh token provided"));
    }
    auto refreshed = oauth_.Refresh(refresh_token, platform.id);
    if (auto* error = std::get_if<OAuthError>(&refreshed)) return OAuthErrorResponse(*error);
    std::tie(grant, livemode) = std::get<0>(std::move(refreshed));
  } else if (grant_type.empty()) {
    return OAuthErrorResponse(InvalidRequest("No grant_type provided"));
  } else {
    return OAuthErrorResponse(
        OAuthError{400, "unsupported_grant_type", "Unsupported grant type: " + grant_type});
  }
  std::string mode = livemode ? "live_" : "test_";
  IssuedTokens tokens{.access_token = "sk_" + mode + "emu_oauth_" + RandomFrom(rng_, 24),
                      .refresh_token = refresh_token,
                      .publishable_key = "pk_" + mode + "emu_oauth_" + RandomFrom(rng_, 24),
                      .livemode = livemode};
  for (auto [key, kind] : {std::pair{tokens.access_token, KeyKind::kSecret},
                           std::pair{tokens.publishable_key, KeyKind::kPublishable}}) {
    Result<KeyConfig> created = registry_.Create(KeyConfig{key, grant.account, livemode, kind, {}, false});
    if (!created.ok()) return OAuthErrorResponse(InvalidRequest(created.status().message()));
  }
  oauth_.RecordTokens(code, grant, tokens);
  return HttpResponse::Json(200, json::object{{"access_token", tokens.access_token},
                                              {"livemode", livemode},
                                              {"refresh_token", tokens.refresh_token},
                                              {"token_type", "bearer"},
                                              {"stripe_publishable_key", tokens.publishable_key},
                                              {"stripe_user_id", grant.account},
                                              {"scope", grant.scope}});
}

HttpResponse Emulator::Deauthorize(const HttpRequest& request) {
  Fields params = RequestParams(request);
  if (!Param(params, "client_id")) {
    return OAuthErrorResponse(InvalidRequest("No client_id provided"));
  }
  auto authenticated = AuthenticatePlatform(request, params);
  if (auto* error = std::get_if<OAuthError>(&authenticated)) return OAuthErrorResponse(*error);
  auto [platform, platform_key] = std::get<0>(std::move(authenticated));
  std::string account = Param(params, "stripe_user_id").value_or("");
  if (account.empty()) return OAuthErrorResponse(InvalidRequest("No stripe_user_id provided"));
  {
    std::lock_guard lock(mu_);
    if (std::holds_alternative<ApiError>(registry_.ResolveAccount(platform_key, account)) ||
        account == platform.id) {
      return OAuthErrorResponse(OAuthError{
          400, "invalid_client",
          "This application is not connected to stripe account " + account +
              ", or that account does not exist."});
    }
  }
  Status status = DeauthorizeAccount(platform, account, platform_key.livemode);
  if (!status.ok()) return OAuthErrorResponse(InvalidRequest(status.message()));
  return HttpResponse::Json(200, json::object{{"stripe_user_id", account}});
}

std::string Emulator::CreateConnectedAccount(const AccountConfig& platform) {
  AccountConfig account;
  {
    std::lock_guard lock(mu_);
    std::string suffix = RandomFrom(rng_, 16);
    account.id = "acct_emu_" + suffix;
    account.name = "New account " + suffix.substr(0, 6);
  }
  account.email = "owner@" + account.id + ".example";
  account.country = platform.country;
  account.default_currency = platform.default_currency;
  account.connected_to = platform.id;
  account.created = Now();
  std::shared_ptr<Dataset> test =
      Dataset::Build(account, false, options_.seed, Now(), options_.objects);
  std::shared_ptr<Dataset> live =
      Dataset::Build(account, true, options_.seed, Now(), options_.objects);
  std::lock_guard lock(mu_);
  registry_.AddAccount(account);
  datasets_[{account.id, false}] = std::move(test);
  datasets_[{account.id, true}] = std::move(live);
  return account.id;
}

Status Emulator::DeauthorizeAccount(const AccountConfig& platform, const std::string& account,
                                    bool livemode) {
  std::shared_ptr<Dataset> dataset;
  std::mt19937_64 rng;
  {
    std::lock_guard lock(mu_);
    for (const std::string& key : oauth_.RevokeAccount(platform.id, account)) {
      (void)registry_.RevokeAccess(key);  // already gone when a replayed code revoked it
    }
    SL_RETURN_IF_ERROR(registry_.Disconnect(account));
    auto it = datasets_.find({account, livemode});
    if (it == datasets_.end()) return Status::NotFound("no data for " + account);
    dataset = it->second;
    rng.seed(rng_());
  }
  // Stripe tells the platform which application lost access (data.object is the application).
  json::object application{{"id", platform.connect_client_id},
                           {"object", "application"},
                           {"name", platform.name}};
  std::unique_lock lock(dataset->mutex());
  AppendEvent(*dataset, "account.application.deauthorized", std::move(application), nullptr, "",
              rng);
  return Status::OK();
}

}  // namespace stripeline::emulator
