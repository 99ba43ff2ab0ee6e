#pragma once
// JSON views of the sync engine's values (sync_types.h), shared by the REST API and the CLI's
// --json output so both show the same shape (documented in docs/openapi.yaml: SyncStatus,
// SyncRun, VerifyReport, Verification, Integration.last_sync, WebhookConfig). Pure functions.

#include <boost/json/object.hpp>

#include <optional>

#include "integrations/integration_service.h"
#include "store/entities.h"
#include "sync/sync_types.h"
#include "sync/webhook_intake.h"

namespace stripeline::sync {

boost::json::object StreamProgressJson(const StreamProgress& stream);
boost::json::object SyncRunJson(const SyncRunResult& run);
boost::json::object SyncStatusJson(const SyncStatus& status);
boost::json::object VerifyReportJson(const VerifyReport& report);
// A verification: id, integration_id, state, started_at, finished_at, error, and once it
// succeeded `equal` and `streams` (as in VerifyReportJson; null and [] before).
boost::json::object VerificationJson(const Verification& verification);

// integrations::IntegrationJson plus `last_sync`: the status, kind and times of the
// integration's newest run (a running one included: SyncService::LastRun), or null before its
// first. Every place the API and the CLI show an integration uses this one, so lists show the
// last sync too.
boost::json::object IntegrationJson(const store::Integration& integration,
                                    const std::optional<SyncRunResult>& last_run);

// What adding, editing or switching an integration answers: {integration (with last_sync),
// message, warnings}.
boost::json::object SavedJson(const integrations::Saved& saved,
                              const std::optional<SyncRunResult>& last_run);

// An integration's webhook endpoint: path, masked secrets, and its events' counts.
boost::json::object WebhookJson(const WebhookConfig& config);
// A new signing secret: {webhook, message}, with `secret` only when Stripeline generated it.
boost::json::object SecretChangeJson(const SecretChange& change);
// What the intake answers Stripe for a delivery it took: {"received": true}, with "duplicate"
// or a message saying an inactive integration applies it later.
boost::json::object ReceiptJson(const Receipt& receipt);

}  // namespace stripeline::sync
