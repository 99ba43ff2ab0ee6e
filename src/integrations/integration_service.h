#pragma once
// IntegrationService: everything a person can do to a Stripe connection — add (validated
// against Stripe first; nothing is stored when the key is refused), list, show, edit
// (re-validated when the credentials change), delete, activate, deactivate, test — with role
// checks, audit entries (never the secret) and health tracking. The REST API and the CLI are
// thin layers over it. Thread-safe: no mutable state of its own.

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

// An integration's health: the record's (store/entities.h), named here where it is decided.
// Its strings (store::HealthName) appear only in the row mapper and the JSON views.
using store::Health;

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

class IntegrationService {
 public:
  IntegrationService(store::Store& store, const SecretBox& box, const ConnectionChecker& checker,
                     Clock& clock = Clock::Real());

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

  // Deleting an integration is a use case of the layer above (sync::IntegrationRemoval): it
  // removes the synced data and the integration in one transaction, then revokes an OAuth
  // grant. These are its integrations/ parts.
  //
  // The integration `id`, for an admin about to delete it: the checks Delete makes, for a
  // caller that acts before the delete.
  Result<store::Integration> GetForDelete(const access::Actor& actor, const std::string& id);
  // Deletes integration `id` (admins) with an `integration.deleted` audit entry that says what
  // became of its synced data: kept (`keep_data`), or removed by the caller, whose sentence
  // `data_removed` says what it removed ("" for nothing). Runs in a transaction that joins the
  // caller's, so the caller's removal and this delete commit or fail together. Returns
  // "Integration deleted".
  Result<std::string> Delete(const access::Actor& actor, const std::string& id, bool keep_data,
                             const std::string& data_removed);
  // Records what Stripe answered (`revoked`) when deleted OAuth integration `integration`'s
  // grant was revoked after the delete committed: an `integration.deauthorized` audit entry
  // either way. Returns the clause the delete's message continues with: that the access was
  // revoked, or that it was not, why, and where to revoke it by hand.
  Result<std::string> RecordRevocation(const access::Actor& actor,
                                       const store::Integration& integration,
                                       const Status& revoked);
  Result<Saved> SetActive(const access::Actor& actor, const std::string& id, bool active);
  // Tests a saved integration and records its health. Inactive integrations are never called.
  Result<ConnectionCheck> Test(const access::Actor& actor, const std::string& id);
  // Tests credentials before saving; stores nothing.
  Result<ConnectionCheck> TestCredentials(const access::Actor& actor,
                                          const NewIntegration& request);
  // Integration `id`'s audit entries, newest first (at most 200), for anyone who can see it.
  Result<std::vector<store::AuditEntry>> Audit(const access::Actor& actor, const std::string& id);
  // The whole audit log, newest first (at most 500): admins only.
  Result<std::vector<store::AuditEntry>> AuditLog(const access::Actor& actor);

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
};

// The health state a check leads to.
Health HealthFor(const ConnectionCheck& check);

}  // namespace stripeline::integrations
