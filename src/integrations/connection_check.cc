#include "integrations/connection_check.h"

#include <regex>

#include "stripe/account_session.h"
#include "stripe/permissions.h"

namespace stripeline::integrations {

std::string_view ConnectionFailureName(ConnectionFailure failure) {
  switch (failure) {
    case ConnectionFailure::kNone: return "";
    case ConnectionFailure::kInvalidCredentials: return "invalid_credentials";
    case ConnectionFailure::kExpiredCredentials: return "expired_credentials";
    case ConnectionFailure::kMissingPermissions: return "missing_permissions";
    case ConnectionFailure::kStripeUnreachable: return "stripe_unreachable";
    case ConnectionFailure::kStripeError: return "stripe_error";
  }
  return "stripe_error";
}

namespace {

std::string Unavailable(std::string_view reason) {
  return "Connection unavailable: " + std::string(reason);
}

std::string JoinPermissions(const std::vector<std::string>& permissions) {
  std::string out;
  for (const auto& permission : permissions) {
    if (!out.empty()) out += ", ";
    out += permission + " (" + std::string(stripe::PermissionLabel(permission)) + ")";
  }
  return out;
}

// "... on account 'acct_123'." in a 403 tells a restricted key's account when /v1/account won't.
std::string AccountFromMessage(const std::string& message) {
  static const std::regex pattern(R"(account '(acct_[A-Za-z0-9_]+)')");
  std::smatch match;
  if (std::regex_search(message, match, pattern)) return match[1].str();
  return "";
}

}  // namespace

ConnectionCheck CheckFromError(const stripe::StripeError& error) {
  ConnectionCheck check;
  check.stripe_message = error.message;
  check.request_id = error.request_id;
  using stripe::ErrorKind;
  switch (error.kind) {
    case ErrorKind::kAuthentication:
      if (error.code == "api_key_expired") {
        check.failure = ConnectionFailure::kExpiredCredentials;
        check.message = Unavailable("the key has expired or was rolled in Stripe (" +
                                    error.message + ")");
      } else {
        check.failure = ConnectionFailure::kInvalidCredentials;
        check.message = Unavailable("Stripe does not accept the key (" + error.message + ")");
      }
      break;
    case ErrorKind::kPermission:
      if (error.code == "account_invalid") {
        check.failure = ConnectionFailure::kInvalidCredentials;
        check.message = Unavailable(
            "Access was revoked in Stripe, or the key never had access to this account (" +
            error.message + ")");
      } else if (auto permission = stripe::ParseMissingPermission(error.message)) {
        check.failure = ConnectionFailure::kMissingPermissions;
        check.missing_permissions = {*permission};
        check.message = Unavailable("the key is missing permissions: " +
                                    JoinPermissions(check.missing_permissions));
      } else {
        check.failure = ConnectionFailure::kMissingPermissions;
        check.message = Unavailable("Stripe refused the request (" + error.message + ")");
      }
      break;
    case ErrorKind::kConnection:
      check.failure = ConnectionFailure::kStripeUnreachable;
      check.message = Unavailable("Stripe could not be reached (" + error.message + ")");
      break;
    default:
      check.failure = ConnectionFailure::kStripeError;
      check.message = Unavailable("Stripe answered with an error (HTTP " +
                                  std::to_string(error.http_status) + ": " + error.message + ")");
      break;
  }
  return check;
}

ConnectionCheck ConnectionChecker::Check(const std::string& key,
                                         const std::optional<std::string>& account_id) const {
  auto info = stripe::ClassifyApiKey(key);
  if (!info.ok()) {
    ConnectionCheck check;
    check.failure = ConnectionFailure::kInvalidCredentials;
    check.message = Unavailable(info.status().message());
    return check;
  }
  stripe::RequestOptions options{.api_key = key, .stripe_account = account_id};

  ConnectionCheck check;
  check.key_kind = info->kind;
  check.livemode = info->livemode;
  // Until the account is known (a key checked without Stripe-Account), the key's requests are
  // paced by the account it was last bound to, else by a limiter of its own.
  const stripe::AccountSession first(
      client_,
      account_id ? limiters_.ForAccount(*account_id, info->livemode)
                 : limiters_.ForKey(key, info->livemode),
      options);
  auto account = first.client().GetAccount(options);
  if (account.ok()) {
    check.account_id = account.value().id;
    check.account_name = account.value().display_name;
  } else if (info->kind == stripe::KeyKind::kSecret ||
             account.error().kind != stripe::ErrorKind::kPermission ||
             account.error().code == "account_invalid") {
    // A secret key can always read its account, so any failure here is the answer. A
    // restricted key may lack access to /v1/account alone; its probe below decides.
    ConnectionCheck failed = CheckFromError(account.error());
    failed.key_kind = info->kind;
    failed.livemode = info->livemode;
    return failed;
  } else {
    check.account_id = AccountFromMessage(account.error().message);
  }
  if (account_id) check.account_id = *account_id;

  if (info->kind == stripe::KeyKind::kRestricted) {
    // The probe's parallel requests count against the account's limit like a sync's.
    const stripe::AccountSession session =
        account_id || check.account_id.empty()
            ? first
            : stripe::AccountSession::Open(client_, limiters_, check.account_id, info->livemode,
                                           options);
    auto probe = stripe::ProbeReadPermissions(session.client(), session.options());
    if (!probe.ok()) {
      ConnectionCheck failed = CheckFromError(probe.error());
      failed.key_kind = info->kind;
      failed.livemode = info->livemode;
      return failed;
    }
    if (!probe.value().missing_permissions.empty()) {
      check.failure = ConnectionFailure::kMissingPermissions;
      check.missing_permissions = probe.value().missing_permissions;
      check.message = Unavailable("the restricted key is missing permissions: " +
                                  JoinPermissions(check.missing_permissions) +
                                  ". Grant them in the Stripe Dashboard (Developers → API keys → "
                                  "edit the key), or use another key.");
      return check;
    }
  }
  check.message = "Connection available";
  return check;
}

}  // namespace stripeline::integrations
