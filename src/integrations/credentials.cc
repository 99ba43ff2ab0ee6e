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
  return StripeCredentials{.secret_key = std::string(json.as_object()["secret_key"].as_string())};
}

}  // namespace stripeline::integrations
