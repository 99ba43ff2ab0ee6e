#include "integrations/catalog.h"

namespace stripeline::integrations {

const std::vector<IntegrationType>& Catalog() {
  static const std::vector<IntegrationType> catalog = {
      {.id = kStripeType,
       .name = "Stripe",
       .description = "Payments, subscriptions, invoices and payouts from a Stripe account.",
       .auth_schemes = {
           {.id = kApiKeyScheme,
            .name = "API key",
            .description =
                "A restricted key (rk_...) with read access is recommended: Stripeline tells "
                "you exactly which permissions it is missing. A secret key (sk_...) also works.",
            .recommended = true,
            .fields = {{.name = "secret_key",
                        .label = "Secret or restricted key",
                        .secret = true,
                        .required = true,
                        .help = "Stripe Dashboard → Developers → API keys. Starts with rk_live_, "
                                "rk_test_, sk_live_ or sk_test_."},
                       {.name = "account_id",
                        .label = "Account ID",
                        .secret = false,
                        .required = false,
                        .help = "Optional: a connected account (acct_...) to act for, sent as "
                                "the Stripe-Account header."}}},
           {.id = kOAuthScheme,
            .name = "Connect with Stripe (OAuth)",
            .description =
                "Sign in to Stripe and approve read access: no key to copy. Needs the Stripe "
                "Connect settings (an administrator enters them once). Or enter an OAuth client "
                "ID, client secret and refresh token by hand. Under Stripe's single-platform "
                "policy, an account another platform already controls cannot be connected this "
                "way: use a restricted key for it.",
            .recommended = false,
            .fields = {{.name = "oauth_client_id",
                        .label = "Client ID",
                        .secret = false,
                        .required = false,
                        .help = "Manual entry only: the Connect application's client ID (ca_...)."},
                       {.name = "oauth_client_secret",
                        .label = "Client secret",
                        .secret = true,
                        .required = false,
                        .help = "Manual entry only: the platform's secret key (sk_...)."},
                       {.name = "refresh_token",
                        .label = "Refresh token",
                        .secret = true,
                        .required = false,
                        .help = "Manual entry only: the grant's refresh token (rt_...); it is "
                                "exchanged for an access token when you save."}}},
       }},
  };
  return catalog;
}

const IntegrationType* FindIntegrationType(const std::string& id) {
  for (const auto& type : Catalog()) {
    if (type.id == id) return &type;
  }
  return nullptr;
}

const AuthScheme* FindAuthScheme(const IntegrationType& type, const std::string& scheme_id) {
  for (const auto& scheme : type.auth_schemes) {
    if (scheme.id == scheme_id) return &scheme;
  }
  return nullptr;
}

}  // namespace stripeline::integrations
