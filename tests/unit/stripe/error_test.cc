#include "stripe/error.h"

#include <gtest/gtest.h>

#include <string>

namespace stripeline::stripe {
namespace {

struct ErrorRow {
  std::string name;
  int status;
  std::string body;
  ErrorKind kind;
  std::string code;        // expected StripeError::code
  StatusCode status_code;  // expected ToStatus().code()
  std::string error_code;  // expected ToStatus().error_code()
};

std::string Envelope(std::string_view type, std::string_view code, std::string_view message) {
  std::string body = R"({"error":{)";
  if (!code.empty()) body += R"("code":")" + std::string(code) + R"(",)";
  body += R"("doc_url":"https://stripe.com/docs/error-codes",)";
  body += R"("message":")" + std::string(message) + R"(",)";
  body += R"("request_log_url":"https://dashboard.stripe.com/test/logs/req_abc",)";
  body += R"("type":")" + std::string(type) + R"("}})";
  return body;
}

// Every row of stripe-api.md §1, plus the rate limit, idempotency, card and server rows.
std::vector<ErrorRow> Rows() {
  return {
      {"no_key", 401,
       Envelope("invalid_request_error", "",
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, "
                "or we can help at https://support.stripe.com/."),
       ErrorKind::kAuthentication, "", StatusCode::kUnauthenticated, "stripe_authentication"},
      {"empty_bearer", 401,
       Envelope("invalid_request_error", "",
                "You did not provide an API key, though you did set your Authorization header "
                "to \\\"Bearer\\\". Using Bearer auth, your Authorization header should look "
                "something like 'Authorization: Bearer your_api_key'."),
       ErrorKind::kAuthentication, "", StatusCode::kUnauthenticated, "stripe_authentication"},
      {"unknown_key", 401,
       Envelope("invalid_request_error", "", "Invalid API Key provided: sk_test_********1234"),
       ErrorKind::kAuthentication, "", StatusCode::kUnauthenticated, "stripe_authentication"},
      {"key_with_space", 401,
       Envelope("invalid_request_error", "",
                "Invalid API Key provided: sk_test_********1234. This key contains at least one "
                "space. Please delete the spaces and try again."),
       ErrorKind::kAuthentication, "", StatusCode::kUnauthenticated, "stripe_authentication"},
      {"expired_key", 401,
       Envelope("invalid_request_error", "api_key_expired",
                "Expired API Key provided: rk_test_****abcd"),
       ErrorKind::kAuthentication, "api_key_expired", StatusCode::kUnauthenticated,
       "api_key_expired"},
      {"publishable_key", 401,
       Envelope("invalid_request_error", "secret_key_required",
                "This API call cannot be made with a publishable API key. Please use a secret "
                "API key. You can find a list of your API keys at "
                "https://dashboard.stripe.com/account/apikeys."),
       ErrorKind::kAuthentication, "secret_key_required", StatusCode::kUnauthenticated,
       "secret_key_required"},
      {"restricted_missing_permission", 403,
       Envelope("invalid_request_error", "",
                "The provided key 'rk_test_***abcd' does not have the required permissions for "
                "this endpoint on account 'acct_1Abc'. Having the 'rak_subscription_read' "
                "permission would allow this request to continue."),
       ErrorKind::kPermission, "", StatusCode::kPermissionDenied, "stripe_permission"},
      {"closed_to_restricted_keys", 403,
       Envelope("invalid_request_error", "",
                "The provided key 'rk_test_***abcd' does not have the required permissions for "
                "this endpoint on account 'acct_1Abc'. This is a restricted API key, but the "
                "required permissions are not available for use by restricted keys."),
       ErrorKind::kPermission, "", StatusCode::kPermissionDenied, "stripe_permission"},
      {"account_invalid", 403,
       Envelope("invalid_request_error", "account_invalid",
                "The provided key 'sk_test_***abcd' does not have access to account "
                "'acct_1Xyz' (or that account does not exist). Application access may have been "
                "revoked."),
       ErrorKind::kPermission, "account_invalid", StatusCode::kPermissionDenied, "account_invalid"},
      {"oauth_scope", 403,
       Envelope("invalid_request_error", "more_permissions_required_for_application",
                "This application does not have the required permissions for this endpoint on "
                "account 'acct_1Xyz'. Having the 'read_only' scope would allow this request to "
                "continue."),
       ErrorKind::kPermission, "more_permissions_required_for_application",
       StatusCode::kPermissionDenied, "more_permissions_required_for_application"},
      {"live_key_test_object", 404,
       Envelope("invalid_request_error", "resource_missing",
                "No such customer: 'cus_123'; a similar object exists in test mode, but a live "
                "mode key was used to make this request."),
       ErrorKind::kInvalidRequest, "resource_missing", StatusCode::kNotFound, "resource_missing"},
      {"rate_limit", 429,
       R"({"error":{"type":"invalid_request_error","code":"rate_limit","message":"Request rate limit exceeded"}})",
       ErrorKind::kRateLimit, "rate_limit", StatusCode::kResourceExhausted, "rate_limit"},
      {"lock_timeout", 429,
       Envelope("invalid_request_error", "lock_timeout",
                "This object cannot be accessed right now because another API request or "
                "Stripe process is currently accessing it."),
       ErrorKind::kRateLimit, "lock_timeout", StatusCode::kResourceExhausted, "lock_timeout"},
      {"idempotency", 400,
       Envelope("idempotency_error", "",
                "Keys for idempotent requests can only be used with the same parameters they "
                "were first used with."),
       ErrorKind::kIdempotency, "", StatusCode::kInvalidArgument, "stripe_idempotency"},
      {"bad_param", 400,
       Envelope("invalid_request_error", "parameter_unknown", "Received unknown parameter: foo"),
       ErrorKind::kInvalidRequest, "parameter_unknown", StatusCode::kInvalidArgument,
       "parameter_unknown"},
      {"card", 402, Envelope("card_error", "card_declined", "Your card was declined."),
       ErrorKind::kCard, "card_declined", StatusCode::kInvalidArgument, "card_declined"},
      {"conflict", 409, Envelope("api_error", "", "A conflict occurred."), ErrorKind::kApi, "",
       StatusCode::kUnavailable, "stripe_api"},
      {"server", 500, Envelope("api_error", "", "An unknown error occurred"), ErrorKind::kApi, "",
       StatusCode::kUnavailable, "stripe_api"},
  };
}

TEST(StripeError, ParsesEveryDocumentedErrorBody) {
  for (const ErrorRow& row : Rows()) {
    SCOPED_TRACE(row.name);
    StripeError error = ParseStripeError(row.status, row.body, "req_123");
    EXPECT_EQ(error.kind, row.kind);
    EXPECT_EQ(error.http_status, row.status);
    EXPECT_EQ(error.code, row.code);
    EXPECT_EQ(error.request_id, "req_123");
    EXPECT_FALSE(error.message.empty());
    EXPECT_FALSE(error.type.empty());
    Status status = error.ToStatus();
    EXPECT_EQ(status.code(), row.status_code);
    EXPECT_EQ(status.error_code(), row.error_code);
    EXPECT_EQ(status.message(), error.message);
  }
}

TEST(StripeError, KeepsAllFields) {
  StripeError error = ParseStripeError(
      400,
      R"({"error":{"type":"invalid_request_error","code":"parameter_invalid_integer","param":"limit","message":"Invalid integer: abc","doc_url":"https://stripe.com/docs/error-codes/parameter-invalid-integer"}})",
      "req_9");
  EXPECT_EQ(error.type, "invalid_request_error");
  EXPECT_EQ(error.code, "parameter_invalid_integer");
  EXPECT_EQ(error.param, "limit");
  EXPECT_EQ(error.message, "Invalid integer: abc");
  EXPECT_EQ(error.doc_url, "https://stripe.com/docs/error-codes/parameter-invalid-integer");
  EXPECT_EQ(error.request_id, "req_9");
}

TEST(StripeError, PublishableKeyMessageIsStripes) {
  StripeError error = ParseStripeError(401, Rows()[5].body, "");
  EXPECT_EQ(error.message.rfind("This API call cannot be made with a publishable API key.", 0), 0u);
}

TEST(StripeError, ToleratesNonJsonBody) {
  StripeError error = ParseStripeError(502, "<html>Bad Gateway</html>", "req_x");
  EXPECT_EQ(error.kind, ErrorKind::kApi);
  EXPECT_NE(error.message.find("502"), std::string::npos);
  EXPECT_NE(error.message.find("req_x"), std::string::npos);
  EXPECT_EQ(error.ToStatus().code(), StatusCode::kUnavailable);
  EXPECT_EQ(error.ToStatus().error_code(), "stripe_api");
}

TEST(StripeError, ToleratesEmptyAndOddJson) {
  for (std::string body : {"", "[]", "{}", R"({"error":5})", R"({"error":{"message":7}})"}) {
    SCOPED_TRACE(body);
    StripeError error = ParseStripeError(404, body, "");
    EXPECT_EQ(error.kind, ErrorKind::kInvalidRequest);
    EXPECT_FALSE(error.message.empty());
    EXPECT_EQ(error.ToStatus().code(), StatusCode::kNotFound);
    EXPECT_EQ(error.ToStatus().error_code(), "stripe_invalid_request");
  }
}

TEST(StripeError, ParsesOAuthErrorShape) {
  StripeError error = ParseStripeError(
      400,
      R"({"error":"invalid_grant","error_description":"This authorization code has already been used. All tokens issued with this code have been revoked."})",
      "");
  EXPECT_EQ(error.kind, ErrorKind::kInvalidRequest);
  EXPECT_EQ(error.code, "invalid_grant");
  EXPECT_EQ(error.message,
            "This authorization code has already been used. All tokens issued with this code "
            "have been revoked.");
  EXPECT_EQ(error.ToStatus().error_code(), "invalid_grant");
}

TEST(StripeError, UnknownStatusesAreApiErrors) {
  EXPECT_EQ(ParseStripeError(503, "", "").kind, ErrorKind::kApi);
  StripeError not_allowed = ParseStripeError(405, "", "");
  EXPECT_EQ(not_allowed.kind, ErrorKind::kApi);
  EXPECT_EQ(not_allowed.ToStatus().code(), StatusCode::kInvalidArgument);
}

TEST(StripeError, ConnectionErrorsMapToUnavailableOrDeadline) {
  StripeError unreachable = ConnectionError(Status::Unavailable(
      "Could not reach https://api.stripe.com: Connection refused", "stripe_unreachable"));
  EXPECT_EQ(unreachable.kind, ErrorKind::kConnection);
  EXPECT_EQ(unreachable.http_status, 0);
  Status status = unreachable.ToStatus();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.error_code(), "stripe_unreachable");
  EXPECT_NE(status.message().find("Connection refused"), std::string::npos);

  StripeError timeout = ConnectionError(Status::DeadlineExceeded("timed out", "stripe_timeout"));
  EXPECT_EQ(timeout.kind, ErrorKind::kConnection);
  EXPECT_EQ(timeout.ToStatus().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(timeout.ToStatus().error_code(), "stripe_timeout");
}

TEST(StripeError, KindNames) {
  EXPECT_EQ(ErrorKindName(ErrorKind::kConnection), "connection");
  EXPECT_EQ(ErrorKindName(ErrorKind::kAuthentication), "authentication");
  EXPECT_EQ(ErrorKindName(ErrorKind::kPermission), "permission");
  EXPECT_EQ(ErrorKindName(ErrorKind::kInvalidRequest), "invalid_request");
  EXPECT_EQ(ErrorKindName(ErrorKind::kRateLimit), "rate_limit");
  EXPECT_EQ(ErrorKindName(ErrorKind::kCard), "card");
  EXPECT_EQ(ErrorKindName(ErrorKind::kIdempotency), "idempotency");
  EXPECT_EQ(ErrorKindName(ErrorKind::kApi), "api");
}

TEST(StripeResult, HoldsValueOrError) {
  StripeResult<int> good = 7;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 7);
  EXPECT_TRUE(good.status().ok());

  StripeResult<int> bad = ParseStripeError(401, Rows()[0].body, "req_1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().request_id, "req_1");
  EXPECT_EQ(bad.status().code(), StatusCode::kUnauthenticated);
  Result<int> as_result = std::move(bad).ToResult();
  EXPECT_FALSE(as_result.ok());
  EXPECT_EQ(as_result.status().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace stripeline::stripe
