#include "sync/integration_removal.h"

namespace stripeline::sync {

Result<std::string> IntegrationRemoval::Delete(const access::Actor& actor, const std::string& id,
                                               bool keep_data) {
  // The role and visibility checks come before anything is removed.
  SL_ASSIGN_OR_RETURN(store::Integration integration, integrations_.GetForDelete(actor, id));
  std::string removed;  // what the engine says it removed
  std::string message;
  SL_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    if (!keep_data) {
      SL_ASSIGN_OR_RETURN(removed, engine_.DeleteSyncedData(integration));
    }
    SL_ASSIGN_OR_RETURN(message, integrations_.Delete(actor, id, keep_data, removed));
    return Status::OK();
  }));
  // Revoked at Stripe only once the delete is committed (a refused delete keeps its grant), and
  // never blocking it: a grant Stripe already dropped, or an unreachable Stripe, must not keep
  // an integration the user wants gone. The message says which happened.
  if (integration.auth_scheme == integrations::kOAuthScheme) {
    Status revoked = oauth_.Deauthorize(integration);
    SL_ASSIGN_OR_RETURN(std::string outcome,
                        integrations_.RecordRevocation(actor, integration, revoked));
    message += outcome;
  }
  if (!removed.empty()) message += "; " + removed;
  return message;
}

}  // namespace stripeline::sync
