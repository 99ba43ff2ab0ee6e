#pragma once
// SyncService: what people may do with an integration's syncs, over the SyncEngine — the role
// rules the REST API applies (the CLI acts as the local operator, an admin):
//   - reading sync status and run history: anyone who can see the integration;
//   - starting a sync or a verification, or canceling a verification: administrators and
//     members who can see it (both call Stripe on the integration's behalf and spend its rate
//     budget); viewers only read (a verification's result too).
// Built once by the composition root (cli::Runtime) and shared by the API and the CLI.
// An integration the actor cannot see is NotFound, as in IntegrationService.
//
// Thread-safety: thread-safe; holds no state of its own. The engine and the integration
// service must outlive it.

#include <optional>
#include <string>
#include <vector>

#include "access/actor.h"
#include "common/result.h"
#include "integrations/integration_service.h"
#include "sync/sync_engine.h"

namespace stripeline::sync {

class SyncService {
 public:
  SyncService(SyncEngine& engine, integrations::IntegrationService& integrations)
      : engine_(engine), integrations_(integrations) {}

  // Starts a background run; returns its id. FailedPrecondition when one is running
  // (sync_running) or the integration is inactive (integration_inactive).
  Result<std::string> Start(const access::Actor& actor, const std::string& integration_id);
  Result<SyncStatus> Status(const access::Actor& actor, const std::string& integration_id);
  Result<std::vector<SyncRunResult>> Runs(const access::Actor& actor,
                                          const std::string& integration_id, int limit);
  // Starts comparing the local tables with Stripe in the background (SyncEngine::
  // StartVerification): the new verification, or — not started — the integration's one that
  // has not ended. FailedPrecondition (sync_running) while a sync of the integration runs.
  Result<VerificationStart> StartVerification(const access::Actor& actor,
                                              const std::string& integration_id);
  // The integration's newest verification (a running one included); NotFound
  // (verification_not_found) before its first.
  Result<Verification> LatestVerification(const access::Actor& actor,
                                          const std::string& integration_id);
  // Cancels the integration's verification in progress; FailedPrecondition
  // (verify_not_running) when there is none.
  Result<Verification> CancelVerification(const access::Actor& actor,
                                          const std::string& integration_id);
  // The newest run (a running one included) of an integration the caller already read through
  // IntegrationService, for its view (IntegrationJson's last_sync); none before its first run.
  // A failed read of the run history is none too: the integration itself was read fine, and
  // its view must not fail for the history.
  std::optional<SyncRunResult> LastRun(const store::Integration& integration);

 private:
  SyncEngine& engine_;
  integrations::IntegrationService& integrations_;
};

}  // namespace stripeline::sync
