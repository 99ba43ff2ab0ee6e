#pragma once
// JSON views of the sync engine's values (sync_types.h), shared by the REST API and the CLI's
// --json output so both show the same shape (documented in docs/openapi.yaml: SyncStatus,
// SyncRun, VerifyReport, Integration.last_sync). Pure functions, but for IntegrationJson, which
// reads the integration's newest run.

#include <boost/json/object.hpp>

#include "store/entities.h"
#include "sync/sync_engine.h"
#include "sync/sync_types.h"

namespace stripeline::sync {

boost::json::object StreamProgressJson(const StreamProgress& stream);
boost::json::object SyncRunJson(const SyncRunResult& run);
boost::json::object SyncStatusJson(const SyncStatus& status);
boost::json::object VerifyReportJson(const VerifyReport& report);

// integrations::IntegrationJson plus `last_sync`: the status, kind and times of the
// integration's newest run (a running one included), or null before its first. Every place
// the API and the CLI show an integration uses this one, so lists show the last sync too.
boost::json::object IntegrationJson(const store::Integration& integration, SyncEngine& engine);

}  // namespace stripeline::sync
