#pragma once
// The secret part of an integration and its sealing at rest. Credentials are serialised to JSON
// and sealed with the master key, the integration id as associated data: a ciphertext copied to
// another integration's row does not open. Stateless functions; thread-safe.

#include <string>

#include "common/result.h"
#include "common/secrets.h"
#include "store/entities.h"

namespace stripeline::integrations {

struct StripeCredentials {
  std::string secret_key;  // sk_... or rk_..., or an OAuth access token: the key API calls use
  // OAuth integrations only (empty otherwise):
  std::string refresh_token;      // rt_...
  std::string connect_client_id;  // ca_...: the Connect application that holds the grant
  // The platform secret key entered by hand with the refresh token (manual OAuth entry); empty
  // when the grant came through "Connect with Stripe", whose platform key is in the settings.
  std::string client_secret;
  std::string scope;  // read_only | read_write
};

Result<std::string> SealCredentials(const SecretBox& box, const std::string& integration_id,
                                    const StripeCredentials& credentials);
Result<StripeCredentials> OpenCredentials(const SecretBox& box,
                                          const store::Integration& integration);

}  // namespace stripeline::integrations
