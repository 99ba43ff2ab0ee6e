#pragma once
// The services an http::Api under test acts through, built as cli::Runtime builds them for
// `serve`: a SyncEngine over the given Stripe client, OAuthService, SyncService,
// IntegrationRemoval and MetricsService, over a test's database, the store over it and lower
// services.

#include "http/api.h"
#include "integrations/oauth_service.h"
#include "reports/metrics_service.h"
#include "sync/integration_removal.h"
#include "sync/sync_engine.h"
#include "sync/sync_service.h"

namespace stripeline::test_util {

class ApiTestServices {
 public:
  ApiTestServices(store::Database& db, store::Store& store, const SecretBox& box,
                  access::UserService& users, integrations::IntegrationService& integrations,
                  integrations::ClientService& clients, stripe::Client& stripe,
                  stripe::RateLimiterRegistry& limiters, Clock& clock)
      : engine(db, store, integrations, stripe, limiters, clock),
        oauth(store, box, stripe, limiters, users, integrations, clock),
        sync(engine, integrations),
        removal(store, integrations, oauth, engine),
        metrics(db, store, integrations, clients),
        users_(users),
        integrations_(integrations),
        clients_(clients) {}

  // What the Api acts through; without `webhooks` its webhook routes answer 503, and its OAuth
  // routes do (as where Connect is not offered).
  http::ApiServices Services(sync::WebhookIntake* webhooks = nullptr) {
    return {.users = users_,
            .integrations = integrations_,
            .clients = clients_,
            .removal = removal,
            .sync = sync,
            .metrics = metrics,
            .webhooks = webhooks};
  }

  sync::SyncEngine engine;
  integrations::OAuthService oauth;
  sync::SyncService sync;
  sync::IntegrationRemoval removal;
  reports::MetricsService metrics;

 private:
  access::UserService& users_;
  integrations::IntegrationService& integrations_;
  integrations::ClientService& clients_;
};

}  // namespace stripeline::test_util
