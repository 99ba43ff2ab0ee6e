#pragma once
// IntegrationService: everything a person can do to a Stripe connection — add (validated
// against Stripe first; nothing is stored when the key is refused), list, show, edit
// (re-validated when the credentials change), delete, activate, deactivate, test — with role
// checks, audit entries (never the secret) and health tracking. The REST API and the CLI are
// thin layers over it. Thread-safe: no mutable state of its own.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "access/actor.h"
#include "common/clock.h"
#include "common/result.h"
#include "common/secrets.h"
#include "integrations/catalog.h"
#include "integrations/connection_check.h"
#include "integrations/credentials.h"
#include "store/store.h"

namespace stripeline::integrations {

// Health states, as stored and as the API shows them.
inline constexpr char kHealthUnknown[] = "unknown";
inline constexpr char kHealthOk[] = "ok";
inline constexpr char kHealthNeedsReconnect[] = "needs_reconnect";
inline constexpr char kHealthMissingPermissions[] = "missing_permissions";
inline constexpr char kHealthUnavailable[] = "unavailable";

struct NewIntegration {
  std::string type = "stripe";
  std::string name;
  std::string auth_scheme = "api_key";
  std::string secret_key;
  bool active = true;
  std::optional<std::string> client_id;
  std::optional<std::string> account_id;  // Stripe-Account to act for
};

// Fields left unset are not changed. For the optional-of-optional fields, a set outer with an
// empty inner clears the value.
struct IntegrationEdit {
  std::optional<std::string> name;
  std::optional<std::string> secret_key;
  std::optional<bool> active;
  std::optional<std::optional<std::string>> account_id;
  std::optional<std::optional<std::string>> client_id;
};

// An integration whose credentials came from Connect OAuth (the callback or manual entry):
// `credentials.secret_key` is the access token, acting for `stripe_user_id`.
struct NewOAuthIntegration {
  std::string name;
  std::optional<std::string> client_id;
  bool active = true;
  StripeCredentials credentials;
  std::string stripe_user_id;
};

struct Saved {
  store::Integration integration;
  std::string message;  // what the user sees: "Integration added", ...
  // Non-fatal findings, e.g. a restricted key's missing permissions.
  std::vector<std::string> warnings;
};

// Removes an integration's synced data when it is deleted with keep_data=false; returns a
// sentence saying what was removed. The sync layer implements it (SyncEngine::DeleteSyncedData);
// it runs inside the transaction that deletes the integration, so a failure keeps both.
using SyncedDataRemover = std::function<Result<std::string>(const store::Integration&)>;

// Revokes an OAuth integration's access at Stripe when it is deleted (OAuthService::Deauthorize).
using Deauthorizer =
    std::function<Status(const store::Integration&, const StripeCredentials&)>;

class IntegrationService {
 public:
  IntegrationService(store::Store& store, const SecretBox& box, const ConnectionChecker& checker,
                     Clock& clock = Clock::Real());

  // Set once by the composition root, before the service is shared between threads. Without
  // one, a delete with keep_data=false has no synced data to remove.
  void SetSyncedDataRemover(SyncedDataRemover remover) { remove_synced_data_ = std::move(remover); }
  // The same for deauthorizing OAuth integrations on delete. Without one, nothing is revoked.
  void SetDeauthorizer(Deauthorizer deauthorizer) { deauthorize_ = std::move(deauthorizer); }

  Result<Saved> Add(const access::Actor& actor, const NewIntegration& request);
  // Adds an integration from an OAuth grant (admins): checks the access token reaches
  // `stripe_user_id` first; a refused token stores nothing.
  Result<Saved> AddOAuth(const access::Actor& actor, const NewOAuthIntegration& request);
  // Reconnects OAuth integration `id` in place with a new grant for the same account (admins):
  // the access token must work and reach the integration's `stripe_account_id` in the same mode;
  // then the sealed credentials are replaced, health is recorded (ok) and an
  // `integration.reconnected` audit entry written. Synced data and sync state are untouched, so
  // the next sync resumes from its checkpoints. Anything refused changes nothing.
  // The OAuth integration `id`, for an admin about to reconnect it; FailedPrecondition
  // (not_an_oauth_integration) for one that connects with an API key.
  Result<store::Integration> GetForReconnect(const access::Actor& actor, const std::string& id);
  Result<Saved> ReconnectOAuth(const access::Actor& actor, const std::string& id,
                               const StripeCredentials& credentials,
                               const std::string& stripe_user_id);
  // The checks Add makes on a name, a client and an Account ID, without adding anything (for
  // flows that add later, such as OAuth).
  Status ValidateDetails(const std::string& name, const std::optional<std::string>& client_id,
                         const std::optional<std::string>& account_id);
  // Integrations the actor may see, optionally only those of one client.
  Result<std::vector<store::Integration>> List(const access::Actor& actor,
                                               const std::optional<std::string>& client_id);
  Result<store::Integration> Get(const access::Actor& actor, const std::string& id);
  Result<Saved> Edit(const access::Actor& actor, const std::string& id, const IntegrationEdit& edit);
  // `keep_data`: keep the synced data (it stays queryable), or remove it with the integration.
  // An OAuth integration is then deauthorized at Stripe; the message says whether Stripe
  // confirmed (the integration is deleted either way), and so does an
  // `integration.deauthorized` audit entry.
  Result<std::string> Delete(const access::Actor& actor, const std::string& id, bool keep_data);
  Result<Saved> SetActive(const access::Actor& actor, const std::string& id, bool active);
  // Tests a saved integration and records its health. Inactive integrations are never called.
  Result<ConnectionCheck> Test(const access::Actor& actor, const std::string& id);
  // Tests credentials before saving; stores nothing.
  Result<ConnectionCheck> TestCredentials(const access::Actor& actor,
                                          const NewIntegration& request);
  Result<std::vector<store::AuditEntry>> Audit(const access::Actor& actor, const std::string& id);

  // For subsystems that call Stripe on an integration's behalf (sync): its credentials, and
  // the health update after a call.
  Result<StripeCredentials> Credentials(const store::Integration& integration) const;
  Status RecordCheck(const std::string& id, const ConnectionCheck& check);
  // Stripe says it revoked the integration's grant (`account.application.deauthorized`, event
  // `event_id`): health needs_reconnect, "Access was revoked in Stripe" — unless the grant held
  // now still works, which means the event is older than a reconnect and is about the grant it
  // replaced (an events poll meets it only after the reconnect, since the revoked token could
  // not list it). An inactive integration is never called, so it is recorded as revoked.
  Status RecordDeauthorization(const std::string& id, const std::string& event_id);

 private:
  Result<store::Integration> Visible(const access::Actor& actor, const std::string& id);
  Status ValidateClient(const std::optional<std::string>& client_id);
  Status ValidateAccountId(const std::optional<std::string>& account_id) const;
  // Validates new credentials against Stripe; a refused key is an error, missing permissions
  // are a warning.
  Result<ConnectionCheck> Validate(const std::string& secret_key,
                                   const std::optional<std::string>& account_id) const;
  void ApplyCheck(store::Integration& integration, const ConnectionCheck& check) const;
  // Checks that an OAuth access token works and reaches `stripe_user_id`; `unchanged` ends the
  // error message ("Nothing was saved.").
  Result<ConnectionCheck> CheckGrant(const std::string& access_token,
                                     const std::string& stripe_user_id,
                                     std::string_view unchanged) const;
  // Stores a new integration with its audit entry; the Saved says "Integration added" with
  // the check's warnings.
  Result<Saved> Insert(const access::Actor& actor, store::Integration integration,
                       const ConnectionCheck& check);
  Status AppendAudit(const access::Actor& actor, const std::string& action,
                     const store::Integration& integration, std::string summary,
                     std::string details_json = "{}");

  store::Store& store_;
  const SecretBox& box_;
  const ConnectionChecker& checker_;
  Clock& clock_;
  SyncedDataRemover remove_synced_data_;
  Deauthorizer deauthorize_;
};

// The health state a check leads to.
std::string HealthFor(const ConnectionCheck& check);

}  // namespace stripeline::integrations
