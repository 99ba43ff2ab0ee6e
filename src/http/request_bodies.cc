#include "http/request_bodies.h"

#include <boost/json.hpp>

#include "http/json_body.h"
#include "reports/views.h"

namespace stripeline::http {

namespace {

Result<store::Role> ReadRole(const std::string& text) {
  auto role = store::ParseRole(text);
  if (!role) {
    return Status::InvalidArgument("Role must be admin, member or viewer.", "invalid_role");
  }
  return *role;
}

}  // namespace

Result<Login> ReadLogin(const boost::json::object& body) {
  Login login;
  SL_ASSIGN_OR_RETURN(login.email, RequiredString(body, "email"));
  SL_ASSIGN_OR_RETURN(login.password, RequiredString(body, "password"));
  return login;
}

Result<NewUser> ReadNewUser(const boost::json::object& body) {
  NewUser user;
  SL_ASSIGN_OR_RETURN(user.email, RequiredString(body, "email"));
  SL_ASSIGN_OR_RETURN(std::string role, RequiredString(body, "role"));
  SL_ASSIGN_OR_RETURN(user.password, RequiredString(body, "password"));
  SL_ASSIGN_OR_RETURN(user.role, ReadRole(role));
  return user;
}

Result<UserUpdate> ReadUserUpdate(const boost::json::object& body) {
  UserUpdate update;
  SL_ASSIGN_OR_RETURN(auto role, OptionalString(body, "role"));
  if (role) {
    SL_ASSIGN_OR_RETURN(update.role, ReadRole(*role));
  }
  SL_ASSIGN_OR_RETURN(update.disabled, OptionalBool(body, "disabled"));
  return update;
}

Result<integrations::NewIntegration> ReadNewIntegration(const boost::json::object& body,
                                                        bool for_test) {
  integrations::NewIntegration request;
  SL_ASSIGN_OR_RETURN(auto type, OptionalString(body, "type"));
  if (type) request.type = *type;
  SL_ASSIGN_OR_RETURN(auto scheme, OptionalString(body, "auth_scheme"));
  if (scheme) request.auth_scheme = *scheme;
  if (!for_test) {
    SL_ASSIGN_OR_RETURN(request.name, RequiredString(body, "name"));
  }
  SL_ASSIGN_OR_RETURN(auto key, OptionalString(body, "secret_key"));
  if (!key || key->empty()) {
    return Status::InvalidArgument("Enter the secret or restricted key.", "invalid_secret_key");
  }
  request.secret_key = *key;
  SL_ASSIGN_OR_RETURN(auto active, OptionalBool(body, "active"));
  request.active = active.value_or(true);
  SL_ASSIGN_OR_RETURN(auto client_id, NullableString(body, "client_id"));
  if (client_id) request.client_id = *client_id;
  SL_ASSIGN_OR_RETURN(auto account_id, NullableString(body, "account_id"));
  if (account_id) request.account_id = *account_id;
  return request;
}

Result<integrations::ManualOAuth> ReadManualOAuth(const boost::json::object& body) {
  integrations::ManualOAuth request;
  SL_ASSIGN_OR_RETURN(request.name, RequiredString(body, "name"));
  SL_ASSIGN_OR_RETURN(auto client_id, NullableString(body, "client_id"));
  if (client_id) request.client_id = *client_id;
  SL_ASSIGN_OR_RETURN(auto active, OptionalBool(body, "active"));
  request.active = active.value_or(true);
  SL_ASSIGN_OR_RETURN(request.connect_client_id, RequiredString(body, "oauth_client_id"));
  SL_ASSIGN_OR_RETURN(request.client_secret, RequiredString(body, "oauth_client_secret"));
  SL_ASSIGN_OR_RETURN(request.refresh_token, RequiredString(body, "refresh_token"));
  return request;
}

Result<integrations::IntegrationEdit> ReadIntegrationEdit(const boost::json::object& body) {
  integrations::IntegrationEdit edit;
  SL_ASSIGN_OR_RETURN(edit.name, OptionalString(body, "name"));
  SL_ASSIGN_OR_RETURN(edit.secret_key, OptionalString(body, "secret_key"));
  if (edit.secret_key && edit.secret_key->empty()) edit.secret_key.reset();
  SL_ASSIGN_OR_RETURN(edit.active, OptionalBool(body, "active"));
  SL_ASSIGN_OR_RETURN(edit.account_id, NullableString(body, "account_id"));
  SL_ASSIGN_OR_RETURN(edit.client_id, NullableString(body, "client_id"));
  return edit;
}

Result<WebhookSecretRequest> ReadWebhookSecretRequest(const boost::json::object& body) {
  WebhookSecretRequest request;
  SL_ASSIGN_OR_RETURN(request.secret, OptionalString(body, "secret"));
  if (request.secret && request.secret->empty()) {
    // An empty field is more likely a paste that went wrong than a wish for a new secret.
    return Status::InvalidArgument(
        "The signing secret is empty. Paste the endpoint's secret (whsec_...), or leave "
        "the field out to have Stripeline generate one.",
        "invalid_webhook_secret");
  }
  const boost::json::value* overlap = body.if_contains("overlap_seconds");
  if (overlap == nullptr || overlap->is_null()) return request;
  if (!overlap->is_int64() && !overlap->is_uint64()) {
    return Status::InvalidArgument("Field 'overlap_seconds' must be a whole number of seconds.",
                                   "invalid_field");
  }
  // A uint64 is beyond int64: out of range like a negative number, which the intake refuses.
  request.overlap = std::chrono::seconds(overlap->is_int64() ? overlap->get_int64() : -1);
  return request;
}

Result<integrations::ConnectSettings> ReadConnectSettings(const boost::json::object& body) {
  integrations::ConnectSettings settings;
  SL_ASSIGN_OR_RETURN(settings.client_id, RequiredString(body, "client_id"));
  SL_ASSIGN_OR_RETURN(settings.secret_key, RequiredString(body, "secret_key"));
  SL_ASSIGN_OR_RETURN(settings.redirect_url, RequiredString(body, "redirect_url"));
  SL_ASSIGN_OR_RETURN(auto scope, OptionalString(body, "scope"));
  if (scope) settings.scope = *scope;
  return settings;
}

Result<integrations::OAuthStart> ReadOAuthStart(const boost::json::object& body) {
  integrations::OAuthStart start;
  SL_ASSIGN_OR_RETURN(start.integration_id, OptionalString(body, "integration_id"));
  if (start.integration_id) {
    SL_ASSIGN_OR_RETURN(auto name, OptionalString(body, "name"));
    start.name = name.value_or("");
  } else {
    SL_ASSIGN_OR_RETURN(start.name, RequiredString(body, "name"));
  }
  SL_ASSIGN_OR_RETURN(start.client_id, OptionalString(body, "client_id"));
  SL_ASSIGN_OR_RETURN(start.expected_account, OptionalString(body, "expected_account"));
  return start;
}

Result<std::vector<reports::Widget>> ReadDashboard(const boost::json::object& body) {
  const boost::json::value* list = body.if_contains("widgets");
  if (list == nullptr || !list->is_array()) {
    return Status::InvalidArgument("widgets (an array) is required.", "invalid_field");
  }
  std::vector<reports::Widget> widgets;
  for (const boost::json::value& w : list->get_array()) {
    SL_ASSIGN_OR_RETURN(reports::Widget widget, reports::WidgetFromJson(w));
    widgets.push_back(std::move(widget));
  }
  return widgets;
}

}  // namespace stripeline::http
