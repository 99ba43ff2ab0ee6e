#pragma once
// ApiError: one error answer of the emulated Stripe API, and the helpers that build Stripe's exact
// wire shape for it: `{"error":{"type","code"?,"message","param"?,"doc_url"?,"request_log_url"?}}`.
// The message texts of stripe-api.md §1 live here, in one place, so tests and handlers agree.
//
// Thread-safety: plain values and pure functions.

#include <string>
#include <string_view>

#include "common/http_message.h"

namespace stripeline::emulator {

struct ApiError {
  int status = 400;
  std::string type = "invalid_request_error";
  std::string code;     // omitted from the body when empty; also selects doc_url
  std::string message;
  std::string param;    // omitted when empty
};

// Masks a key the way Stripe does in error messages: the recognisable prefix ("sk_test_",
// "rk_live_", ...; otherwise the first 8 characters) is kept, every hidden character becomes
// '*', and the last 4 characters are kept. Short keys are starred except their prefix.
std::string MaskKey(std::string_view key);

// The JSON response for `error`. `request_log_url` is added when not empty (Stripe sends it only
// once the key is known). The caller adds Request-Id.
HttpResponse ErrorResponse(const ApiError& error, std::string_view request_log_url = {});

// The errors of stripe-api.md §1 and §3, with Stripe's exact status, code and message.
namespace errors {
ApiError NoApiKey();
ApiError EmptyBearer();
ApiError InvalidApiKey(std::string_view key);
ApiError KeyWithSpace(std::string_view key);
ApiError ExpiredApiKey(std::string_view key);
ApiError PublishableKey();
ApiError MissingPermission(std::string_view key, std::string_view account_id,
                           std::string_view permission);
ApiError ClosedToRestrictedKeys(std::string_view key, std::string_view account_id);
ApiError AccountInvalid(std::string_view key, std::string_view account_id);
ApiError UnrecognizedUrl(std::string_view method, std::string_view path);
// resource_missing: `status` is 404 for a retrieve, 400 for a paging cursor; `object_name` is
// the singular ("customer"); `other_mode` names the mode in which an object with that id exists
// ("test" or "live"), or is empty.
ApiError NoSuchObject(int status, std::string_view object_name, std::string_view id,
                      std::string_view param, std::string_view other_mode = {});
ApiError InvalidInteger(std::string_view param, std::string_view value);
ApiError ValueTooSmall(std::string_view param, long long minimum);
ApiError ValueTooLarge(std::string_view param, long long maximum);
ApiError OnlyOneOf(std::string_view first, std::string_view second);
// `GET /v1/balance_transactions?payout=` naming a manual or instant payout: Stripe itemises only
// automatic ones (its message, quoted in public code; no code was seen with it).
ApiError PayoutNotItemisable();
// An injected fault: 429 gets Stripe's rate_limit body, anything else its api_error body.
ApiError Fault(int status);
}  // namespace errors

}  // namespace stripeline::emulator
