#pragma once
// What the API's routes read from their JSON bodies, one reader per body that has more than a
// field or two: the handlers (src/http/handlers/) call them, and the fuzz target
// fuzz/api_bodies_fuzzer.cc drives every one with arbitrary JSON. Each checks only the shape
// (types, required fields, the handler's own rules such as an empty webhook secret); the
// services check the values. Errors are InvalidArgument naming the field (json_body.h).
//
// Pure functions; thread-safe.

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "integrations/integration_service.h"
#include "integrations/oauth_service.h"
#include "reports/widget.h"
#include "store/entities.h"

namespace stripeline::http {

// POST /api/v1/auth/login.
struct Login {
  std::string email, password;
};
Result<Login> ReadLogin(const boost::json::object& body);

// POST /api/v1/users.
struct NewUser {
  std::string email;
  store::Role role = store::Role::kViewer;
  std::string password;
};
Result<NewUser> ReadNewUser(const boost::json::object& body);

// PATCH /api/v1/users/{id}: fields left out are not changed.
struct UserUpdate {
  std::optional<store::Role> role;
  std::optional<bool> disabled;
};
Result<UserUpdate> ReadUserUpdate(const boost::json::object& body);

// POST /api/v1/integrations (a key) and /api/v1/integrations/test (`for_test`: no name).
Result<integrations::NewIntegration> ReadNewIntegration(const boost::json::object& body,
                                                        bool for_test);
// POST /api/v1/integrations with auth_scheme "oauth": Connect credentials entered by hand.
Result<integrations::ManualOAuth> ReadManualOAuth(const boost::json::object& body);
// PATCH /api/v1/integrations/{id}; an empty secret_key means "unchanged".
Result<integrations::IntegrationEdit> ReadIntegrationEdit(const boost::json::object& body);

// POST /api/v1/integrations/{id}/webhook-secret: the secret to set (nullopt: generate one) and
// how long the previous one stays valid (nullopt: the default). An empty secret is refused.
struct WebhookSecretRequest {
  std::optional<std::string> secret;
  std::optional<std::chrono::seconds> overlap;
};
Result<WebhookSecretRequest> ReadWebhookSecretRequest(const boost::json::object& body);

// PUT /api/v1/settings/stripe-connect.
Result<integrations::ConnectSettings> ReadConnectSettings(const boost::json::object& body);
// POST /api/v1/oauth/stripe/start: a reconnect names the integration alone, a new integration
// needs its name.
Result<integrations::OAuthStart> ReadOAuthStart(const boost::json::object& body);

// PUT /api/v1/clients/{id}/dashboard: the `widgets` array.
Result<std::vector<reports::Widget>> ReadDashboard(const boost::json::object& body);

}  // namespace stripeline::http
