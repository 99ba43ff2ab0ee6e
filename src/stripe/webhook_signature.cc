#include "stripe/webhook_signature.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

#include "common/secrets.h"
#include "common/text.h"

namespace stripeline::stripe {

namespace {

// "<timestamp>.<payload>" is streamed through the MAC in parts rather than built as one string:
// bodies can be large and this runs on every delivery.
std::string SignatureBytes(std::string_view secret, int64_t timestamp, std::string_view payload) {
  return HmacSha256(secret, {std::to_string(timestamp), ".", payload});
}

struct ParsedHeader {
  std::optional<int64_t> timestamp;
  std::vector<std::string_view> v1;
};

// nullopt when the header is not a list of key=value pairs with exactly one integer `t`.
std::optional<ParsedHeader> ParseHeader(std::string_view header) {
  ParsedHeader parsed;
  while (true) {
    const size_t comma = header.find(',');
    const std::string_view item = Trim(header.substr(0, comma));
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    if (key == "t") {
      int64_t t = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), t);
      if (parsed.timestamp || value.empty() || ec != std::errc() ||
          end != value.data() + value.size()) {
        return std::nullopt;
      }
      parsed.timestamp = t;
    } else if (key == "v1") {
      parsed.v1.push_back(value);
    }  // v0 and unknown schemes are ignored, as Stripe's libraries do
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (!parsed.timestamp) return std::nullopt;
  return parsed;
}

// A v1 value that is not 64 hex digits cannot match; it is not an error of the header.
std::optional<std::string> DecodeSignature(std::string_view hex) {
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (hex.size() != mac.size() * 2 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(mac.data()), mac.size(), hex.data(),
                     hex.size(), nullptr, &length, &end) != 0 ||
      length != mac.size() || end != hex.data() + hex.size()) {
    return std::nullopt;
  }
  return mac;
}

}  // namespace

std::string ComputeWebhookSignature(std::string_view secret, int64_t timestamp,
                                    std::string_view payload) {
  return ToHex(SignatureBytes(secret, timestamp, payload));
}

std::string WebhookSignatureHeader(std::string_view secret, int64_t timestamp,
                                   std::string_view payload) {
  return "t=" + std::to_string(timestamp) + ",v1=" +
         ComputeWebhookSignature(secret, timestamp, payload);
}

Status VerifyWebhookSignature(std::string_view payload, std::optional<std::string_view> header,
                              const std::vector<std::string>& secrets, int64_t now,
                              std::chrono::seconds tolerance) {
  if (payload.empty()) {
    return Status::InvalidArgument("The webhook request has no payload.", kWebhookEmptyPayload);
  }
  if (!header || Trim(*header).empty()) {
    return Status::InvalidArgument("The webhook request has no Stripe-Signature header.",
                                   kWebhookMissingSignature);
  }
  std::optional<ParsedHeader> parsed = ParseHeader(*header);
  if (!parsed) {
    return Status::InvalidArgument(
        "The Stripe-Signature header cannot be parsed: expected t=<unix time>,v1=<signature>.",
        kWebhookUnparsableSignature);
  }
  if (parsed->v1.empty()) {
    return Status::InvalidArgument(
        "The Stripe-Signature header has no v1 signature (other schemes are not accepted).",
        kWebhookNoV1Signature);
  }
  bool matched = false;
  for (const std::string& secret : secrets) {
    const std::string expected = SignatureBytes(secret, *parsed->timestamp, payload);
    for (std::string_view given_hex : parsed->v1) {
      std::optional<std::string> given = DecodeSignature(given_hex);
      // No early exit: the time taken says nothing about which secret or value matched.
      if (given && ConstantTimeEquals(*given, expected)) matched = true;
    }
  }
  if (!matched) {
    return Status::InvalidArgument(
        "No signature in the Stripe-Signature header matches the payload signed with this "
        "endpoint's signing secret (was the body changed, or is the secret another one?).",
        kWebhookSignatureMismatch);
  }
  const int64_t skew = now - *parsed->timestamp;
  if (skew > tolerance.count() || -skew > tolerance.count()) {
    return Status::InvalidArgument(
        "The Stripe-Signature timestamp is " + std::to_string(skew < 0 ? -skew : skew) +
            " s away from now, more than the " + std::to_string(tolerance.count()) +
            " s tolerated (a replayed delivery, or a clock out of sync).",
        kWebhookTimestampOutsideTolerance);
  }
  return Status::OK();
}

Status ValidateWebhookSecret(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  constexpr size_t kMinBody = 16, kMaxBody = 256;
  if (!secret.starts_with(kPrefix)) {
    return Status::InvalidArgument(
        "A webhook signing secret starts with whsec_ (Stripe Dashboard → Developers → Webhooks → "
        "your endpoint → Signing secret).",
        "invalid_webhook_secret");
  }
  const std::string_view body = secret.substr(kPrefix.size());
  const bool valid_chars = std::all_of(body.begin(), body.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '/' ||
           c == '=' || c == '-';
  });
  if (body.size() < kMinBody || body.size() > kMaxBody || !valid_chars) {
    return Status::InvalidArgument(
        "That is not a whole webhook signing secret: after whsec_ it should have " +
            std::to_string(kMinBody) + " to " + std::to_string(kMaxBody) +
            " letters and digits, without spaces. Copy it again from the Stripe Dashboard.",
        "invalid_webhook_secret");
  }
  return Status::OK();
}

std::string MaskWebhookSecret(std::string_view secret) {
  constexpr std::string_view kPrefix = "whsec_";
  constexpr size_t kShown = 4;
  if (secret.size() < kPrefix.size() + 2 * kShown) return std::string(kPrefix) + "...";
  return std::string(kPrefix) + "..." + std::string(secret.substr(secret.size() - kShown));
}

}  // namespace stripeline::stripe
