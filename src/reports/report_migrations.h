#pragma once
// The schema of reports/'s tables: the hourly rollup of the volume streams kept by triggers
// (generated from reports/rollup_spec.h: tools/ddl_generator.h), the covering indexes on the
// stream tables, the subscription facts with their queue and generation, and the clients'
// dashboards. Documented in docs/schema.md.

#include "store/migrations.h"

namespace stripeline::reports {

// Named "reports"; a static value, safe to use from any thread. Needs StoreSchema() and
// SyncSchema() applied first (its triggers are on their tables).
const store::SchemaOwner& ReportSchema();

}  // namespace stripeline::reports
