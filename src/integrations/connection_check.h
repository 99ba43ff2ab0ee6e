#pragma once
// ConnectionChecker answers "does this key reach Stripe, which account, and can it read what
// Stripeline needs?" — the "Test connection" of the product, used before saving (validation)
// and after (health). Secret keys are checked with GET /v1/account; restricted keys by probing
// every list endpoint the features need (stripe-api.md §1: /v1/account is unreliable for them),
// naming each missing permission. Every request of a check is paced by the limiter of the
// account it reaches (stripe::AccountSession), the same one a sync of that account uses.
// Thread-safe (the Stripe client and the limiter registry are).

#include <optional>
#include <string>
#include <vector>

#include "stripe/api_key.h"
#include "stripe/client.h"
#include "stripe/rate_limiter.h"

namespace stripeline::integrations {

// Why a connection is unavailable; the names are the API's `reason` values.
enum class ConnectionFailure {
  kNone,
  kInvalidCredentials,  // unknown, revoked or malformed key; no access to the account
  kExpiredCredentials,  // rolled or expired key
  kMissingPermissions,  // a restricted key lacks read permissions (named)
  kStripeUnreachable,   // network, DNS, timeout
  kStripeError,         // Stripe answered with an error we cannot blame on the key
};
std::string_view ConnectionFailureName(ConnectionFailure failure);

struct ConnectionCheck {
  ConnectionFailure failure = ConnectionFailure::kNone;
  // "Connection available" or "Connection unavailable: <reason>".
  std::string message;
  // Stripe's own words for the failure (already masked by Stripe), or empty.
  std::string stripe_message;
  std::string request_id;
  std::vector<std::string> missing_permissions;  // rak_... names
  std::string account_id;                        // acct_..., empty when the key can't tell
  std::string account_name;
  bool livemode = false;
  stripe::KeyKind key_kind = stripe::KeyKind::kSecret;

  bool available() const { return failure == ConnectionFailure::kNone; }
};

class ConnectionChecker {
 public:
  // Both must outlive the checker.
  ConnectionChecker(const stripe::Client& client, stripe::RateLimiterRegistry& limiters)
      : client_(client), limiters_(limiters) {}
  virtual ~ConnectionChecker() = default;

  // Checks `key` (acting for `account_id` when set). Never fails as a call: every outcome,
  // including a malformed key, is described by the returned ConnectionCheck.
  virtual ConnectionCheck Check(const std::string& key,
                                const std::optional<std::string>& account_id) const;

 private:
  const stripe::Client& client_;
  stripe::RateLimiterRegistry& limiters_;
};

// The ConnectionCheck for a Stripe error on any call (also used to turn sync-time errors into
// health).
ConnectionCheck CheckFromError(const stripe::StripeError& error);

}  // namespace stripeline::integrations
