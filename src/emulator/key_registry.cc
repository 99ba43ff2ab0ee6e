#include "emulator/key_registry.h"

#include <algorithm>
#include <cctype>

#include "common/text.h"

namespace stripeline::emulator {

namespace {

// Standard base64 (padding optional). Local on purpose: the emulator depends only on the
// basic parts of src/common.
std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::variant<KeyConfig, ApiError> KeyRegistry::Authenticate(
    const std::optional<std::string>& authorization) const {
  if (!authorization || authorization->empty()) return errors::NoApiKey();
  std::string_view header = *authorization;
  std::string key;
  if (StartsWithIgnoreCase(header, "Bearer")) {
    std::string_view rest = header.substr(6);
    if (rest.find_first_not_of(' ') == std::string_view::npos) return errors::EmptyBearer();
    if (rest.front() != ' ') return errors::NoApiKey();  // e.g. "Bearerxyz": another scheme
    key = std::string(rest.substr(1));
  } else if (StartsWithIgnoreCase(header, "Basic ")) {
    std::optional<std::string> decoded = DecodeBase64(header.substr(6));
    if (!decoded) return errors::NoApiKey();
    key = decoded->substr(0, decoded->find(':'));
    if (key.empty()) return errors::NoApiKey();
  } else {
    return errors::NoApiKey();
  }
  if (key.find(' ') != std::string::npos) return errors::KeyWithSpace(key);
  const KeyConfig* found = config_.FindKey(key);
  if (auto revoked = access_revoked_.find(key); found == nullptr && revoked != access_revoked_.end()) {
    return errors::AccountInvalid(key, revoked->second);
  }
  if (found == nullptr) return errors::InvalidApiKey(key);
  if (found->expired) return errors::ExpiredApiKey(key);
  if (found->kind == KeyKind::kPublishable) return errors::PublishableKey();
  return *found;
}

std::variant<AccountConfig, ApiError> KeyRegistry::ResolveAccount(
    const KeyConfig& key, const std::optional<std::string>& stripe_account) const {
  std::string_view wanted =
      stripe_account && !stripe_account->empty() ? std::string_view(*stripe_account)
                                                 : std::string_view(key.account_id);
  const AccountConfig* account = config_.FindAccount(wanted);
  if (account != nullptr && account->id == key.account_id) return *account;
  if (account == nullptr || account->connected_to != key.account_id ||
      disconnected_.count(account->id) > 0) {
    return errors::AccountInvalid(key.key, wanted);
  }
  return *account;
}

Status KeyRegistry::Revoke(std::string_view key) {
  auto it = std::find_if(config_.keys.begin(), config_.keys.end(),
                         [&](const KeyConfig& k) { return k.key == key; });
  if (it == config_.keys.end()) return Status::NotFound("no such key", "unknown_key");
  config_.keys.erase(it);
  return Status::OK();
}

Status KeyRegistry::RevokeAccess(std::string_view key) {
  auto it = std::find_if(config_.keys.begin(), config_.keys.end(),
                         [&](const KeyConfig& k) { return k.key == key; });
  if (it == config_.keys.end()) return Status::NotFound("no such key", "unknown_key");
  access_revoked_.emplace(it->key, it->account_id);
  config_.keys.erase(it);
  return Status::OK();
}

Result<KeyConfig> KeyRegistry::Roll(std::string_view key, const std::string& new_key) {
  auto it = std::find_if(config_.keys.begin(), config_.keys.end(),
                         [&](const KeyConfig& k) { return k.key == key; });
  if (it == config_.keys.end()) return Status::NotFound("no such key", "unknown_key");
  if (it->expired) return Status::FailedPrecondition("the key is already expired", "key_expired");
  it->expired = true;
  KeyConfig rolled = *it;
  rolled.key = new_key;
  rolled.expired = false;
  config_.keys.push_back(rolled);
  return rolled;
}

Result<KeyConfig> KeyRegistry::Create(KeyConfig key) {
  if (config_.FindAccount(key.account_id) == nullptr) {
    return Status::NotFound("no account \"" + key.account_id + "\"", "unknown_account");
  }
  config_.keys.push_back(key);
  return key;
}

Status KeyRegistry::Disconnect(std::string_view account_id) {
  const AccountConfig* account = config_.FindAccount(account_id);
  if (account == nullptr) {
    return Status::NotFound("no account \"" + std::string(account_id) + "\"", "unknown_account");
  }
  if (!account->connected_to) {
    return Status::FailedPrecondition("\"" + account->id + "\" is not a connected account",
                                      "not_connected");
  }
  disconnected_.insert(account->id);
  return Status::OK();
}

Status KeyRegistry::Reconnect(std::string_view account_id, std::string_view platform_id) {
  const AccountConfig* account = config_.FindAccount(account_id);
  if (account == nullptr) {
    return Status::NotFound("no account \"" + std::string(account_id) + "\"", "unknown_account");
  }
  if (account->connected_to != platform_id) {
    return Status::FailedPrecondition("\"" + account->id + "\" is not connected to \"" +
                                          std::string(platform_id) + "\"",
                                      "not_connected");
  }
  disconnected_.erase(account->id);
  return Status::OK();
}

void KeyRegistry::AddAccount(AccountConfig account) { config_.accounts.push_back(std::move(account)); }

}  // namespace stripeline::emulator
