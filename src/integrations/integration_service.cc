#include "integrations/integration_service.h"

#include <boost/json.hpp>

#include "common/log.h"
#include "common/names.h"
#include "common/text.h"
#include "integrations/catalog.h"
#include "stripe/api_key.h"

namespace stripeline::integrations {

namespace {

// The refusal of a key of the other mode than `integration`'s (422 mode_change_refused).
Status ModeChangeRefused(const store::Integration& integration) {
  const std::string mode = integration.livemode ? "live" : "test";
  const std::string other = integration.livemode ? "test" : "live";
  return Status::InvalidArgument(
      "This integration syncs " + mode + " data; a " + other +
          " key belongs to a new integration. Add one with the " + other +
          " key: this integration and its " + mode + " data stay as they are.",
      "mode_change_refused");
}

std::string ReasonText(const ConnectionCheck& check) {
  static constexpr std::string_view kPrefix = "Connection unavailable: ";
  std::string_view message = check.message;
  if (message.starts_with(kPrefix)) message.remove_prefix(kPrefix.size());
  return std::string(message);
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

}  // namespace

Health HealthFor(const ConnectionCheck& check) {
  switch (check.failure) {
    case ConnectionFailure::kNone: return Health::kOk;
    case ConnectionFailure::kInvalidCredentials:
    case ConnectionFailure::kExpiredCredentials: return Health::kNeedsReconnect;
    case ConnectionFailure::kMissingPermissions: return Health::kMissingPermissions;
    case ConnectionFailure::kStripeUnreachable:
    case ConnectionFailure::kStripeError: return Health::kUnavailable;
  }
  return Health::kUnavailable;
}

IntegrationService::IntegrationService(store::Store& store, const SecretBox& box,
                                       const ConnectionChecker& checker, Clock& clock)
    : store_(store), box_(box), checker_(checker), clock_(clock) {}

Status IntegrationService::ValidateClient(const std::optional<std::string>& client_id) {
  if (!client_id) return Status::OK();
  auto client = store_.GetClient(*client_id);
  if (client.ok()) return Status::OK();
  if (client.status().code() == StatusCode::kNotFound) {
    return Status::InvalidArgument("There is no client with id '" + *client_id + "'.",
                                   "unknown_client");
  }
  return client.status();
}

Status IntegrationService::ValidateAccountId(const std::optional<std::string>& account_id) const {
  if (!account_id) return Status::OK();
  const std::string& id = *account_id;
  bool shaped = id.starts_with("acct_") && id.size() > 5 &&
                id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789_") == std::string::npos;
  if (!shaped) {
    return Status::InvalidArgument(
        "The Account ID must look like acct_1A2b3C (the connected account to act for).",
        "invalid_account_id");
  }
  return Status::OK();
}

Result<ConnectionCheck> IntegrationService::Validate(
    const std::string& secret_key, const std::optional<std::string>& account_id) const {
  auto info = stripe::ClassifyApiKey(secret_key);
  if (!info.ok()) {
    return Status::InvalidArgument("The secret key is invalid: " + info.status().message(),
                                   "invalid_secret_key");
  }
  ConnectionCheck check = checker_.Check(secret_key, account_id);
  switch (check.failure) {
    case ConnectionFailure::kNone:
    case ConnectionFailure::kMissingPermissions:
      return check;
    case ConnectionFailure::kInvalidCredentials:
    case ConnectionFailure::kExpiredCredentials:
      return Status::InvalidArgument("The secret key is invalid: " + check.stripe_message,
                                     "invalid_secret_key");
    case ConnectionFailure::kStripeUnreachable:
      return Status::Unavailable("Stripe could not be reached to validate the key, so nothing "
                                 "was saved: " + check.stripe_message,
                                 "stripe_unreachable");
    case ConnectionFailure::kStripeError:
      return Status::Unavailable("Stripe answered with an error while validating the key, so "
                                 "nothing was saved: " + check.stripe_message,
                                 "stripe_error");
  }
  return Status::Internal("unhandled connection check outcome");
}

void IntegrationService::ApplyCheck(store::Integration& integration,
                                    const ConnectionCheck& check) const {
  integration.health = HealthFor(check);
  integration.health_reason = check.available() ? "" : ReasonText(check);
  integration.health_checked_at = clock_.NowUnix();
  integration.missing_permissions = check.missing_permissions;
  if (!check.account_id.empty()) integration.stripe_account_id = check.account_id;
  if (!check.account_name.empty()) integration.stripe_account_name = check.account_name;
}

Status IntegrationService::AppendAudit(const access::Actor& actor, const std::string& action,
                                       const store::Integration& integration, std::string summary,
                                       std::string details_json) {
  store::AuditEntry entry{.id = 0,
                          .at = clock_.NowUnix(),
                          .actor = actor.email,
                          .action = action,
                          .integration_id = integration.id,
                          .summary = std::move(summary),
                          .details_json = std::move(details_json)};
  auto appended = store_.AppendAudit(entry);
  return appended.ok() ? Status::OK() : appended.status();
}

Result<store::Integration> IntegrationService::Visible(const access::Actor& actor,
                                                       const std::string& id) {
  auto integration = store_.GetIntegration(id);
  if (!integration.ok() || !actor.CanSeeClient(integration->client_id)) {
    if (integration.ok() || integration.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("There is no integration with id '" + id + "'.");
    }
  }
  return integration;
}

Result<Saved> IntegrationService::Add(const access::Actor& actor, const NewIntegration& request) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "add integrations"));
  const IntegrationType* type = FindIntegrationType(request.type);
  if (type == nullptr) {
    return Status::InvalidArgument("Unknown integration type '" + request.type +
                                       "'; available: stripe.",
                                   "unknown_integration_type");
  }
  if (FindAuthScheme(*type, request.auth_scheme) == nullptr) {
    return Status::InvalidArgument("Unknown auth scheme '" + request.auth_scheme +
                                       "' for Stripe; available: api_key, oauth.",
                                   "unknown_auth_scheme");
  }
  if (request.auth_scheme == kOAuthScheme) {
    return Status::InvalidArgument(
        "An OAuth integration is added with Connect with Stripe (POST /api/v1/oauth/stripe/start) "
        "or with oauth_client_id, oauth_client_secret and refresh_token.",
        "invalid_auth_scheme");
  }
  SL_ASSIGN_OR_RETURN(std::string name, CleanName(request.name, "integration"));
  SL_RETURN_IF_ERROR(ValidateClient(request.client_id));
  SL_RETURN_IF_ERROR(ValidateAccountId(request.account_id));
  SL_ASSIGN_OR_RETURN(ConnectionCheck check, Validate(request.secret_key, request.account_id));

  int64_t now = clock_.NowUnix();
  store::Integration integration;
  integration.id = NewId("int");
  integration.type = type->id;
  integration.name = name;
  integration.client_id = request.client_id;
  integration.auth_scheme = request.auth_scheme;
  SL_ASSIGN_OR_RETURN(integration.credentials_sealed,
                      SealCredentials(box_, integration.id, {.secret_key = request.secret_key}));
  integration.secret_key_masked = stripe::MaskKey(request.secret_key);
  integration.account_id = request.account_id;
  integration.livemode = check.livemode;
  integration.active = request.active;
  integration.created_at = integration.updated_at = now;
  return Insert(actor, std::move(integration), check);
}

Result<Saved> IntegrationService::AddOAuth(const access::Actor& actor,
                                           const NewOAuthIntegration& request) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "add integrations"));
  SL_ASSIGN_OR_RETURN(std::string name, CleanName(request.name, "integration"));
  SL_RETURN_IF_ERROR(ValidateDetails(name, request.client_id, std::nullopt));
  SL_ASSIGN_OR_RETURN(ConnectionCheck check,
                      CheckGrant(request.credentials.secret_key, request.stripe_user_id,
                                 "Nothing was saved."));
  int64_t now = clock_.NowUnix();
  store::Integration integration;
  integration.id = NewId("int");
  integration.type = kStripeType;
  integration.name = name;
  integration.client_id = request.client_id;
  integration.auth_scheme = kOAuthScheme;
  SL_ASSIGN_OR_RETURN(integration.credentials_sealed,
                      SealCredentials(box_, integration.id, request.credentials));
  integration.secret_key_masked = stripe::MaskKey(request.credentials.secret_key);
  integration.stripe_account_id = request.stripe_user_id;
  integration.livemode = check.livemode;
  integration.active = request.active;
  integration.created_at = integration.updated_at = now;
  return Insert(actor, std::move(integration), check);
}

Result<ConnectionCheck> IntegrationService::CheckGrant(const std::string& access_token,
                                                       const std::string& stripe_user_id,
                                                       std::string_view unchanged) const {
  ConnectionCheck check = checker_.Check(access_token, std::nullopt);
  if (!check.available() && check.failure != ConnectionFailure::kMissingPermissions) {
    return Status::FailedPrecondition(
        "Stripe granted access, but the access token does not work: " + ReasonText(check) +
            ". " + std::string(unchanged),
        "oauth_token_refused");
  }
  if (!check.account_id.empty() && check.account_id != stripe_user_id) {
    return Status::FailedPrecondition("The access token reaches Stripe account " +
                                          check.account_id + ", not " + stripe_user_id + ". " +
                                          std::string(unchanged),
                                      "account_mismatch");
  }
  return check;
}

Result<store::Integration> IntegrationService::GetForReconnect(const access::Actor& actor,
                                                               const std::string& id) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "reconnect integrations"));
  SL_ASSIGN_OR_RETURN(store::Integration integration, Visible(actor, id));
  if (integration.auth_scheme != kOAuthScheme) {
    return Status::FailedPrecondition(
        "Integration '" + integration.name + "' connects with an API key: reconnect it with a "
        "new key instead (PATCH /api/v1/integrations/" + integration.id + " with secret_key).",
        "not_an_oauth_integration");
  }
  return integration;
}

Result<Saved> IntegrationService::ReconnectOAuth(const access::Actor& actor,
                                                 const std::string& id,
                                                 const StripeCredentials& credentials,
                                                 const std::string& stripe_user_id) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, GetForReconnect(actor, id));
  // Its history is this account's: another account would mix two businesses' data.
  if (stripe_user_id != integration.stripe_account_id) {
    return Status::FailedPrecondition("Stripe granted access to account " + stripe_user_id +
                                          ", but integration '" + integration.name +
                                          "' is connected to " + integration.stripe_account_id +
                                          ". Nothing was changed.",
                                      "account_mismatch");
  }
  SL_ASSIGN_OR_RETURN(ConnectionCheck check,
                      CheckGrant(credentials.secret_key, stripe_user_id, "Nothing was changed."));
  if (check.livemode != integration.livemode) {
    return Status::FailedPrecondition(
        std::string("Stripe granted ") + (check.livemode ? "live" : "test") +
            "-mode access, but integration '" + integration.name + "' syncs " +
            (integration.livemode ? "live" : "test") +
            "-mode data: switch the Stripe Connect settings to the other mode's client ID and "
            "key. Nothing was changed.",
        "mode_mismatch");
  }
  const Health health_before = integration.health;
  SL_ASSIGN_OR_RETURN(integration.credentials_sealed,
                      SealCredentials(box_, integration.id, credentials));
  integration.secret_key_masked = stripe::MaskKey(credentials.secret_key);
  ApplyCheck(integration, check);
  integration.updated_at = clock_.NowUnix();
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store_.UpdateIntegration(integration));
    boost::json::object details{{"stripe_account_id", integration.stripe_account_id},
                                {"key", integration.secret_key_masked},
                                {"health_before", store::HealthName(health_before)},
                                {"health", store::HealthName(integration.health)}};
    return AppendAudit(actor, "integration.reconnected", integration,
                       "Reconnected '" + integration.name + "' to Stripe account " +
                           integration.stripe_account_id + " with a new grant",
                       boost::json::serialize(details));
  }));
  log::Info("integration.reconnected", {{"id", integration.id},
                                        {"key", integration.secret_key_masked},
                                        {"by", actor.email}});
  Saved saved{.integration = integration, .message = "Integration reconnected", .warnings = {}};
  if (!check.missing_permissions.empty()) {
    saved.warnings.push_back("The grant is missing permissions: " +
                             JoinWords(check.missing_permissions) + ".");
  }
  return saved;
}

Status IntegrationService::ValidateDetails(const std::string& name,
                                           const std::optional<std::string>& client_id,
                                           const std::optional<std::string>& account_id) {
  SL_RETURN_IF_ERROR(CleanName(name, "integration").status());
  SL_RETURN_IF_ERROR(ValidateClient(client_id));
  return ValidateAccountId(account_id);
}

Result<Saved> IntegrationService::Insert(const access::Actor& actor,
                                         store::Integration integration,
                                         const ConnectionCheck& check) {
  ApplyCheck(integration, check);
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store_.CreateIntegration(integration));
    boost::json::object details{{"name", integration.name},
                                {"auth_scheme", integration.auth_scheme},
                                {"key", integration.secret_key_masked},
                                {"active", integration.active},
                                {"stripe_account_id", integration.stripe_account_id}};
    return AppendAudit(actor, "integration.added", integration,
                       "Added integration '" + integration.name + "'",
                       boost::json::serialize(details));
  }));
  log::Info("integration.added", {{"id", integration.id}, {"key", integration.secret_key_masked},
                                  {"by", actor.email}});
  Saved saved{.integration = integration, .message = "Integration added", .warnings = {}};
  if (!check.missing_permissions.empty()) {
    saved.warnings.push_back("The key is missing permissions: " +
                             JoinWords(check.missing_permissions) +
                             ". Data that needs them will not be synced until they are granted.");
  }
  return saved;
}

Result<std::vector<store::Integration>> IntegrationService::List(
    const access::Actor& actor, const std::optional<std::string>& client_id) {
  if (client_id && !actor.CanSeeClient(client_id)) {
    return Status::NotFound("There is no client with id '" + *client_id + "'.");
  }
  SL_ASSIGN_OR_RETURN(auto all, store_.ListIntegrations(client_id));
  std::vector<store::Integration> visible;
  for (auto& integration : all) {
    if (actor.CanSeeClient(integration.client_id)) visible.push_back(std::move(integration));
  }
  return visible;
}

Result<store::Integration> IntegrationService::Get(const access::Actor& actor,
                                                   const std::string& id) {
  return Visible(actor, id);
}

Result<Saved> IntegrationService::Edit(const access::Actor& actor, const std::string& id,
                                       const IntegrationEdit& edit) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "edit integrations"));
  SL_ASSIGN_OR_RETURN(store::Integration integration, Visible(actor, id));
  std::vector<std::string> changed;
  Saved saved;
  if (edit.name) {
    SL_ASSIGN_OR_RETURN(std::string name, CleanName(*edit.name, "integration"));
    if (name != integration.name) changed.push_back("name");
    integration.name = name;
  }
  if (edit.client_id) {
    SL_RETURN_IF_ERROR(ValidateClient(*edit.client_id));
    if (*edit.client_id != integration.client_id) changed.push_back("client_id");
    integration.client_id = *edit.client_id;
  }
  if (integration.auth_scheme == kOAuthScheme && (edit.secret_key || edit.account_id)) {
    // Its key is an access token Stripe issued with a refresh token: a pasted key or another
    // account would leave the sealed grant behind.
    return Status::InvalidArgument(
        "An OAuth integration's credentials come from Stripe: reconnect it with Connect with "
        "Stripe (POST /api/v1/oauth/stripe/start with integration_id) instead of changing its "
        "key or Account ID.",
        "oauth_credentials_fixed");
  }
  if (edit.secret_key) {
    // A key's mode is its integration's for good: the synced rows, the reports and the webhook
    // endpoint are its mode's (sync/data_scope.h). A key of the other mode is another
    // integration, so this one's data is neither mixed with nor replaced by the other mode's.
    // A malformed key is left to Validate, which says what is wrong with it.
    if (Result<stripe::ApiKeyInfo> key = stripe::ClassifyApiKey(*edit.secret_key);
        key.ok() && key->livemode != integration.livemode) {
      return ModeChangeRefused(integration);
    }
  }
  std::optional<std::string> account_id = integration.account_id;
  if (edit.account_id) {
    SL_RETURN_IF_ERROR(ValidateAccountId(*edit.account_id));
    account_id = *edit.account_id;
  }
  bool credentials_changed = edit.secret_key.has_value() || account_id != integration.account_id;
  if (credentials_changed) {
    std::string secret_key;
    if (edit.secret_key) {
      secret_key = *edit.secret_key;
    } else {
      SL_ASSIGN_OR_RETURN(StripeCredentials current, Credentials(integration));
      secret_key = current.secret_key;
    }
    // A new key for the same target must reach the same Stripe account, or the integration's
    // history would silently switch accounts. Changing the Account ID is a deliberate retarget.
    std::string previous_account = integration.stripe_account_id;
    SL_ASSIGN_OR_RETURN(ConnectionCheck check, Validate(secret_key, account_id));
    bool same_target = account_id == integration.account_id;
    if (same_target && !previous_account.empty() && !check.account_id.empty() &&
        check.account_id != previous_account) {
      return Status::InvalidArgument(
          "The new key belongs to Stripe account " + check.account_id +
              ", but this integration is connected to " + previous_account +
              ". Add a new integration for the other account instead.",
          "account_mismatch");
    }
    if (edit.secret_key) {
      SL_ASSIGN_OR_RETURN(integration.credentials_sealed,
                          SealCredentials(box_, integration.id, {.secret_key = secret_key}));
      integration.secret_key_masked = stripe::MaskKey(secret_key);
      changed.push_back("secret_key");
    }
    if (check.livemode != integration.livemode) return ModeChangeRefused(integration);
    if (account_id != integration.account_id) changed.push_back("account_id");
    integration.account_id = account_id;
    ApplyCheck(integration, check);
    if (!check.missing_permissions.empty()) {
      saved.warnings.push_back("The key is missing permissions: " +
                               JoinWords(check.missing_permissions) + ".");
    }
  }
  if (edit.active && *edit.active != integration.active) {
    changed.push_back("active");
    integration.active = *edit.active;
  }
  integration.updated_at = clock_.NowUnix();
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store_.UpdateIntegration(integration));
    boost::json::array fields;
    for (const auto& field : changed) fields.push_back(boost::json::string(field));
    boost::json::object details{{"changed", fields}};
    if (edit.secret_key) details["key"] = integration.secret_key_masked;
    return AppendAudit(actor, "integration.updated", integration,
                       changed.empty() ? "Saved integration '" + integration.name +
                                             "' without changes"
                                       : "Changed " + JoinWords(changed) + " of '" +
                                             integration.name + "'",
                       boost::json::serialize(details));
  }));
  log::Info("integration.updated", {{"id", integration.id}, {"by", actor.email}});
  saved.integration = std::move(integration);
  saved.message = "Integration updated";
  return saved;
}

Result<store::Integration> IntegrationService::GetForDelete(const access::Actor& actor,
                                                            const std::string& id) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "delete integrations"));
  return Visible(actor, id);
}

Result<std::string> IntegrationService::Delete(const access::Actor& actor, const std::string& id,
                                               bool keep_data, const std::string& data_removed) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, GetForDelete(actor, id));
  std::string data_outcome = keep_data ? "synced data kept" : "synced data removed";
  if (!data_removed.empty()) data_outcome += ": " + data_removed;
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    SL_RETURN_IF_ERROR(store_.DeleteIntegration(integration.id));
    boost::json::object details{{"name", integration.name}, {"keep_data", keep_data}};
    return AppendAudit(actor, "integration.deleted", integration,
                       "Deleted integration '" + integration.name + "' (" + data_outcome + ")",
                       boost::json::serialize(details));
  }));
  log::Info("integration.deleted", {{"id", integration.id}, {"by", actor.email}});
  return std::string("Integration deleted");
}

Result<std::string> IntegrationService::RecordRevocation(const access::Actor& actor,
                                                         const store::Integration& integration,
                                                         const Status& revoked) {
  boost::json::object details{{"deauthorized", revoked.ok()},
                              {"stripe_account_id", integration.stripe_account_id}};
  std::string clause;
  if (revoked.ok()) {
    clause = "; its access to Stripe account " + integration.stripe_account_id + " was revoked";
  } else {
    details["error"] = revoked.message();
    clause = ", but Stripe did not revoke its access to account " +
             integration.stripe_account_id + " (" + revoked.message() +
             "); revoke it in the Stripe Dashboard under Settings → Connected apps";
    log::Warn("integration.deauthorize_failed",
              {{"id", integration.id}, {"error", revoked.message()}});
  }
  SL_RETURN_IF_ERROR(AppendAudit(actor, "integration.deauthorized", integration,
                                 revoked.ok() ? "Revoked the Stripe grant of '" +
                                                    integration.name + "'"
                                              : "Stripe did not revoke the grant of '" +
                                                    integration.name + "'",
                                 boost::json::serialize(details)));
  return clause;
}

Result<Saved> IntegrationService::SetActive(const access::Actor& actor, const std::string& id,
                                            bool active) {
  SL_RETURN_IF_ERROR(
      access::RequireAdmin(actor, active ? "activate integrations" : "deactivate integrations"));
  SL_ASSIGN_OR_RETURN(store::Integration integration, Visible(actor, id));
  std::string message = active ? "Integration activated" : "Integration deactivated";
  if (integration.active != active) {
    integration.active = active;
    integration.updated_at = clock_.NowUnix();
    SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
      SL_RETURN_IF_ERROR(store_.UpdateIntegration(integration));
      return AppendAudit(actor, active ? "integration.activated" : "integration.deactivated",
                         integration, message + ": '" + integration.name + "'");
    }));
  }
  return Saved{.integration = integration, .message = message, .warnings = {}};
}

Result<ConnectionCheck> IntegrationService::Test(const access::Actor& actor,
                                                 const std::string& id) {
  SL_RETURN_IF_ERROR(access::RequireMember(actor, "testing a connection"));
  SL_ASSIGN_OR_RETURN(store::Integration integration, Visible(actor, id));
  if (!integration.active) {
    return Status::FailedPrecondition(
        "Integration '" + integration.name +
            "' is inactive, and inactive integrations are never called. Activate it first.",
        "integration_inactive");
  }
  SL_ASSIGN_OR_RETURN(StripeCredentials credentials, Credentials(integration));
  ConnectionCheck check = checker_.Check(credentials.secret_key, integration.account_id);
  SL_RETURN_IF_ERROR(RecordCheck(integration.id, check));
  return check;
}

Result<ConnectionCheck> IntegrationService::TestCredentials(const access::Actor& actor,
                                                            const NewIntegration& request) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "test new credentials"));
  SL_RETURN_IF_ERROR(ValidateAccountId(request.account_id));
  return checker_.Check(request.secret_key, request.account_id);
}

Result<std::vector<store::AuditEntry>> IntegrationService::Audit(const access::Actor& actor,
                                                                 const std::string& id) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, Visible(actor, id));
  return store_.ListAudit(integration.id, 200);
}

Result<std::vector<store::AuditEntry>> IntegrationService::AuditLog(const access::Actor& actor) {
  SL_RETURN_IF_ERROR(access::RequireAdmin(actor, "read the whole audit log"));
  return store_.ListAudit(std::nullopt, 500);
}

Result<StripeCredentials> IntegrationService::Credentials(
    const store::Integration& integration) const {
  return OpenCredentials(box_, integration);
}

Status IntegrationService::RecordCheck(const std::string& id, const ConnectionCheck& check) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, store_.GetIntegration(id));
  const Health before = integration.health;
  ApplyCheck(integration, check);
  SL_RETURN_IF_ERROR(store_.UpdateIntegration(integration));
  if (before != integration.health) {
    access::Actor system;
    system.email = "stripeline";
    const std::string from(store::HealthName(before));
    const std::string to(store::HealthName(integration.health));
    boost::json::object details{{"from", from}, {"to", to},
                                {"reason", integration.health_reason}};
    SL_RETURN_IF_ERROR(AppendAudit(system, "integration.health_changed", integration,
                                   "Health changed from " + from + " to " + to,
                                   boost::json::serialize(details)));
    log::Warn("integration.health_changed", {{"id", id}, {"from", from}, {"to", to},
                                             {"reason", integration.health_reason}});
  }
  return Status::OK();
}

Status IntegrationService::RecordDeauthorization(const std::string& id,
                                                 const std::string& event_id) {
  SL_ASSIGN_OR_RETURN(store::Integration integration, store_.GetIntegration(id));
  // Credentials that cannot be opened, or a check that fails for any reason, leave the event
  // to speak: Stripe said the grant is gone.
  Result<StripeCredentials> credentials = Credentials(integration);
  if (integration.active && credentials.ok()) {
    ConnectionCheck current = checker_.Check(credentials->secret_key, integration.account_id);
    if (current.available()) {
      log::Info("integration.deauthorization_superseded",
                {{"id", id}, {"event", event_id},
                 {"reason", "the current grant works: the event predates a reconnect"}});
      return Status::OK();
    }
  }
  ConnectionCheck revoked;
  revoked.failure = ConnectionFailure::kInvalidCredentials;
  revoked.message = "Connection unavailable: Access was revoked in Stripe";
  revoked.stripe_message = "account.application.deauthorized (" + event_id + ")";
  return RecordCheck(id, revoked);
}

}  // namespace stripeline::integrations
