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
