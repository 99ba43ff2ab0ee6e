#pragma once
// Runtime: the composition root, and the only one. Opens the data directory (database, master
// key), builds the Stripe client and every service on top, once, in the dependency order of
// docs/ARCHITECTURE.md, with each dependency given to its constructor (nothing is wired
// afterwards). It opens the Database once (store::OpenDatabase, with every subsystem's
// migrations) and owns it; the typed Store and each subsystem's repositories are built over
// it, each service given the Database or the repository it needs. Every command that works on
// a data directory starts by opening one; `serve` hands the same services to the REST API
// (http::ApiServices), so the API and the CLI act through one service graph. Neither the
// Database nor the Store is handed to handlers or commands: they act through services.
// Thread-safe once built (its parts are).

#include <memory>
#include <string>

#include "access/user_service.h"
#include "common/secrets.h"
#include "http/api.h"
#include "integrations/client_service.h"
#include "integrations/connection_check.h"
#include "integrations/integration_service.h"
#include "integrations/oauth_service.h"
#include "reports/metrics_service.h"
#include "store/store.h"
#include "stripe/client.h"
#include "stripe/rate_limiter.h"
#include "sync/integration_removal.h"
#include "sync/readiness.h"
#include "sync/sync_engine.h"
#include "sync/sync_service.h"
#include "sync/webhook_intake.h"

namespace stripeline::cli {

struct RuntimeOptions {
  std::string data_dir = "./data";
  // Database URL; empty → sqlite:<data_dir>/stripeline.db.
  std::string database_url;
  std::string stripe_api_base = "https://api.stripe.com";
  std::string stripe_connect_base = "https://connect.stripe.com";
  std::chrono::seconds session_idle_timeout{std::chrono::hours(12)};
  // Requests per second to each Stripe account (shared by every integration reaching it).
  stripe::RateLimiterOptions rate_limits;
  sync::SyncOptions sync;
  sync::WebhookIntakeOptions webhooks;
  // Start anew on an empty database file although a master key exists (data_dir_guard.h);
  // otherwise that is refused as a lost database.
  bool initialize = false;
};

class Runtime {
 public:
  static Result<std::unique_ptr<Runtime>> Open(const RuntimeOptions& options);

  const RuntimeOptions& options() const { return options_; }
  // The services the REST API acts through (`serve`), webhook intake and Connect OAuth included.
  http::ApiServices api_services();
  access::UserService& users() { return *users_; }
  integrations::IntegrationService& integrations() { return *integrations_; }
  integrations::ClientService& clients() { return *clients_; }
  integrations::OAuthService& oauth() { return *oauth_; }
  // The engine itself, for the local operator's commands (`sync run` with progress, `sync
  // verify`, `sync export`) and `serve`'s scheduler.
  sync::SyncEngine& sync() { return *sync_; }
  // Who may start, read and verify syncs; an integration's last run.
  sync::SyncService& sync_service() { return *sync_service_; }
  // Deleting an integration with its synced data and its OAuth grant.
  sync::IntegrationRemoval& removal() { return *removal_; }
  reports::MetricsService& metrics() { return *metrics_; }
  // Its applier thread runs only once started (`serve` does).
  sync::WebhookIntake& webhooks() { return *webhooks_; }
  // Only for tools beside the product that prepare or inspect a data directory (benchmarks);
  // commands and handlers act through the services above.
  store::Database& database() { return *db_; }
  store::Store& store() { return *store_; }

 private:
  explicit Runtime(RuntimeOptions options) : options_(std::move(options)) {}

  RuntimeOptions options_;
  // First: destroyed last, after everything built over it.
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SecretBox> box_;
  std::unique_ptr<stripe::Client> stripe_;
  std::unique_ptr<stripe::RateLimiterRegistry> limiters_;
  std::unique_ptr<integrations::ConnectionChecker> checker_;
  std::unique_ptr<access::UserService> users_;
  std::unique_ptr<integrations::IntegrationService> integrations_;
  std::unique_ptr<integrations::ClientService> clients_;
  std::unique_ptr<integrations::OAuthService> oauth_;
  // Last: destroyed first, so background runs stop while everything they use still exists.
  std::unique_ptr<sync::SyncEngine> sync_;
  // After sync_ (it applies events through the engine's applier), so destroyed before it.
  std::unique_ptr<sync::WebhookIntake> webhooks_;
  // Over the engine and the integration services: destroyed before them.
  std::unique_ptr<sync::SyncService> sync_service_;
  std::unique_ptr<sync::IntegrationRemoval> removal_;
  std::unique_ptr<reports::MetricsService> metrics_;
  std::unique_ptr<sync::Readiness> readiness_;
};

}  // namespace stripeline::cli
