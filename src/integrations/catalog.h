#pragma once
// The catalog of integration types a user can add ("Available integrations"). Stripe is the
// one Stripeline implements; each type lists its auth schemes and the fields each one needs,
// so the web page and the CLI can render the right form without hard-coding it. Immutable.

#include <string>
#include <vector>

namespace stripeline::integrations {

struct AuthField {
  std::string name;   // request field, e.g. "secret_key"
  std::string label;  // e.g. "Secret or restricted key"
  bool secret = false;
  bool required = true;
  std::string help;
};

struct AuthScheme {
  std::string id;  // "api_key"
  std::string name;
  std::string description;
  bool recommended = false;
  std::vector<AuthField> fields;
};

struct IntegrationType {
  std::string id;  // "stripe"
  std::string name;
  std::string description;
  std::vector<AuthScheme> auth_schemes;
};

const std::vector<IntegrationType>& Catalog();
// nullptr when unknown.
const IntegrationType* FindIntegrationType(const std::string& id);
const AuthScheme* FindAuthScheme(const IntegrationType& type, const std::string& scheme_id);

inline constexpr char kStripeType[] = "stripe";
inline constexpr char kApiKeyScheme[] = "api_key";
inline constexpr char kOAuthScheme[] = "oauth";

}  // namespace stripeline::integrations
