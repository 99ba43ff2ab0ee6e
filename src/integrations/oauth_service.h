#pragma once
// OAuthService: Stripe Connect OAuth for integrations (stripe-api.md §7, issue 5). An admin
// enters the platform settings once (Connect client id, platform secret key, redirect URL,
// scope); then "Connect with Stripe" starts an authorization with a single-use `state` that
// expires after kStateLifetime and is bound to the starting browser by a binding cookie; the
// callback checks the state, exchanges the code, and adds the integration through
// IntegrationService::AddOAuth with the tokens sealed. Started for an existing OAuth
// integration (one whose access was revoked, say), the same round trip reconnects it in place:
// the callback replaces its grant through IntegrationService::ReconnectOAuth, provided Stripe
// answers with the integration's own account. Manual entry exchanges a refresh token the user
// pastes. Deauthorize revokes a grant when its integration is deleted (sync::IntegrationRemoval).
//
// Every call to Stripe (the platform key's check, the token exchanges, deauthorizations) is made
// with the platform's secret key through the AccountSession of the platform's account, so it
// takes a slot from that account's limiter like every other request to Stripe: the account the
// settings recorded when the key was checked; for a key entered with a manual OAuth integration,
// the account the key was bound to, else a limiter of the key's own.
//
// Nothing half-made is stored: a refused state, a denied request, a token error or an account
// other than the one the user meant (Stripe's single-platform policy) adds no integration, and
// a grant that cannot be used is revoked at Stripe again.
//
// Thread-safe: no mutable state of its own (Store, Client, the limiters and IntegrationService
// are).

#include <optional>
#include <string>

#include "access/actor.h"
#include "access/user_service.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/secrets.h"
#include "integrations/integration_service.h"
#include "store/store.h"
#include "stripe/account_session.h"
#include "stripe/client.h"
#include "stripe/rate_limiter.h"

namespace stripeline::integrations {

inline constexpr int64_t kStateLifetime = 600;  // seconds from start to callback
// Expired states are kept this long after expiring, so a late replay is told "already used" or
// "expired" rather than "unknown"; then the next Start deletes them.
inline constexpr int64_t kStateRetention = 86400;

// The platform settings as entered.
struct ConnectSettings {
  std::string client_id;     // ca_...
  std::string secret_key;    // the platform's sk_...
  std::string redirect_url;  // https://<host>/oauth/stripe/callback, as registered at Stripe
  std::string scope = "read_only";
};

// The settings as shown: never the whole key.
struct ConnectSettingsView {
  bool configured = false;
  std::string client_id, secret_key_masked, redirect_url, scope, platform_account_id;
};

// What to start: a new integration (name, client, expected account), or the reconnect of an
// existing OAuth integration (integration_id alone: it keeps its name, client and account).
struct OAuthStart {
  std::string name;                             // of the integration to add
  std::optional<std::string> client_id;         // Stripeline client owning it, or system-wide
  std::optional<std::string> expected_account;  // acct_... the user means to connect, if known
  std::optional<std::string> integration_id;    // the OAuth integration to reconnect
};

struct StartedOAuth {
  std::string authorize_url;
  // Value of the binding cookie the browser must carry back to the callback (reused when the
  // browser already had one).
  std::string binding;
  int64_t expires_at = 0;
};

// What the callback received.
struct OAuthCallback {
  std::string state, code, error, error_description;
  std::string binding;  // the binding cookie, or empty
};

// Manual OAuth entry.
struct ManualOAuth {
  std::string name;
  std::optional<std::string> client_id;  // Stripeline client
  bool active = true;
  std::string connect_client_id;  // ca_...
  std::string client_secret;      // the platform's secret key
  std::string refresh_token;
};

class OAuthService {
 public:
  // `limiters` pace the calls (the registry every other caller of Stripe shares).
  OAuthService(store::Store& store, const SecretBox& box, const stripe::Client& client,
               stripe::RateLimiterRegistry& limiters, access::UserService& users,
               IntegrationService& integrations, Clock& clock = Clock::Real());

  // Admins. Validates every field and that Stripe accepts the secret key; audited.
  Result<ConnectSettingsView> PutSettings(const access::Actor& actor,
                                          const ConnectSettings& settings);
  // Admins. configured=false when never set.
  Result<ConnectSettingsView> GetSettings(const access::Actor& actor);

  // Admins. FailedPrecondition when the settings are missing, or (not_an_oauth_integration)
  // when asked to reconnect an integration that connects with an API key. `binding` is the
  // browser's existing binding cookie, or empty for a new one. Expired states a day old are
  // deleted here, so the table holds at most a day of authorizations.
  Result<StartedOAuth> Start(const access::Actor& actor, const OAuthStart& request,
                             const std::string& binding);
  // The callback. InvalidArgument (codes oauth_state_unknown, oauth_state_used,
  // oauth_state_expired, oauth_state_other_browser) stores nothing for a state it refuses; a
  // valid state is consumed whatever follows. Then the user's refusal (access_denied), Stripe's
  // token errors (their OAuth code: invalid_grant, invalid_client, ...) and an unexpected
  // account (oauth_account_mismatch) are errors with nothing saved. A reconnect's state
  // replaces the integration's grant (IntegrationService::ReconnectOAuth) when Stripe answers
  // with the integration's own account; another account (oauth_reconnect_other_account) or an
  // integration deleted meanwhile (oauth_integration_gone) changes nothing.
  Result<Saved> Complete(const OAuthCallback& callback);

  // Admins: exchanges the refresh token for an access token and adds the integration; Stripe's
  // refusal is InvalidArgument with its OAuth code.
  Result<Saved> AddManual(const access::Actor& actor, const ManualOAuth& request);

  // Revokes OAuth integration `integration`'s grant at Stripe (its sealed credentials say
  // which Connect application holds it). sync::IntegrationRemoval calls it once a delete is
  // committed, and IntegrationService::RecordRevocation records the answer.
  Status Deauthorize(const store::Integration& integration);

 private:
  struct Settings {
    ConnectSettings entered;
    std::string secret_key_masked, platform_account_id;
  };
  Result<std::optional<Settings>> LoadSettings();
  Result<Settings> RequireSettings();
  // The state's fields for reconnecting integration `id` (an OAuth one the actor may see).
  Status FillReconnect(const access::Actor& actor, const OAuthStart& request,
                       store::OAuthState& state);
  // Revokes the platform's access to `account`, a grant the callback will not keep — unless an
  // OAuth integration still relies on that account (Stripe's deauthorization cuts the platform
  // off the account as a whole, not one grant). Says which happened, as a sentence.
  std::string GiveBack(const Settings& settings, const std::string& account);
  // The session of the platform account that `platform_key` belongs to: `platform_account_id`
  // when known (empty: not known, the limiter the key is bound to or its own).
  stripe::AccountSession PlatformSession(const std::string& platform_key,
                                         const std::string& platform_account_id) const;

  store::Store& store_;
  const SecretBox& box_;
  const stripe::Client& client_;
  stripe::RateLimiterRegistry& limiters_;
  access::UserService& users_;
  IntegrationService& integrations_;
  Clock& clock_;
};

}  // namespace stripeline::integrations
