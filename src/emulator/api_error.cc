#include "emulator/api_error.h"

#include <boost/json.hpp>

namespace stripeline::emulator {

namespace {

constexpr std::string_view kAuthHelp =
    "See https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/.";

std::string Str(std::string_view s) { return std::string(s); }

// Stripe links each error code to its page: "resource_missing" -> ".../resource-missing".
std::string DocUrl(std::string_view code) {
  std::string slug(code);
  for (char& c : slug) {
    if (c == '_') c = '-';
  }
  return "https://stripe.com/docs/error-codes/" + slug;
}

ApiError Make(int status, std::string message, std::string code = {}, std::string param = {}) {
  ApiError error;
  error.status = status;
  error.message = std::move(message);
  error.code = std::move(code);
  error.param = std::move(param);
  return error;
}

}  // namespace

std::string MaskKey(std::string_view key) {
  size_t keep_front = std::min<size_t>(8, key.size());
  if (key.size() >= 8 && key[2] == '_' && key[7] == '_' &&
      (key.substr(3, 4) == "test" || key.substr(3, 4) == "live")) {
    keep_front = 8;  // "sk_test_", "rk_live_", ...
  }
  std::string masked(key.substr(0, keep_front));
  size_t rest = key.size() - keep_front;
  size_t keep_back = rest > 4 ? 4 : 0;
  masked.append(rest - keep_back, '*');
  masked.append(key.substr(key.size() - keep_back));
  return masked;
}

HttpResponse ErrorResponse(const ApiError& error, std::string_view request_log_url) {
  boost::json::object body;
  if (!error.code.empty()) body["code"] = error.code;
  if (!error.code.empty()) body["doc_url"] = DocUrl(error.code);
  body["message"] = error.message;
  if (!error.param.empty()) body["param"] = error.param;
  if (!request_log_url.empty()) body["request_log_url"] = request_log_url;
  body["type"] = error.type;
  return HttpResponse::Json(error.status, boost::json::object{{"error", std::move(body)}});
}

namespace errors {

ApiError NoApiKey() {
  return Make(401,
              "You did not provide an API key. You need to provide your API key in the "
              "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
              "YOUR_SECRET_KEY'). " +
                  Str(kAuthHelp));
}

ApiError EmptyBearer() {
  return Make(401,
              "You did not provide an API key, though you did set your Authorization header to "
              "\"Bearer\". Using Bearer auth, your Authorization header should look something "
              "like 'Authorization: Bearer YOUR_SECRET_KEY'. " +
                  Str(kAuthHelp));
}

ApiError InvalidApiKey(std::string_view key) {
  return Make(401, "Invalid API Key provided: " + MaskKey(key));
}

ApiError KeyWithSpace(std::string_view key) {
  return Make(401, "Invalid API Key provided: " + MaskKey(key) +
                       ". This key contains at least one space. Please delete the spaces and "
                       "try again. If you have any questions, we can help at "
                       "https://support.stripe.com/.");
}

ApiError ExpiredApiKey(std::string_view key) {
  return Make(401, "Expired API Key provided: " + MaskKey(key), "api_key_expired");
}

ApiError PublishableKey() {
  return Make(401,
              "This API call cannot be made with a publishable API key. Please use a secret API "
              "key. You can find a list of your API keys at "
              "https://dashboard.stripe.com/account/apikeys.",
              "secret_key_required");
}

ApiError MissingPermission(std::string_view key, std::string_view account_id,
                           std::string_view permission) {
  return Make(403, "The provided key '" + MaskKey(key) +
                       "' does not have the required permissions for this endpoint on account '" +
                       Str(account_id) + "'. Having the '" + Str(permission) +
                       "' permission would allow this request to continue.");
}

ApiError ClosedToRestrictedKeys(std::string_view key, std::string_view account_id) {
  return Make(403, "The provided key '" + MaskKey(key) +
                       "' does not have the required permissions for this endpoint on account '" +
                       Str(account_id) +
                       "'. This is a restricted API key, but the required permissions are not "
                       "available for use by restricted keys.");
}

ApiError AccountInvalid(std::string_view key, std::string_view account_id) {
  return Make(403,
              "The provided key '" + MaskKey(key) + "' does not have access to account '" +
                  Str(account_id) +
                  "' (or that account does not exist). Application access may have been "
                  "revoked.",
              "account_invalid");
}

ApiError UnrecognizedUrl(std::string_view method, std::string_view path) {
  return Make(404, "Unrecognized request URL (" + Str(method) + ": " + Str(path) +
                       "). Please see https://stripe.com/docs or we can help at "
                       "https://support.stripe.com/.");
}

ApiError NoSuchObject(int status, std::string_view object_name, std::string_view id,
                      std::string_view param, std::string_view other_mode) {
  std::string message = "No such " + Str(object_name) + ": '" + Str(id) + "'";
  if (other_mode == "test") {
    message += "; a similar object exists in test mode, but a live mode key was used to make "
               "this request.";
  } else if (other_mode == "live") {
    message += "; a similar object exists in live mode, but a test mode key was used to make "
               "this request.";
  }
  return Make(status, std::move(message), "resource_missing", Str(param));
}

ApiError InvalidInteger(std::string_view param, std::string_view value) {
  return Make(400, "Invalid integer: " + Str(value), {}, Str(param));
}

ApiError ValueTooSmall(std::string_view param, long long minimum) {
  return Make(400, "This value must be greater than or equal to " + std::to_string(minimum) + ".",
              {}, Str(param));
}

ApiError ValueTooLarge(std::string_view param, long long maximum) {
  return Make(400, "This value must be less than or equal to " + std::to_string(maximum) + ".",
              {}, Str(param));
}

ApiError OnlyOneOf(std::string_view first, std::string_view second) {
  return Make(400, "You may only specify one of these parameters: " + Str(first) + ", " +
                       Str(second) + ".");
}

ApiError PayoutNotItemisable() {
  ApiError error =
      Make(400, "Balance transaction history can only be filtered on automatic transfers, not manual.");
  error.param = "payout";
  return error;
}

ApiError Fault(int status) {
  if (status == 429) return Make(429, "Request rate limit exceeded", "rate_limit");
  ApiError error = Make(status, "An unknown error occurred");
  error.type = "api_error";
  return error;
}

}  // namespace errors
}  // namespace stripeline::emulator
