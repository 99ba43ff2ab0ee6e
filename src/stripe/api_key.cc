#include "stripe/api_key.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace stripeline::stripe {

namespace {

struct KnownPrefix {
  std::string_view prefix;
  KeyKind kind;
  bool livemode;
};

constexpr std::array<KnownPrefix, 6> kKnownPrefixes = {{
    {"sk_live_", KeyKind::kSecret, true},
    {"sk_test_", KeyKind::kSecret, false},
    {"rk_live_", KeyKind::kRestricted, true},
    {"rk_test_", KeyKind::kRestricted, false},
    {"pk_live_", KeyKind::kPublishable, true},
    {"pk_test_", KeyKind::kPublishable, false},
}};

constexpr std::string_view kCode = "invalid_secret_key";
constexpr std::string_view kAccepted =
    "Stripe secret keys start with sk_live_ or sk_test_, and restricted keys with rk_live_ or "
    "rk_test_ (Stripe Dashboard → Developers → API keys).";

Status Refuse(std::string message) {
  return Status::InvalidArgument(std::move(message), std::string(kCode));
}

const KnownPrefix* FindPrefix(std::string_view key) {
  for (const KnownPrefix& known : kKnownPrefixes) {
    if (key.substr(0, known.prefix.size()) == known.prefix) return &known;
  }
  return nullptr;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Result<ApiKeyInfo> ClassifyApiKey(std::string_view key) {
  const bool all_space =
      std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isspace(c) != 0; });
  if (all_space) {
    return Refuse("No secret key was given. " + std::string(kAccepted));
  }
  if (std::any_of(key.begin(), key.end(), [](unsigned char c) { return std::isspace(c) != 0; })) {
    return Refuse(
        "The secret key contains whitespace; copy it again without spaces or line breaks.");
  }
  if (StartsWith(key, "pk_")) {
    return Refuse(
        "This is a publishable key (pk_...). Stripeline needs a secret key (sk_...) or a "
        "restricted key (rk_...): publishable keys only work in browsers and cannot read your "
        "data.");
  }
  const KnownPrefix* known = FindPrefix(key);
  if (known == nullptr) {
    if (StartsWith(key, "whsec_")) {
      return Refuse(
          "This is a webhook signing secret (whsec_...), not an API key; it belongs in the "
          "webhook settings. " +
          std::string(kAccepted));
    }
    if (StartsWith(key, "ca_")) {
      return Refuse(
          "This is a Connect client ID (ca_...), not an API key; it belongs in the Stripe "
          "Connect settings. " +
          std::string(kAccepted));
    }
    return Refuse("This does not look like a Stripe API key. " + std::string(kAccepted));
  }
  std::string_view body = key.substr(known->prefix.size());
  if (body.size() < kMinKeyBodyLength) {
    return Refuse("The secret key " + MaskKey(key) +
                  " is too short, so it was probably cut off when copied; copy the whole key "
                  "again from the Stripe Dashboard.");
  }
  const bool clean = std::all_of(body.begin(), body.end(),
                                 [](unsigned char c) { return std::isalnum(c) != 0 || c == '_'; });
  if (!clean) {
    return Refuse(
        "The secret key contains characters Stripe keys never have (only letters, digits and "
        "underscores), so it was probably damaged when copied; copy it again from the Stripe "
        "Dashboard.");
  }
  return ApiKeyInfo{known->kind, known->livemode};
}

std::string MaskKey(std::string_view key) {
  if (const KnownPrefix* known = FindPrefix(key)) {
    std::string masked = std::string(known->prefix) + "...";
    if (key.size() - known->prefix.size() >= 8) masked += key.substr(key.size() - 4);
    return masked;
  }
  if (key.size() >= 12) return "****" + std::string(key.substr(key.size() - 4));
  return "****";
}

}  // namespace stripeline::stripe
