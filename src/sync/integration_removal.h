#pragma once
// IntegrationRemoval: deleting an integration, a use case that spans two layers — its synced
// rows and sync state (SyncEngine::DeleteSyncedData) and the integration itself with its audit
// entry (IntegrationService::Delete) go in one transaction, so a refused or failed removal
// keeps both; then an OAuth integration's grant is revoked at Stripe (OAuthService::Deauthorize)
// and the outcome recorded (IntegrationService::RecordRevocation). The REST API and the CLI
// delete through it, so neither layer below needs to call back up.
//
// Thread-safety: thread-safe; holds no state of its own. The services it is given must outlive
// it.

#include <string>

#include "access/actor.h"
#include "common/result.h"
#include "integrations/integration_service.h"
#include "integrations/oauth_service.h"
#include "store/store.h"
#include "sync/sync_engine.h"

namespace stripeline::sync {

class IntegrationRemoval {
 public:
  IntegrationRemoval(store::Store& store, integrations::IntegrationService& integrations,
                     integrations::OAuthService& oauth, SyncEngine& engine)
      : store_(store), integrations_(integrations), oauth_(oauth), engine_(engine) {}

  // Deletes integration `id` (admins). `keep_data`: keep the synced data (it stays queryable),
  // or remove it with the integration (FailedPrecondition sync_running while a run of it is in
  // progress; nothing is deleted then). An OAuth integration is then deauthorized at Stripe,
  // never blocking the delete. Returns the sentence for the user: "Integration deleted", whether
  // Stripe revoked the grant, and what data was removed.
  Result<std::string> Delete(const access::Actor& actor, const std::string& id, bool keep_data);

 private:
  store::Store& store_;
  integrations::IntegrationService& integrations_;
  integrations::OAuthService& oauth_;
  SyncEngine& engine_;
};

}  // namespace stripeline::sync
