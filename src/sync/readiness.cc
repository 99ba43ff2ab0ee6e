#include "sync/readiness.h"

#include "common/log.h"

namespace stripeline::sync {

namespace {

constexpr char kProbeSetting[] = "readiness_probe";

ReadinessReport NotReady(std::string reason, std::string message) {
  return {.ready = false, .reason = std::move(reason), .message = std::move(message)};
}

}  // namespace

Readiness::Readiness(store::Store& store, integrations::IntegrationService& integrations,
                     WebhookIntake* webhooks, Clock& clock)
    : store_(store), integrations_(integrations), webhooks_(webhooks), clock_(clock) {}

ReadinessReport Readiness::Check() {
  // A real, committed write: reading proves nothing about a full disk or a read-only file.
  if (Status written = store_.PutSetting(kProbeSetting, std::to_string(clock_.NowUnix()));
      !written.ok()) {
    const bool operator_message = written.error_code() == "storage_full" ||
                                  written.error_code() == "storage_read_only";
    if (!operator_message) log::Error("readiness.database", {{"error", written.ToString()}});
    return NotReady("database_unwritable",
                    operator_message ? written.message()
                                     : "The database cannot be written; see the server log.");
  }

  auto integrations = store_.ListIntegrations(std::nullopt);
  if (!integrations.ok()) {
    log::Error("readiness.database", {{"error", integrations.status().ToString()}});
    return NotReady("database_unwritable", "The database cannot be read; see the server log.");
  }
  for (const store::Integration& integration : *integrations) {
    if (integration.credentials_sealed.empty()) continue;
    if (!integrations_.Credentials(integration).ok()) {
      return NotReady("secrets_unreadable",
                      "The master key does not open the stored credentials (integration " +
                          integration.id +
                          "): restore the master.key that belongs to this database.");
    }
    break;  // one opened is enough: they are all sealed with the one key
  }

  if (webhooks_ != nullptr) {
    const ApplierState applier = webhooks_->Applier();
    if (applier.stalled) {
      return NotReady("webhook_applier_stalled",
                      "The webhook applier has made no progress for " +
                          std::to_string(applier.since_progress.count() / 1000) +
                          " s; received events wait (see the server log).");
    }
  }
  return {};
}

}  // namespace stripeline::sync
