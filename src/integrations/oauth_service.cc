#include "integrations/oauth_service.h"

#include <boost/json.hpp>

#include "common/log.h"
#include "stripe/api_key.h"
#include "stripe/oauth.h"

namespace stripeline::integrations {

namespace {

constexpr char kSettingsKey[] = "stripe_connect";
constexpr char kSettingsAssociatedData[] = "stripeline/settings/stripe-connect";
constexpr std::string_view kCallbackPath = "/oauth/stripe/callback";

constexpr std::string_view kWordChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";

bool IsWord(std::string_view text) {
  return text.find_first_not_of(kWordChars) == std::string_view::npos;
}

// RandomToken's alphabet (url-safe base64).
bool IsToken(std::string_view text) {
  return text.find_first_not_of(std::string(kWordChars) + "-") == std::string_view::npos;
}

Status ValidateConnectClientId(const std::string& client_id) {
  if (!client_id.starts_with("ca_") || client_id.size() < 4 || !IsWord(client_id)) {
    return Status::InvalidArgument(
        "The Connect client ID must look like ca_... (Stripe Dashboard → Settings → Connect → "
        "Onboarding options → OAuth).",
        "invalid_client_id");
  }
  return Status::OK();
}

Status ValidateScope(const std::string& scope) {
  if (scope != "read_only" && scope != "read_write") {
    return Status::InvalidArgument("The scope must be read_only or read_write.", "invalid_scope");
  }
  return Status::OK();
}

// A platform secret key: the token endpoint takes no restricted key.
Status ValidatePlatformKey(const std::string& key, std::string_view field) {
  auto info = stripe::ClassifyApiKey(key);
  if (!info.ok()) {
    return Status::InvalidArgument(std::string(field) + " is invalid: " + info.status().message(),
                                   "invalid_secret_key");
  }
  if (info->kind != stripe::KeyKind::kSecret) {
    return Status::InvalidArgument(std::string(field) +
                                       " must be the platform's secret key (sk_...): Stripe's "
                                       "OAuth endpoints take no restricted key.",
                                   "invalid_secret_key");
  }
  return Status::OK();
}

// A Stripe OAuth failure as the Status the user sees. Stripe's OAuth codes (invalid_grant,
// invalid_client, ...) are about what was sent, so they are the caller's error, not ours.
Status OAuthFailure(const stripe::StripeError& error, std::string_view doing,
                    std::string_view consequence = "Nothing was saved.") {
  bool stripe_down = error.kind == stripe::ErrorKind::kConnection ||
                     error.kind == stripe::ErrorKind::kRateLimit ||
                     (error.kind == stripe::ErrorKind::kApi && error.http_status >= 500);
  if (stripe_down) {
    return Status::Unavailable(std::string(doing) + ": Stripe could not be reached or failed (" +
                                   error.message + ")." + (consequence.empty() ? "" : " ") +
                                   std::string(consequence),
                               "stripe_unavailable");
  }
  std::string code = error.code.empty() ? "oauth_error" : error.code;
  return Status::InvalidArgument(
      std::string(doing) + ": " + error.message + " (" + code + ")." +
          (consequence.empty() ? "" : " ") + std::string(consequence),
      code);
}

}  // namespace

OAuthService::OAuthService(store::Store& store, const SecretBox& box, const stripe::Client& client,
                           stripe::RateLimiterRegistry& limiters, access::UserService& users,
                           IntegrationService& integrations, Clock& clock)
    : store_(store),
      box_(box),
      client_(client),
      limiters_(limiters),
      users_(users),
      integrations_(integrations),
      clock_(clock) {}

stripe::AccountSession OAuthService::PlatformSession(const std::string& platform_key,
                                                     const std::string& platform_account_id) const {
  auto key = stripe::ClassifyApiKey(platform_key);
  const bool livemode = key.ok() && key->livemode;
  stripe::RequestOptions options{.api_key = platform_key};
  if (!platform_account_id.empty()) {
    return stripe::AccountSession::Open(client_, limiters_, platform_account_id, livemode,
                                        std::move(options));
  }
  return stripe::AccountSession(client_, limiters_.ForKey(platform_key, livemode),
                                std::move(options));
}

Result<std::optional<OAuthService::Settings>> OAuthService::LoadSettings() {
  SL_ASSIGN_OR_RETURN(std::optional<std::string> text, store_.GetSetting(kSettingsKey));
  if (!text) return std::optional<Settings>();
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(*text, ec);
  auto field = [&](std::string_view name) -> std::string {
    const boost::json::value* v = json.is_object() ? json.as_object().if_contains(name) : nullptr;
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
  };
  if (ec || !json.is_object()) {
    return Status::Internal("The stored Stripe Connect settings are malformed.", "settings_unreadable");
  }
  auto secret = box_.Open(field("secret_key_sealed"), kSettingsAssociatedData);
  if (!secret.ok()) {
    return Status::Internal("The Stripe Connect secret key cannot be decrypted: is this the master "
                            "key it was saved with?",
                            "credentials_unreadable");
  }
  Settings settings;
  settings.entered = {.client_id = field("client_id"),
                      .secret_key = *secret,
                      .redirect_url = field("redirect_url"),
                      .scope = field("scope")};
  settings.secret_key_masked = field("secret_key_masked");
  settings.platform_account_id = field("platform_account_id");
  return std::optional<Settings>(std::move(settings));
}

Result<OAuthService::Settings> OAuthService::RequireSettings() {
  SL_ASSIGN_OR_RETURN(std::optional<Settings> settings, LoadSettings());
  if (!settings) {
    return Status::FailedPrecondition(
        "Stripe Connect is not set up: an administrator must enter its settings first "
        "(PUT /api/v1/settings/stripe-connect).",
        "stripe_connect_not_configured");
  }
  return *std::move(settings);
}

Result<ConnectSettingsView> OAuthService::PutSettings(const access::Actor& actor,
                                                      const ConnectSettings& entered) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "change the Stripe Connect settings"));
  SL_RETURN_IF_ERROR(ValidateConnectClientId(entered.client_id));
  SL_RETURN_IF_ERROR(ValidatePlatformKey(entered.secret_key, "The platform secret key"));
  bool url_ok = (entered.redirect_url.starts_with("https://") ||
                 entered.redirect_url.starts_with("http://")) &&
                entered.redirect_url.find_first_of(" \t\r\n?#") == std::string::npos &&
                entered.redirect_url.ends_with(kCallbackPath);
  if (!url_ok) {
    return Status::InvalidArgument(
        "The redirect URL must be this server's public address followed by " +
            std::string(kCallbackPath) + " (e.g. https://stripeline.example.com" +
            std::string(kCallbackPath) + "), registered as a redirect URI in Stripe.",
        "invalid_redirect_url");
  }
  SL_RETURN_IF_ERROR(ValidateScope(entered.scope));
  // Its account is not known before this answer: paced by the key's limiter, then bound to it.
  const stripe::AccountSession platform = PlatformSession(entered.secret_key, "");
  auto account = platform.client().GetAccount(platform.options());
  if (!account.ok()) {
    const stripe::StripeError& error = account.error();
    if (error.kind == stripe::ErrorKind::kAuthentication ||
        error.kind == stripe::ErrorKind::kPermission) {
      return Status::InvalidArgument("Stripe refused the platform secret key: " + error.message,
                                     "invalid_secret_key");
    }
    return Status::Unavailable("Stripe could not check the platform secret key, so nothing was "
                               "saved: " + error.message,
                               "stripe_unavailable");
  }
  limiters_.BindKey(entered.secret_key, account->id);
  SL_ASSIGN_OR_RETURN(std::string sealed, box_.Seal(entered.secret_key, kSettingsAssociatedData));
  std::string masked = stripe::MaskKey(entered.secret_key);
  boost::json::object json{{"client_id", entered.client_id},
                           {"secret_key_sealed", sealed},
                           {"secret_key_masked", masked},
                           {"redirect_url", entered.redirect_url},
                           {"scope", entered.scope},
                           {"platform_account_id", account->id}};
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store_.PutSetting(kSettingsKey, boost::json::serialize(json)));
    boost::json::object details{{"client_id", entered.client_id},
                                {"key", masked},
                                {"redirect_url", entered.redirect_url},
                                {"scope", entered.scope}};
    return store_
        .AppendAudit({.id = 0,
                      .at = clock_.NowUnix(),
                      .actor = actor.email,
                      .action = "settings.stripe_connect_updated",
                      .integration_id = std::nullopt,
                      .summary = "Changed the Stripe Connect settings",
                      .details_json = boost::json::serialize(details)})
        .status();
  }));
  log::Info("settings.stripe_connect_updated", {{"client_id", entered.client_id},
                                                {"key", masked}, {"by", actor.email}});
  return GetSettings(actor);
}

Result<ConnectSettingsView> OAuthService::GetSettings(const access::Actor& actor) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "read the Stripe Connect settings"));
  SL_ASSIGN_OR_RETURN(std::optional<Settings> settings, LoadSettings());
  if (!settings) return ConnectSettingsView{};
  return ConnectSettingsView{.configured = true,
                             .client_id = settings->entered.client_id,
                             .secret_key_masked = settings->secret_key_masked,
                             .redirect_url = settings->entered.redirect_url,
                             .scope = settings->entered.scope,
                             .platform_account_id = settings->platform_account_id};
}

Result<StartedOAuth> OAuthService::Start(const access::Actor& actor, const OAuthStart& request,
                                         const std::string& binding) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(
      actor, request.integration_id ? "reconnect integrations" : "add integrations"));
  if (actor.user_id.empty()) {
    return Status::FailedPrecondition(
        "Connect with Stripe needs a signed-in user: the callback adds the integration as them.",
        "oauth_needs_user");
  }
  store::OAuthState state;
  if (request.integration_id) {
    SL_RETURN_IF_ERROR(FillReconnect(actor, request, state));
  } else {
    SL_RETURN_IF_ERROR(
        integrations_.ValidateDetails(request.name, request.client_id, request.expected_account));
    state.name = request.name;
    state.client_id = request.client_id;
    state.expected_account = request.expected_account;
  }
  SL_ASSIGN_OR_RETURN(Settings settings, RequireSettings());
  int64_t now = clock_.NowUnix();
  // Old states only matter for telling a late replay what happened; keep the table small.
  SL_RETURN_IF_ERROR(store_.DeleteOAuthStatesExpiredBefore(now - kStateRetention).status());
  StartedOAuth started;
  started.binding = binding.size() >= 40 && IsToken(binding) ? binding : RandomToken("", 32);
  started.expires_at = now + kStateLifetime;
  std::string secret_state = RandomToken("", 32);
  state.state_hash = Sha256Hex(secret_state);
  state.binding_hash = Sha256Hex(started.binding);
  state.user_id = actor.user_id;
  state.scope = settings.entered.scope;
  state.created_at = now;
  state.expires_at = started.expires_at;
  SL_RETURN_IF_ERROR(store_.CreateOAuthState(state));
  started.authorize_url = stripe::AuthorizeUrl(client_, settings.entered.client_id,
                                               settings.entered.scope, secret_state,
                                               settings.entered.redirect_url);
  return started;
}

Status OAuthService::FillReconnect(const access::Actor& actor, const OAuthStart& request,
                                   store::OAuthState& state) {
  if (!request.name.empty() || request.client_id || request.expected_account) {
    return Status::InvalidArgument(
        "A reconnect keeps the integration's name, client and Stripe account: send "
        "integration_id alone.",
        "invalid_request");
  }
  SL_ASSIGN_OR_RETURN(store::Integration integration,
                      integrations_.GetForReconnect(actor, *request.integration_id));
  state.integration_id = integration.id;
  state.name = integration.name;
  state.client_id = integration.client_id;
  if (!integration.stripe_account_id.empty()) {
    state.expected_account = integration.stripe_account_id;
  }
  return Status::OK();
}

std::string OAuthService::GiveBack(const Settings& settings, const std::string& account) {
  auto all = store_.ListIntegrations(std::nullopt);
  if (all.ok()) {
    for (const store::Integration& integration : *all) {
      if (integration.auth_scheme == kOAuthScheme && integration.stripe_account_id == account) {
        return "Account " + account + " stays connected, since integration '" +
               integration.name + "' uses it.";
      }
    }
  }
  auto revoked = stripe::Deauthorize(
      PlatformSession(settings.entered.secret_key, settings.platform_account_id),
      settings.entered.client_id, account);
  if (!revoked.ok()) {
    log::Warn("oauth.give_back_failed", {{"account", account}, {"error", revoked.error().message}});
    return "Stripe did not revoke the new access to account " + account + " (" +
           revoked.error().message + "): revoke it in the Stripe Dashboard.";
  }
  return "The new access to account " + account + " was revoked.";
}

Result<Saved> OAuthService::Complete(const OAuthCallback& callback) {
  const Status unknown = Status::InvalidArgument(
      "This Stripe authorization is unknown to Stripeline: start again with Connect with Stripe. "
      "Nothing was saved.",
      "oauth_state_unknown");
  const Status used = Status::InvalidArgument(
      "This Stripe authorization was already completed; a replayed callback is refused and "
      "nothing was saved.",
      "oauth_state_used");
  if (callback.state.empty()) return unknown;
  const std::string state_hash = Sha256Hex(callback.state);
  auto found = store_.GetOAuthState(state_hash);
  if (!found.ok()) return found.status().code() == StatusCode::kNotFound ? unknown : found.status();
  const store::OAuthState& state = *found;
  const int64_t now = clock_.NowUnix();
  if (state.used_at) return used;
  if (now >= state.expires_at) {
    return Status::InvalidArgument("This Stripe authorization expired (they last " +
                                       std::to_string(kStateLifetime / 60) +
                                       " minutes): start again. Nothing was saved.",
                                   "oauth_state_expired");
  }
  // Someone else's state (a link sent to a victim, say) must not add an integration in the
  // starter's name; and it is not consumed, so the real user can still finish.
  if (callback.binding.empty() ||
      !ConstantTimeEquals(Sha256Hex(callback.binding), state.binding_hash)) {
    return Status::InvalidArgument(
        "This Stripe authorization was started in another browser session: finish it where it "
        "was started. Nothing was saved.",
        "oauth_state_other_browser");
  }
  SL_ASSIGN_OR_RETURN(bool consumed, store_.ConsumeOAuthState(state_hash, now));
  if (!consumed) return used;

  if (!callback.error.empty()) {
    if (callback.error == "access_denied") {
      return Status::InvalidArgument(
          "You declined the connection in Stripe, so nothing was saved.", "access_denied");
    }
    return Status::InvalidArgument("Stripe did not authorize the connection: " +
                                       (callback.error_description.empty()
                                            ? callback.error
                                            : callback.error_description) +
                                       " (" + callback.error + "). Nothing was saved.",
                                   callback.error);
  }
  if (callback.code.empty()) {
    return Status::InvalidArgument("Stripe's answer has neither a code nor an error.",
                                   "invalid_request");
  }
  SL_ASSIGN_OR_RETURN(Settings settings, RequireSettings());
  auto token = stripe::ExchangeCode(
      PlatformSession(settings.entered.secret_key, settings.platform_account_id), callback.code);
  if (!token.ok()) return OAuthFailure(token.error(), "Stripe refused the authorization code");

  StripeCredentials credentials{.secret_key = token->access_token,
                                .refresh_token = token->refresh_token,
                                .connect_client_id = settings.entered.client_id,
                                .client_secret = "",
                                .scope = token->scope};
  const std::string& account = token->stripe_user_id;
  if (state.integration_id) {
    auto integration = store_.GetIntegration(*state.integration_id);
    if (!integration.ok() && integration.status().code() == StatusCode::kNotFound) {
      return Status::FailedPrecondition(
          "The integration you were reconnecting was deleted while you were in Stripe, so "
          "nothing was saved. " + GiveBack(settings, account),
          "oauth_integration_gone");
    }
    if (!integration.ok()) return integration.status();
    if (account != integration->stripe_account_id) {
      return Status::FailedPrecondition(
          "Stripe connected account " + account + ", but integration '" + integration->name +
              "' belongs to account " + integration->stripe_account_id +
              ": a reconnect must approve that same account. Nothing was changed. " +
              GiveBack(settings, account) + " Reconnect again and choose " +
              integration->stripe_account_id + " in Stripe (signed in to that account).",
          "oauth_reconnect_other_account");
    }
  } else if (state.expected_account && account != *state.expected_account) {
    return Status::FailedPrecondition(
        "Stripe connected account " + account + ", not " + *state.expected_account +
            ", the account you meant. Under Stripe's single-platform policy an account that "
            "another platform already controls cannot be connected with OAuth, so Stripe created "
            "a new account instead. Nothing was saved. " + GiveBack(settings, account) +
            " Connect " + *state.expected_account +
            " with a restricted API key instead (Dashboard → Developers → API keys → Create "
            "restricted key, read permissions).",
        "oauth_account_mismatch");
  }
  SL_ASSIGN_OR_RETURN(store::User user, store_.GetUser(state.user_id));
  if (user.disabled) {
    GiveBack(settings, account);
    return Status::PermissionDenied("The user who started this authorization is disabled.",
                                    "permission_denied");
  }
  SL_ASSIGN_OR_RETURN(access::Actor actor, users_.ActorFor(user));
  auto saved = state.integration_id
                   ? integrations_.ReconnectOAuth(actor, *state.integration_id, credentials,
                                                  account)
                   : integrations_.AddOAuth(actor, {.name = state.name,
                                                    .client_id = state.client_id,
                                                    .active = true,
                                                    .credentials = credentials,
                                                    .stripe_user_id = account});
  if (!saved.ok()) GiveBack(settings, account);
  return saved;
}

Result<Saved> OAuthService::AddManual(const access::Actor& actor, const ManualOAuth& request) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "add integrations"));
  SL_RETURN_IF_ERROR(integrations_.ValidateDetails(request.name, request.client_id, std::nullopt));
  SL_RETURN_IF_ERROR(ValidateConnectClientId(request.connect_client_id));
  SL_RETURN_IF_ERROR(ValidatePlatformKey(request.client_secret, "The client secret"));
  if (request.refresh_token.empty() || !IsWord(request.refresh_token)) {
    return Status::InvalidArgument("Enter the refresh token (rt_...).", "invalid_refresh_token");
  }
  auto token = stripe::RefreshAccessToken(PlatformSession(request.client_secret, ""),
                                          request.connect_client_id, request.refresh_token);
  if (!token.ok()) return OAuthFailure(token.error(), "Stripe refused the refresh token");
  return integrations_.AddOAuth(
      actor, {.name = request.name,
              .client_id = request.client_id,
              .active = request.active,
              .credentials = {.secret_key = token->access_token,
                              .refresh_token = token->refresh_token.empty()
                                                   ? request.refresh_token
                                                   : token->refresh_token,
                              .connect_client_id = request.connect_client_id,
                              .client_secret = request.client_secret,
                              .scope = token->scope},
              .stripe_user_id = token->stripe_user_id});
}

Status OAuthService::Deauthorize(const store::Integration& integration) {
  SL_ASSIGN_OR_RETURN(StripeCredentials credentials, OpenCredentials(box_, integration));
  std::string platform_key = credentials.client_secret;
  std::string platform_account;  // not known for a key entered with the integration
  if (platform_key.empty()) {
    SL_ASSIGN_OR_RETURN(Settings settings, RequireSettings());
    if (settings.entered.client_id != credentials.connect_client_id) {
      return Status::FailedPrecondition(
          "the grant belongs to Connect application " + credentials.connect_client_id +
              ", but the settings now hold " + settings.entered.client_id,
          "oauth_application_changed");
    }
    platform_key = settings.entered.secret_key;
    platform_account = settings.platform_account_id;
  }
  auto revoked = stripe::Deauthorize(PlatformSession(platform_key, platform_account),
                                     credentials.connect_client_id, integration.stripe_account_id);
  if (!revoked.ok()) return OAuthFailure(revoked.error(), "Stripe refused to deauthorize", "");
  return Status::OK();
}

}  // namespace stripeline::integrations
