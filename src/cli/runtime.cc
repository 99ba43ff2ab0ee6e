#include "cli/runtime.h"

#include <cstdlib>
#include <filesystem>

#include "cli/data_dir_guard.h"
#include "common/private_files.h"
#include "reports/report_migrations.h"
#include "store/open_database.h"
#include "store/store_migrations.h"
#include "stripe/curl_transport.h"
#include "sync/sync_migrations.h"

namespace stripeline::cli {

Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeOptions& options) {
  std::unique_ptr<Runtime> runtime(new Runtime(options));
  SL_RETURN_IF_ERROR(CreatePrivateDirectories(options.data_dir)
                         .WithContext("Cannot create the data directory '" + options.data_dir +
                                      "'"));
  SL_RETURN_IF_ERROR(
      CheckDatabaseNotEmptied(options.data_dir, options.database_url, options.initialize));
  std::string url = options.database_url.empty()
                        ? "sqlite:" + (std::filesystem::path(options.data_dir) / "stripeline.db").string()
                        : options.database_url;
  // Every subsystem's tables, lower layers first.
  SL_ASSIGN_OR_RETURN(runtime->db_,
                      store::OpenDatabase(url, {&store::StoreSchema(), &sync::SyncSchema(),
                                                &reports::ReportSchema()}));
  runtime->store_ = std::make_unique<store::Store>(*runtime->db_);
  const char* env_key = std::getenv("STRIPELINE_MASTER_KEY");
  SL_ASSIGN_OR_RETURN(std::string master_key,
                      LoadMasterKeyFor(*runtime->store_, options.data_dir,
                                       env_key && *env_key ? std::optional<std::string>(env_key)
                                                           : std::nullopt));
  runtime->box_ = std::make_unique<SecretBox>(std::move(master_key));

  stripe::ClientOptions client_options;
  client_options.api_base = options.stripe_api_base;
  client_options.connect_base = options.stripe_connect_base;
  runtime->stripe_ = std::make_unique<stripe::Client>(
      client_options, std::make_shared<stripe::CurlTransport>());
  runtime->limiters_ = std::make_unique<stripe::RateLimiterRegistry>(options.rate_limits);
  runtime->checker_ =
      std::make_unique<integrations::ConnectionChecker>(*runtime->stripe_, *runtime->limiters_);
  runtime->users_ = std::make_unique<access::UserService>(
      *runtime->store_, Clock::Real(), access::SessionOptions{options.session_idle_timeout});
  runtime->integrations_ = std::make_unique<integrations::IntegrationService>(
      *runtime->store_, *runtime->box_, *runtime->checker_);
  runtime->clients_ = std::make_unique<integrations::ClientService>(*runtime->store_);
  runtime->oauth_ = std::make_unique<integrations::OAuthService>(
      *runtime->store_, *runtime->box_, *runtime->stripe_, *runtime->limiters_, *runtime->users_,
      *runtime->integrations_);
  runtime->sync_ = std::make_unique<sync::SyncEngine>(
      *runtime->db_, *runtime->store_, *runtime->integrations_, *runtime->stripe_,
      *runtime->limiters_, Clock::Real(), options.sync);
  runtime->webhooks_ = std::make_unique<sync::WebhookIntake>(
      *runtime->db_, *runtime->store_, *runtime->integrations_, *runtime->box_,
      runtime->sync_->event_applier(), Clock::Real(), options.webhooks);
  runtime->sync_service_ =
      std::make_unique<sync::SyncService>(*runtime->sync_, *runtime->integrations_);
  runtime->removal_ = std::make_unique<sync::IntegrationRemoval>(
      *runtime->store_, *runtime->integrations_, *runtime->oauth_, *runtime->sync_);
  runtime->metrics_ = std::make_unique<reports::MetricsService>(
      *runtime->db_, *runtime->store_, *runtime->integrations_, *runtime->clients_);
  runtime->readiness_ = std::make_unique<sync::Readiness>(
      *runtime->store_, *runtime->integrations_, runtime->webhooks_.get(), Clock::Real());
  return runtime;
}

http::ApiServices Runtime::api_services() {
  return {.users = *users_,
          .integrations = *integrations_,
          .clients = *clients_,
          .removal = *removal_,
          .sync = *sync_service_,
          .metrics = *metrics_,
          .webhooks = webhooks_.get(),
          .oauth = oauth_.get(),
          .readiness = readiness_.get()};
}

}  // namespace stripeline::cli
