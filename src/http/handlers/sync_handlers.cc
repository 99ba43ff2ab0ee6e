// /api/v1/integrations/{id}/sync...: start a sync, its progress and history; start, read and
// cancel a verification.
// The role rules are SyncService's (sync/sync_service.h).
#include <boost/json.hpp>

#include "http/api.h"
#include "sync/views.h"

namespace stripeline::http {

namespace {

constexpr int kDefaultRuns = 20;
constexpr int kMaxRuns = 200;

Result<int> RunsLimit(const HttpRequest& request) {
  std::optional<std::string> given = request.Query("limit");
  if (!given) return kDefaultRuns;
  int limit = 0;
  try {
    size_t used = 0;
    limit = std::stoi(*given, &used);
    if (used != given->size()) limit = 0;
  } catch (const std::exception&) {
    limit = 0;
  }
  if (limit < 1 || limit > kMaxRuns) {
    return Status::InvalidArgument("limit must be a whole number from 1 to 200.", "invalid_field");
  }
  return limit;
}

}  // namespace

void RegisterSyncRoutes(ApiRoutes& routes) {
  sync::SyncService* service = &routes.services().sync;

  routes.Authenticated("POST", "/api/v1/integrations/{id}/sync",
                       [service](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(std::string run_id,
                                             service->Start(call.actor, call.Param("id")));
                         return JsonAnswer(202, {{"run_id", run_id}, {"message", "Sync started"}});
                       });

  routes.Authenticated("GET", "/api/v1/integrations/{id}/sync",
                       [service](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(sync::SyncStatus status,
                                             service->Status(call.actor, call.Param("id")));
                         return JsonAnswer(200, sync::SyncStatusJson(status));
                       });

  routes.Authenticated("GET", "/api/v1/integrations/{id}/sync/runs",
                       [service](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(int limit, RunsLimit(call.request));
                         SL_ASSIGN_OR_RETURN(auto runs,
                                             service->Runs(call.actor, call.Param("id"), limit));
                         boost::json::array data;
                         for (const auto& run : runs) data.push_back(sync::SyncRunJson(run));
                         return JsonAnswer(200, {{"data", std::move(data)}});
                       });

  // Verification runs in the background (sync/verification_jobs.h): POST starts it (202), or
  // answers 409 verify_running with the id of the one that has not ended; GET reads the newest
  // one; DELETE cancels the one in progress.
  routes.Authenticated(
      "POST", "/api/v1/integrations/{id}/sync/verify",
      [service](const Call& call) -> Result<HttpResponse> {
        SL_ASSIGN_OR_RETURN(sync::VerificationStart start,
                            service->StartVerification(call.actor, call.Param("id")));
        if (!start.started) {
          const std::string& running = start.verification.id;
          return ErrorResponse(
              Status::FailedPrecondition("A verification of this integration is already " +
                                             std::string(Name(start.verification.state)) +
                                             " (" + running +
                                             "); follow it with GET, or cancel it with DELETE.",
                                         "verify_running"),
              {{"verification_id", running}});
        }
        return JsonAnswer(202, sync::VerificationJson(start.verification));
      });

  routes.Authenticated("GET", "/api/v1/integrations/{id}/sync/verify",
                       [service](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(
                             sync::Verification latest,
                             service->LatestVerification(call.actor, call.Param("id")));
                         return JsonAnswer(200, sync::VerificationJson(latest));
                       });

  routes.Authenticated("DELETE", "/api/v1/integrations/{id}/sync/verify",
                       [service](const Call& call) -> Result<HttpResponse> {
                         SL_ASSIGN_OR_RETURN(
                             sync::Verification canceled,
                             service->CancelVerification(call.actor, call.Param("id")));
                         return JsonAnswer(202, sync::VerificationJson(canceled));
                       });
}

}  // namespace stripeline::http
