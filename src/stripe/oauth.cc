#include "stripe/oauth.h"

namespace stripeline::stripe {

namespace {

std::string StringField(const boost::json::value& body, std::string_view name) {
  if (!body.is_object()) return "";
  const boost::json::value* value = body.get_object().if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

StripeError Unexpected(const ApiResponse& response, std::string what) {
  StripeError error;
  error.kind = ErrorKind::kApi;
  error.http_status = response.status;
  error.message = "Stripe's OAuth answer " + what;
  error.request_id = response.request_id;
  return error;
}

StripeResult<OAuthToken> TokenRequest(const AccountSession& platform, const Params& params) {
  StripeResult<ApiResponse> response = platform.Request(
      "POST", platform.client().options().connect_base + "/oauth/token", params);
  if (!response.ok()) return std::move(response).error();
  const boost::json::value& body = response->body;
  OAuthToken token{.access_token = StringField(body, "access_token"),
                   .refresh_token = StringField(body, "refresh_token"),
                   .scope = StringField(body, "scope"),
                   .stripe_user_id = StringField(body, "stripe_user_id"),
                   .stripe_publishable_key = StringField(body, "stripe_publishable_key"),
                   .livemode = false};
  if (const boost::json::value* live = body.is_object() ? body.get_object().if_contains("livemode")
                                                        : nullptr;
      live != nullptr && live->is_bool()) {
    token.livemode = live->get_bool();
  }
  if (token.access_token.empty() || token.stripe_user_id.empty()) {
    return Unexpected(response.value(), "has no access_token or stripe_user_id");
  }
  return token;
}

}  // namespace

std::string AuthorizeUrl(const Client& client, const std::string& connect_client_id,
                         const std::string& scope, const std::string& state,
                         const std::string& redirect_uri) {
  return client.options().connect_base + "/oauth/authorize?" +
         EncodeForm({{"response_type", "code"},
                     {"client_id", connect_client_id},
                     {"scope", scope},
                     {"state", state},
                     {"redirect_uri", redirect_uri}});
}

StripeResult<OAuthToken> ExchangeCode(const AccountSession& platform, const std::string& code) {
  return TokenRequest(platform, {{"grant_type", "authorization_code"}, {"code", code}});
}

StripeResult<OAuthToken> RefreshAccessToken(const AccountSession& platform,
                                            const std::string& connect_client_id,
                                            const std::string& refresh_token) {
  return TokenRequest(platform,
                      {{"grant_type", "refresh_token"},
                       {"client_id", connect_client_id},
                       {"refresh_token", refresh_token}});
}

StripeResult<std::string> Deauthorize(const AccountSession& platform,
                                      const std::string& connect_client_id,
                                      const std::string& stripe_user_id) {
  StripeResult<ApiResponse> response =
      platform.Request("POST", platform.client().options().connect_base + "/oauth/deauthorize",
                       {{"client_id", connect_client_id}, {"stripe_user_id", stripe_user_id}});
  if (!response.ok()) return std::move(response).error();
  std::string id = StringField(response->body, "stripe_user_id");
  if (id.empty()) return Unexpected(response.value(), "to /oauth/deauthorize has no stripe_user_id");
  return id;
}

}  // namespace stripeline::stripe
