#include "sync/sync_service.h"

namespace stripeline::sync {

Result<std::string> SyncService::Start(const access::Actor& actor,
                                       const std::string& integration_id) {
  SL_RETURN_IF_ERROR(access::RequireMember(actor, "starting a sync"));
  SL_RETURN_IF_ERROR(integrations_.Get(actor, integration_id).status());
  return engine_.Start(integration_id);
}

Result<SyncStatus> SyncService::Status(const access::Actor& actor,
                                       const std::string& integration_id) {
  SL_RETURN_IF_ERROR(integrations_.Get(actor, integration_id).status());
  return engine_.Status(integration_id);
}

Result<std::vector<SyncRunResult>> SyncService::Runs(const access::Actor& actor,
                                                     const std::string& integration_id,
                                                     int limit) {
  SL_RETURN_IF_ERROR(integrations_.Get(actor, integration_id).status());
  return engine_.Runs(integration_id, limit);
}

Result<VerificationStart> SyncService::StartVerification(const access::Actor& actor,
                                                         const std::string& integration_id) {
  SL_RETURN_IF_ERROR(access::RequireMember(actor, "verifying synced data"));
  SL_RETURN_IF_ERROR(integrations_.Get(actor, integration_id).status());
  return engine_.StartVerification(integration_id);
}

Result<Verification> SyncService::LatestVerification(const access::Actor& actor,
                                                     const std::string& integration_id) {
  SL_RETURN_IF_ERROR(integrations_.Get(actor, integration_id).status());
  SL_ASSIGN_OR_RETURN(std::optional<Verification> latest,
                      engine_.LatestVerification(integration_id));
  if (!latest) {
    return ::stripeline::Status::NotFound(
        "Integration " + integration_id + " has not been verified yet.",
        "verification_not_found");
  }
  return *std::move(latest);
}

Result<Verification> SyncService::CancelVerification(const access::Actor& actor,
                                                     const std::string& integration_id) {
  SL_RETURN_IF_ERROR(access::RequireMember(actor, "canceling a verification"));
  SL_RETURN_IF_ERROR(integrations_.Get(actor, integration_id).status());
  return engine_.CancelVerification(integration_id);
}

std::optional<SyncRunResult> SyncService::LastRun(const store::Integration& integration) {
  Result<std::vector<SyncRunResult>> runs = engine_.Runs(integration.id, 1);
  if (!runs.ok() || runs->empty()) return std::nullopt;
  return runs->front();
}

}  // namespace stripeline::sync
