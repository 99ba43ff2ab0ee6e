#include "cli/runtime.h"

#include <cstdlib>
#include <filesystem>

#include "store/open_store.h"
#include "stripe/curl_transport.h"

namespace stripeline::cli {

Result<std::unique_ptr<Runtime>> Runtime::Open(const RuntimeOptions& options) {
  std::unique_ptr<Runtime> runtime(new Runtime(options));
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    return Status::InvalidArgument("Cannot create the data directory '" + options.data_dir +
                                   "': " + ec.message());
  }
  const char* env_key = std::getenv("STRIPELINE_MASTER_KEY");
  SL_ASSIGN_OR_RETURN(std::string master_key,
                      LoadOrCreateMasterKey(options.data_dir,
                                            env_key && *env_key ? std::optional<std::string>(env_key)
                                                                : std::nullopt));
  runtime->box_ = std::make_unique<SecretBox>(std::move(master_key));
  std::string url = options.database_url.empty()
                        ? "sqlite:" + (std::filesystem::path(options.data_dir) / "stripeline.db").string()
                        : options.database_url;
  SL_ASSIGN_OR_RETURN(runtime->store_, store::OpenStore(url));

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
      *runtime->store_, *runtime->box_, *runtime->stripe_, *runtime->users_,
      *runtime->integrations_);
  runtime->integrations_->SetDeauthorizer(
      [oauth = runtime->oauth_.get()](const store::Integration& integration,
                                      const integrations::StripeCredentials& credentials) {
        return oauth->Deauthorize(integration, credentials);
      });
  runtime->sync_ = std::make_unique<sync::SyncEngine>(*runtime->store_, *runtime->integrations_,
                                                      *runtime->stripe_, *runtime->limiters_,
                                                      Clock::Real(), options.sync);
  runtime->webhooks_ = std::make_unique<sync::WebhookIntake>(
      *runtime->store_, *runtime->integrations_, *runtime->box_,
      runtime->sync_->event_applier(), Clock::Real(), options.webhooks);
  runtime->integrations_->SetSyncedDataRemover(
      [engine = runtime->sync_.get()](const store::Integration& integration) {
        return engine->DeleteSyncedData(integration);
      });
  return runtime;
}

}  // namespace stripeline::cli
