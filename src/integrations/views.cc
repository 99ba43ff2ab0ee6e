#include "integrations/views.h"

#include <boost/json.hpp>

namespace stripeline::integrations {

namespace {

boost::json::value OptionalString(const std::optional<std::string>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

boost::json::value OptionalTime(std::optional<int64_t> value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

boost::json::array Strings(const std::vector<std::string>& values) {
  boost::json::array array;
  for (const auto& value : values) array.push_back(boost::json::string(value));
  return array;
}

}  // namespace

boost::json::object IntegrationJson(const store::Integration& integration) {
  bool restricted = integration.secret_key_masked.starts_with("rk_");
  boost::json::object account{
      {"id", integration.stripe_account_id.empty() ? boost::json::value(nullptr)
                                                   : boost::json::value(integration.stripe_account_id)},
      {"name", integration.stripe_account_name},
      {"livemode", integration.livemode}};
  boost::json::object health{
      {"state", store::HealthName(integration.health)},
      {"reason", integration.health_reason},
      {"checked_at", integration.health_checked_at ? boost::json::value(integration.health_checked_at)
                                                   : boost::json::value(nullptr)}};
  return {{"id", integration.id},
          {"type", integration.type},
          {"name", integration.name},
          {"client_id", OptionalString(integration.client_id)},
          {"auth_scheme", integration.auth_scheme},
          {"key_type", restricted ? "restricted" : "secret"},
          {"secret_key_masked", integration.secret_key_masked},
          {"account_id", OptionalString(integration.account_id)},
          {"stripe_account", account},
          {"mode", integration.livemode ? "live" : "test"},
          {"active", integration.active},
          {"status", integration.active ? "active" : "inactive"},
          {"health", health},
          {"missing_permissions", Strings(integration.missing_permissions)},
          {"last_sync_at", OptionalTime(integration.last_sync_at)},
          {"created_at", integration.created_at},
          {"updated_at", integration.updated_at}};
}

boost::json::object ConnectionCheckJson(const ConnectionCheck& check) {
  boost::json::object json{{"available", check.available()}, {"message", check.message}};
  if (check.available()) {
    json["account"] = boost::json::object{{"id", check.account_id},
                                          {"name", check.account_name},
                                          {"livemode", check.livemode}};
  } else {
    json["reason"] = ConnectionFailureName(check.failure);
    json["stripe_message"] = check.stripe_message;
  }
  json["missing_permissions"] = Strings(check.missing_permissions);
  if (!check.request_id.empty()) json["request_id"] = check.request_id;
  return json;
}

boost::json::object IntegrationTypeJson(const IntegrationType& type) {
  boost::json::array schemes;
  for (const auto& scheme : type.auth_schemes) {
    boost::json::array fields;
    for (const auto& field : scheme.fields) {
      fields.push_back(boost::json::object{{"name", field.name},
                                           {"label", field.label},
                                           {"secret", field.secret},
                                           {"required", field.required},
                                           {"help", field.help}});
    }
    schemes.push_back(boost::json::object{{"id", scheme.id},
                                          {"name", scheme.name},
                                          {"description", scheme.description},
                                          {"recommended", scheme.recommended},
                                          {"fields", fields}});
  }
  return {{"id", type.id},
          {"name", type.name},
          {"description", type.description},
          {"auth_schemes", schemes}};
}

boost::json::object AuditEntryJson(const store::AuditEntry& entry) {
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(entry.details_json, ec);
  if (ec) details = boost::json::object{};
  return {{"id", entry.id},
          {"at", entry.at},
          {"actor", entry.actor},
          {"action", entry.action},
          {"integration_id", OptionalString(entry.integration_id)},
          {"summary", entry.summary},
          {"details", details}};
}

boost::json::object ClientJson(const store::Client& client) {
  return {{"id", client.id}, {"name", client.name}, {"created_at", client.created_at}};
}

boost::json::object ConnectSettingsJson(const ConnectSettingsView& view) {
  if (!view.configured) return {{"configured", false}};
  return {{"configured", true},
          {"client_id", view.client_id},
          {"secret_key", view.secret_key_masked},
          {"redirect_url", view.redirect_url},
          {"scope", view.scope},
          {"platform_account_id", view.platform_account_id}};
}

boost::json::object StartedOAuthJson(const StartedOAuth& started) {
  return {{"authorize_url", started.authorize_url}, {"expires_at", started.expires_at}};
}

}  // namespace stripeline::integrations
