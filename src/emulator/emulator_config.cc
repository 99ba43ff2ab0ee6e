#include "emulator/emulator_config.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "emulator/resource_table.h"

namespace stripeline::emulator {

namespace json = boost::json;

namespace {

constexpr int64_t kBuiltInCreated = 1704067200;  // 2024-01-01

bool IsKeyChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

Status Invalid(const std::string& where, std::string_view what) {
  return Status::InvalidArgument(where + ": " + std::string(what), "invalid_keys_file");
}

// Rejects members outside `allowed`, so a misspelt field is an error rather than ignored.
Status CheckMembers(const json::object& object, std::initializer_list<std::string_view> allowed,
                   const std::string& where) {
  for (const auto& member : object) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.key() == name;
    if (!known) return Invalid(where, "unknown field \"" + std::string(member.key()) + "\"");
  }
  return Status::OK();
}

// Reads an optional string member; `required` makes absence an error.
Status ReadString(const json::object& object, std::string_view name, const std::string& where,
                  bool required, std::string& out) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) {
    return required ? Invalid(where, "missing \"" + std::string(name) + "\"") : Status::OK();
  }
  if (!value->is_string() || value->as_string().empty()) {
    return Invalid(where + "." + std::string(name), "must be a non-empty string");
  }
  out = std::string(value->as_string());
  return Status::OK();
}

Status ReadBool(const json::object& object, std::string_view name, const std::string& where,
                std::optional<bool>& out) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr) return Status::OK();
  if (!value->is_bool()) return Invalid(where + "." + std::string(name), "must be true or false");
  out = value->as_bool();
  return Status::OK();
}

bool IsPermission(std::string_view p) {
  if (p.substr(0, 4) != "rak_") return false;
  for (char c : p) {
    if (!(std::islower(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  auto ends_with = [&](std::string_view suffix) {
    return p.size() > 4 + suffix.size() && p.substr(p.size() - suffix.size()) == suffix;
  };
  return ends_with("_read") || ends_with("_write");
}

Status ParseKey(const json::value& value, const std::string& where, const std::string& account_id,
                KeyConfig& key) {
  if (!value.is_object()) return Invalid(where, "must be an object");
  const json::object& object = value.as_object();
  SL_RETURN_IF_ERROR(CheckMembers(object, {"key", "livemode", "permissions", "expired"}, where));
  SL_RETURN_IF_ERROR(ReadString(object, "key", where, true, key.key));
  std::optional<KeyPrefix> prefix = ParseKeyPrefix(key.key);
  if (!prefix) {
    return Invalid(where + ".key", "must start with sk_, rk_ or pk_ followed by test_ or live_");
  }
  if (key.key.size() < 16) return Invalid(where + ".key", "must be at least 16 characters");
  for (char c : key.key) {
    if (!IsKeyChar(c)) return Invalid(where + ".key", "may only hold letters, digits and '_'");
  }
  key.account_id = account_id;
  key.kind = prefix->kind;
  key.livemode = prefix->livemode;
  std::optional<bool> livemode;
  SL_RETURN_IF_ERROR(ReadBool(object, "livemode", where, livemode));
  if (livemode && *livemode != prefix->livemode) {
    return Invalid(where + ".livemode", prefix->livemode ? "the key's prefix says live mode"
                                                         : "the key's prefix says test mode");
  }
  std::optional<bool> expired;
  SL_RETURN_IF_ERROR(ReadBool(object, "expired", where, expired));
  key.expired = expired.value_or(false);

  const json::value* permissions = object.if_contains("permissions");
  if (key.kind != KeyKind::kRestricted) {
    if (permissions != nullptr) {
      return Invalid(where + ".permissions", "only restricted (rk_) keys have permissions");
    }
    return Status::OK();
  }
  if (permissions == nullptr) return Invalid(where, "a restricted key needs \"permissions\"");
  if (!permissions->is_array()) return Invalid(where + ".permissions", "must be an array");
  for (size_t i = 0; i < permissions->as_array().size(); ++i) {
    const json::value& p = permissions->as_array()[i];
    std::string at = where + ".permissions[" + std::to_string(i) + "]";
    if (!p.is_string() || !IsPermission(p.as_string())) {
      return Invalid(at, "must look like rak_<name>_read or rak_<name>_write");
    }
    key.permissions.insert(std::string(p.as_string()));
  }
  return Status::OK();
}

bool IsCurrency(std::string_view text) {
  return text.size() == 3 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c)) != 0;
         });
}

Status ParseAccount(const json::value& value, const std::string& where, AccountConfig& account,
                    std::vector<KeyConfig>& keys) {
  if (!value.is_object()) return Invalid(where, "must be an object");
  const json::object& object = value.as_object();
  SL_RETURN_IF_ERROR(CheckMembers(
      object,
      {"id", "name", "email", "country", "default_currency", "connected_to", "keys",
       "connect_client_id", "other_platform", "currencies"},
      where));
  SL_RETURN_IF_ERROR(ReadString(object, "id", where, true, account.id));
  if (account.id.rfind("acct_", 0) != 0 || account.id.size() < 6) {
    return Invalid(where + ".id", "must start with \"acct_\"");
  }
  for (char c : account.id) {
    if (!IsKeyChar(c)) return Invalid(where + ".id", "may only hold letters, digits and '_'");
  }
  SL_RETURN_IF_ERROR(ReadString(object, "name", where, true, account.name));
  account.email = "owner@" + account.id + ".example";
  SL_RETURN_IF_ERROR(ReadString(object, "email", where, false, account.email));
  account.country = "US";
  SL_RETURN_IF_ERROR(ReadString(object, "country", where, false, account.country));
  if (account.country.size() != 2 || !std::isupper(static_cast<unsigned char>(account.country[0])) ||
      !std::isupper(static_cast<unsigned char>(account.country[1]))) {
    return Invalid(where + ".country", "must be two upper-case letters, e.g. \"US\"");
  }
  account.default_currency = "usd";
  SL_RETURN_IF_ERROR(ReadString(object, "default_currency", where, false,
                                account.default_currency));
  if (!IsCurrency(account.default_currency)) {
    return Invalid(where + ".default_currency", "must be three lower-case letters, e.g. \"usd\"");
  }
  if (const json::value* list = object.if_contains("currencies"); list != nullptr) {
    if (!list->is_array()) return Invalid(where + ".currencies", "must be an array");
    for (size_t i = 0; i < list->as_array().size(); ++i) {
      const json::value& c = list->as_array()[i];
      std::string at = where + ".currencies[" + std::to_string(i) + "]";
      if (!c.is_string() || !IsCurrency(c.as_string())) {
        return Invalid(at, "must be three lower-case letters, e.g. \"eur\"");
      }
      std::string currency(c.as_string());
      if (currency == account.default_currency ||
          std::find(account.currencies.begin(), account.currencies.end(), currency) !=
              account.currencies.end()) {
        return Invalid(at, "\"" + currency + "\" is the default currency or listed twice");
      }
      account.currencies.push_back(std::move(currency));
    }
  }
  if (const json::value* connected = object.if_contains("connected_to");
      connected != nullptr && !connected->is_null()) {
    if (!connected->is_string()) {
      return Invalid(where + ".connected_to", "must be an account id or null");
    }
    account.connected_to = std::string(connected->as_string());
  }
  SL_RETURN_IF_ERROR(
      ReadString(object, "connect_client_id", where, false, account.connect_client_id));
  if (!account.connect_client_id.empty()) {
    if (account.connected_to) {
      return Invalid(where + ".connect_client_id", "only a platform (not connected) has one");
    }
    if (!account.connect_client_id.starts_with("ca_") || account.connect_client_id.size() < 8) {
      return Invalid(where + ".connect_client_id", "must start with \"ca_\"");
    }
  }
  std::optional<bool> other_platform;
  SL_RETURN_IF_ERROR(ReadBool(object, "other_platform", where, other_platform));
  account.other_platform = other_platform.value_or(false);
  if (account.other_platform && !account.connected_to) {
    return Invalid(where + ".other_platform", "only a connected account can have one");
  }
  account.created = kBuiltInCreated;
  if (const json::value* list = object.if_contains("keys"); list != nullptr) {
    if (!list->is_array()) return Invalid(where + ".keys", "must be an array");
    for (size_t i = 0; i < list->as_array().size(); ++i) {
      KeyConfig key;
      SL_RETURN_IF_ERROR(ParseKey(list->as_array()[i], where + ".keys[" + std::to_string(i) + "]",
                                  account.id, key));
      keys.push_back(std::move(key));
    }
  }
  return Status::OK();
}

}  // namespace

bool KeyConfig::Allows(std::string_view permission) const {
  if (kind == KeyKind::kSecret) return true;
  if (kind != KeyKind::kRestricted) return false;
  if (permissions.count(std::string(permission)) > 0) return true;
  constexpr std::string_view kRead = "_read";
  if (permission.size() > kRead.size() &&
      permission.substr(permission.size() - kRead.size()) == kRead) {
    std::string write(permission.substr(0, permission.size() - kRead.size()));
    return permissions.count(write + "_write") > 0;
  }
  return false;
}

const AccountConfig* EmulatorConfig::FindAccount(std::string_view id) const {
  for (const AccountConfig& account : accounts) {
    if (account.id == id) return &account;
  }
  return nullptr;
}

const AccountConfig* EmulatorConfig::FindPlatform(std::string_view client_id) const {
  for (const AccountConfig& account : accounts) {
    if (!account.connect_client_id.empty() && account.connect_client_id == client_id) {
      return &account;
    }
  }
  return nullptr;
}

const KeyConfig* EmulatorConfig::FindKey(std::string_view key) const {
  for (const KeyConfig& k : keys) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

std::optional<KeyPrefix> ParseKeyPrefix(std::string_view key) {
  if (key.size() < 8 || key[2] != '_' || key[7] != '_') return std::nullopt;
  KeyPrefix prefix{};
  std::string_view kind = key.substr(0, 2);
  if (kind == "sk") {
    prefix.kind = KeyKind::kSecret;
  } else if (kind == "rk") {
    prefix.kind = KeyKind::kRestricted;
  } else if (kind == "pk") {
    prefix.kind = KeyKind::kPublishable;
  } else {
    return std::nullopt;
  }
  std::string_view mode = key.substr(3, 4);
  if (mode != "test" && mode != "live") return std::nullopt;
  prefix.livemode = mode == "live";
  return prefix;
}

EmulatorConfig BuiltInConfig() {
  EmulatorConfig config;
  config.accounts = {
      {"acct_emu_demo", "Emulator Demo Ltd", "owner@emulator-demo.example", "GB", "gbp",
       std::nullopt, kBuiltInCreated, kDemoConnectClientId, false, {"eur"}},
      {"acct_emu_connected_1", "Northwind Coffee", "hello@northwind-coffee.example", "GB", "gbp",
       "acct_emu_demo", kBuiltInCreated + 86400 * 30},
      {"acct_emu_connected_2", "Bluebird Books", "orders@bluebird-books.example", "GB", "gbp",
       "acct_emu_demo", kBuiltInCreated + 86400 * 60},
  };
  std::set<std::string> restricted;
  for (const std::string& p : AllReadPermissions()) {
    if (p != "rak_subscription_read" && p != "rak_payout_read") restricted.insert(p);
  }
  config.keys = {
      {"sk_test_emu_demo_secret_0000000000000000", "acct_emu_demo", false, KeyKind::kSecret, {},
       false},
      {"sk_live_emu_demo_secret_0000000000000000", "acct_emu_demo", true, KeyKind::kSecret, {},
       false},
      {"rk_test_emu_demo_readonly_00000000000000", "acct_emu_demo", false, KeyKind::kRestricted,
       restricted, false},
      {"sk_test_emu_demo_expired_000000000000000", "acct_emu_demo", false, KeyKind::kSecret, {},
       true},
      {"pk_test_emu_demo_publishable_00000000000", "acct_emu_demo", false,
       KeyKind::kPublishable, {}, false},
  };
  return config;
}

Status AddKeysFile(std::string_view json_text, EmulatorConfig& config) {
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) return Invalid("keys file", "not valid JSON (" + ec.message() + ")");
  if (!root.is_object()) return Invalid("keys file", "must be a JSON object");
  SL_RETURN_IF_ERROR(CheckMembers(root.as_object(), {"accounts"}, "keys file"));
  const json::value* accounts = root.as_object().if_contains("accounts");
  if (accounts == nullptr || !accounts->is_array()) {
    return Invalid("keys file", "needs an \"accounts\" array");
  }
  EmulatorConfig merged = config;
  for (size_t i = 0; i < accounts->as_array().size(); ++i) {
    std::string where = "accounts[" + std::to_string(i) + "]";
    AccountConfig account;
    std::vector<KeyConfig> keys;
    SL_RETURN_IF_ERROR(ParseAccount(accounts->as_array()[i], where, account, keys));
    if (merged.FindAccount(account.id) != nullptr) {
      return Invalid(where + ".id", "account \"" + account.id + "\" is defined twice");
    }
    if (!account.connect_client_id.empty() && merged.FindPlatform(account.connect_client_id)) {
      return Invalid(where + ".connect_client_id", "this client id is already defined");
    }
    merged.accounts.push_back(account);
    for (size_t k = 0; k < keys.size(); ++k) {
      if (merged.FindKey(keys[k].key) != nullptr) {
        return Invalid(where + ".keys[" + std::to_string(k) + "].key",
                       "this key is already defined");
      }
      merged.keys.push_back(std::move(keys[k]));
    }
  }
  // Platforms may be defined after the accounts connected to them, so links are checked last.
  for (size_t i = config.accounts.size(); i < merged.accounts.size(); ++i) {
    const AccountConfig& account = merged.accounts[i];
    if (!account.connected_to) continue;
    std::string where = "accounts[" + std::to_string(i - config.accounts.size()) + "].connected_to";
    const AccountConfig* platform = merged.FindAccount(*account.connected_to);
    if (platform == nullptr) {
      return Invalid(where, "no account \"" + *account.connected_to + "\"");
    }
    if (platform->id == account.id) return Invalid(where, "an account cannot connect to itself");
    if (platform->connected_to) {
      return Invalid(where, "\"" + platform->id + "\" is itself a connected account");
    }
  }
  config = std::move(merged);
  return Status::OK();
}

Status LoadKeysFile(const std::string& path, EmulatorConfig& config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read keys file " + path, "keys_file_unreadable");
  std::stringstream text;
  text << in.rdbuf();
  Status status = AddKeysFile(text.str(), config);
  return status.ok() ? status : status.WithContext(path);
}

}  // namespace stripeline::emulator
