#pragma once
// EmulatorConfig: the accounts and API keys an Emulator starts with — the built-in demo
// account, its keys and its two connected accounts, plus those of an optional keys file.
//
// Keys file format (JSON; every field not marked optional is required, unknown fields are
// rejected so typos fail loudly):
//   {"accounts": [
//     {"id": "acct_x",                 // starts with "acct_", unique, not a built-in id
//      "name": "X Ltd",                // display name and business_profile.name
//      "email": "owner@x.example",     // optional, default "owner@<id>.example"
//      "country": "US",                // optional, two upper-case letters, default "US"
//      "default_currency": "usd",      // optional, three lower-case letters, default "usd"
//      "connected_to": null,           // optional: id of the platform account (built-in or in
//                                      // this file) whose secret keys may act for this
//                                      // account with `Stripe-Account: acct_x`
//      "connect_client_id": "ca_...",  // optional, platforms only: their Connect client id,
//                                      // which enables /oauth/* for them
//      "other_platform": false,        // optional, connected accounts only: the account is
//                                      // controlled by another platform, so a read_write
//                                      // OAuth approval creates a new account instead
//      "currencies": ["eur"],          // optional: more settlement currencies (a balance and
//                                      // payouts of their own), not the default currency
//      "keys": [                       // optional
//        {"key": "sk_test_..."},                          // secret, test mode
//        {"key": "sk_live_...", "livemode": true},        // livemode optional; must match
//                                                         // the key's prefix when given
//        {"key": "rk_live_...", "permissions": ["rak_charge_read", "rak_customer_write"]},
//        {"key": "pk_test_..."},                          // publishable: always refused
//        {"key": "sk_test_...", "expired": true}]}]}      // answers 401 api_key_expired
// Keys start with sk_|rk_|pk_ then test_|live_, are at least 16 characters of [A-Za-z0-9_],
// and are unique across all accounts. "permissions" is required for rk_ keys and refused for
// the others; each is rak_<name>_read or rak_<name>_write (write implies read).
//
// Thread-safety: plain values.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stripeline::emulator {

enum class KeyKind { kSecret, kRestricted, kPublishable };

struct AccountConfig {
  std::string id;
  std::string name;
  std::string email;
  std::string country;
  std::string default_currency;
  std::optional<std::string> connected_to;  // the platform account, for connected accounts
  int64_t created = 0;
  std::string connect_client_id;  // ca_...: the platform's Connect application; empty if none
  // Stripe's 2021 single-platform policy: a read_write OAuth approval of this account creates a
  // new account instead (stripe-api.md §7).
  bool other_platform = false;
  // Settlement currencies besides default_currency: the account has a balance, a bank account
  // and payouts in each (the demo data charges some customers in them).
  std::vector<std::string> currencies;
};

struct KeyConfig {
  std::string key;
  std::string account_id;
  bool livemode = false;
  KeyKind kind = KeyKind::kSecret;
  std::set<std::string> permissions;  // restricted keys only
  bool expired = false;

  // True when the key may read what `permission` guards: secret keys always; restricted keys
  // holding the permission or its _write form.
  bool Allows(std::string_view permission) const;
};

struct EmulatorConfig {
  std::vector<AccountConfig> accounts;
  std::vector<KeyConfig> keys;

  const AccountConfig* FindAccount(std::string_view id) const;
  // The platform whose Connect client id is `client_id`; nullptr when none.
  const AccountConfig* FindPlatform(std::string_view client_id) const;
  const KeyConfig* FindKey(std::string_view key) const;
};

// The built-in account acct_emu_demo (Connect client id kDemoConnectClientId), its connected
// accounts and its keys (see emulator.h).
inline constexpr char kDemoConnectClientId[] = "ca_emu_demo_connect_0000000000000000";
EmulatorConfig BuiltInConfig();

// Validates `json_text` (the format above) and appends its accounts and keys to `config`.
// On any error returns InvalidArgument naming the offending field (e.g.
// "accounts[0].keys[1].key: ...") and leaves `config` unchanged.
Status AddKeysFile(std::string_view json_text, EmulatorConfig& config);
// Reads the file at `path` and calls AddKeysFile; NotFound when it cannot be read. The
// message never contains a key.
Status LoadKeysFile(const std::string& path, EmulatorConfig& config);

// The kind and mode a key's prefix announces; nullopt when it has no known prefix.
struct KeyPrefix {
  KeyKind kind;
  bool livemode;
};
std::optional<KeyPrefix> ParseKeyPrefix(std::string_view key);

}  // namespace stripeline::emulator
