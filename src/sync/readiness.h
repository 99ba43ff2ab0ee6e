#pragma once
// Readiness: whether this process can do its work now — what /readyz answers. Ready means all
// of:
//   - the database takes a write (a probe row in `settings`, committed): a full disk or a
//     read-only file fails it ("database_unwritable");
//   - the master key opens a sealed secret (the first integration's credentials), when there
//     is one ("secrets_unreadable");
//   - the webhook applier, when this process runs one, is not stalled ("webhook_applier_stalled",
//     WebhookIntakeOptions::stall_after).
// The first failing check is the answer's reason, with a message for the operator (no SQL, no
// secret).
//
// Thread-safety: thread-safe (its parts are). The store, integration service, intake and clock
// must outlive it.

#include <string>

#include "common/clock.h"
#include "integrations/integration_service.h"
#include "store/store.h"
#include "sync/webhook_intake.h"

namespace stripeline::sync {

struct ReadinessReport {
  bool ready = true;
  std::string reason;   // empty when ready; otherwise one of the reasons above
  std::string message;  // what is wrong and what to do; empty when ready
};

class Readiness {
 public:
  // `webhooks` may be null (no applier to watch).
  Readiness(store::Store& store, integrations::IntegrationService& integrations,
            WebhookIntake* webhooks, Clock& clock);

  ReadinessReport Check();

 private:
  store::Store& store_;
  integrations::IntegrationService& integrations_;
  WebhookIntake* const webhooks_;
  Clock& clock_;
};

}  // namespace stripeline::sync
