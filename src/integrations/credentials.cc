#include "integrations/credentials.h"

#include <boost/json.hpp>

namespace stripeline::integrations {

namespace {
std::string AssociatedData(const std::string& integration_id) {
  return "stripeline/integration/" + integration_id;
}
}  // namespace

Result<std::string> SealCredentials(const SecretBox& box, const std::string& integration_id,
                                    const StripeCredentials& credentials) {
  boost::json::object json{{"secret_key", credentials.secret_key}};
  for (const auto& [name, value] : {std::pair{"refresh_token", &credentials.refresh_token},
                                    std::pair{"connect_client_id", &credentials.connect_client_id},
                                    std::pair{"client_secret", &credentials.client_secret},
                                    std::pair{"scope", &credentials.scope}}) {
    if (!value->empty()) json[name] = *value;
  }
  return box.Seal(boost::json::serialize(json), AssociatedData(integration_id));
}

Result<StripeCredentials> OpenCredentials(const SecretBox& box,
                                          const store::Integration& integration) {
  auto plaintext = box.Open(integration.credentials_sealed, AssociatedData(integration.id));
  if (!plaintext.ok()) {
    return Status::Internal("The credentials of integration '" + integration.id +
                                "' cannot be decrypted: is this the master key they were saved "
                                "with?",
                            "credentials_unreadable");
  }
  boost::system::error_code ec;
  auto json = boost::json::parse(*plaintext, ec);
  if (ec || !json.is_object() || !json.as_object().contains("secret_key")) {
    return Status::Internal("The stored credentials of integration '" + integration.id +
                                "' are malformed.",
                            "credentials_unreadable");
  }
  const boost::json::object& fields = json.as_object();
  auto text = [&](std::string_view name) {
    const boost::json::value* value = fields.if_contains(name);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  };
  return StripeCredentials{.secret_key = text("secret_key"),
                           .refresh_token = text("refresh_token"),
                           .connect_client_id = text("connect_client_id"),
                           .client_secret = text("client_secret"),
                           .scope = text("scope")};
}

}  // namespace stripeline::integrations
