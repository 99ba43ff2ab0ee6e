#pragma once
// KeyRegistry: the emulator's live set of accounts and API keys — the initial EmulatorConfig
// plus what the admin endpoints changed (revoked, rolled and created keys, disconnected
// accounts). It authenticates requests exactly like Stripe (stripe-api.md §1).
//
// Thread-safety: none; the Emulator guards it with its mutex.

#include <optional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"
#include "emulator/api_error.h"
#include "emulator/emulator_config.h"

namespace stripeline::emulator {

class KeyRegistry {
 public:
  explicit KeyRegistry(EmulatorConfig config) : config_(std::move(config)) {}

  // Resolves an Authorization header (Bearer, or Basic with the key as user name) to a usable
  // key, or to Stripe's 401: no key, empty Bearer, key with a space, unknown/revoked key,
  // expired/rolled key, publishable key.
  std::variant<KeyConfig, ApiError> Authenticate(
      const std::optional<std::string>& authorization) const;

  // The account a request acts for: the key's own, or the `Stripe-Account` one when that
  // account is connected to the key's account and not disconnected; otherwise Stripe's 403
  // account_invalid.
  std::variant<AccountConfig, ApiError> ResolveAccount(
      const KeyConfig& key, const std::optional<std::string>& stripe_account) const;

  // Forgets the key: it then answers "Invalid API Key provided". NotFound for an unknown key.
  Status Revoke(std::string_view key);
  // An OAuth access token whose grant was deauthorized: it then answers 403 account_invalid
  // ("Application access may have been revoked"). NotFound for an unknown key.
  Status RevokeAccess(std::string_view key);
  // Expires `key` and adds `new_key` with the same account, mode, kind and permissions.
  // NotFound for an unknown key, FailedPrecondition for one already expired.
  Result<KeyConfig> Roll(std::string_view key, const std::string& new_key);
  // Adds a key. Precondition: key.key is new and its prefix matches kind and livemode.
  // NotFound when the account does not exist.
  Result<KeyConfig> Create(KeyConfig key);
  // Cuts a connected account off its platform (it then answers account_invalid).
  // NotFound for an unknown account, FailedPrecondition when it is not a connected account.
  Status Disconnect(std::string_view account_id);
  // Connects `account_id` to `platform_id` again after a Disconnect (an OAuth approval).
  // NotFound for an unknown account, FailedPrecondition when it belongs to another platform.
  Status Reconnect(std::string_view account_id, std::string_view platform_id);
  // Adds an account (one an OAuth approval created). Precondition: its id is new.
  void AddAccount(AccountConfig account);

  const EmulatorConfig& config() const { return config_; }

 private:
  EmulatorConfig config_;
  std::set<std::string, std::less<>> disconnected_;
  std::map<std::string, std::string, std::less<>> access_revoked_;  // key -> its account
};

}  // namespace stripeline::emulator
