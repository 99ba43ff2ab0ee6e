#pragma once
// Stripe API key checks that need no network: what kind of key a string is, whether it can be
// used server-side, and how to show it without revealing it. Stripeline runs ClassifyApiKey
// before any call to Stripe, so a pasted publishable key, webhook secret or truncated key gets
// a clear explanation instead of Stripe's 401.
//
// Thread-safety: pure functions.

#include <string>
#include <string_view>

#include "common/result.h"

namespace stripeline::stripe {

enum class KeyKind {
  kSecret,       // sk_live_ / sk_test_
  kRestricted,   // rk_live_ / rk_test_
  kPublishable,  // pk_live_ / pk_test_ (never accepted by ClassifyApiKey; used by MaskKey)
};

struct ApiKeyInfo {
  KeyKind kind = KeyKind::kSecret;
  bool livemode = false;  // from the prefix: _live_ or _test_
};

// Minimum characters after the "sk_live_"-style prefix; real keys have 24 (older) to ~99.
inline constexpr std::size_t kMinKeyBodyLength = 24;

// Accepts secret and restricted keys. Every refusal is Status::InvalidArgument with error_code
// "invalid_secret_key" and a message for a person, checked in this order: empty (or only
// whitespace); contains whitespace anywhere; publishable key (pk_...); unknown prefix (naming
// the accepted ones, and explaining whsec_ webhook secrets and ca_ Connect client ids); fewer
// than kMinKeyBodyLength characters after the prefix or characters outside [A-Za-z0-9_].
// Messages never contain the key itself, at most MaskKey(key).
Result<ApiKeyInfo> ClassifyApiKey(std::string_view key);

// For display: "sk_live_...abcd" — a known prefix (sk_/rk_/pk_ + live_/test_), "...", and the
// last 4 characters (only the prefix and "..." when fewer than 8 characters follow the prefix).
// Anything else: "****" + the last 4 when the key has at least 12 characters, else "****".
std::string MaskKey(std::string_view key);

}  // namespace stripeline::stripe
