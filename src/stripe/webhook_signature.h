#pragma once
// Stripe webhook signatures (stripe-api.md §6), as pure functions: the signer the emulator uses
// to sign its deliveries and the verifier Stripeline's webhook intake runs on every delivery,
// so both sides compute the signature with the same code (pinned by a test vector computed
// independently of it).
//
// The signature of a delivery is the lowercase hex HMAC-SHA256 of "<t>.<raw body bytes>",
// keyed with the whole `whsec_...` string as bytes (not decoded). The header reads
// `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...][,v0=<hex>]`; several v1 values appear
// while a secret is being rolled.
//
// Thread-safety: pure functions.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stripeline::stripe {

inline constexpr std::string_view kWebhookSignatureHeader = "Stripe-Signature";
// Stripe's libraries reject deliveries signed more than five minutes away from now.
inline constexpr std::chrono::seconds kDefaultWebhookTolerance{300};

// The error_code of each rejection of VerifyWebhookSignature, one per reason.
inline constexpr char kWebhookEmptyPayload[] = "webhook_empty_payload";
inline constexpr char kWebhookMissingSignature[] = "webhook_missing_signature";
inline constexpr char kWebhookUnparsableSignature[] = "webhook_unparsable_signature";
inline constexpr char kWebhookNoV1Signature[] = "webhook_no_v1_signature";
inline constexpr char kWebhookSignatureMismatch[] = "webhook_signature_mismatch";
inline constexpr char kWebhookTimestampOutsideTolerance[] = "webhook_timestamp_outside_tolerance";

// Lowercase hex HMAC-SHA256 of "<timestamp>.<payload>" keyed by `secret`.
std::string ComputeWebhookSignature(std::string_view secret, int64_t timestamp,
                                    std::string_view payload);

// The Stripe-Signature header value Stripe would send: "t=<timestamp>,v1=<signature>".
std::string WebhookSignatureHeader(std::string_view secret, int64_t timestamp,
                                   std::string_view payload);

// Checks a delivery. OK when some v1 signature of the header matches "<t>.<payload>" under one
// of `secrets` (compared in constant time) and |now - t| <= tolerance. Other schemes (v0, ...)
// are ignored. Every rejection is InvalidArgument with its own error_code, checked in this
// order:
//   kWebhookEmptyPayload                 the body is empty;
//   kWebhookMissingSignature             no header (nullopt) or an empty one;
//   kWebhookUnparsableSignature          not `key=value` pairs separated by commas, or no `t`,
//                                        or `t` not a whole number of seconds;
//   kWebhookNoV1Signature                no v1 value at all;
//   kWebhookSignatureMismatch            no v1 value matches any secret (also with no secret);
//   kWebhookTimestampOutsideTolerance    |now - t| > tolerance.
// Messages name the reason but never a secret or a signature.
Status VerifyWebhookSignature(std::string_view payload, std::optional<std::string_view> header,
                              const std::vector<std::string>& secrets, int64_t now,
                              std::chrono::seconds tolerance = kDefaultWebhookTolerance);

// A webhook signing secret as the Stripe Dashboard shows it: "whsec_" then 16 to 256 characters
// of [A-Za-z0-9_+/=-]. InvalidArgument "invalid_webhook_secret" otherwise; the message never
// contains the value.
Status ValidateWebhookSecret(std::string_view secret);

// For display: "whsec_...abcd" (the last 4 characters), "whsec_..." for anything shorter.
std::string MaskWebhookSecret(std::string_view secret);

}  // namespace stripeline::stripe
