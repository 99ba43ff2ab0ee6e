#pragma once
// The schema of store/'s own tables: the access records of the typed Store (users, sessions,
// API tokens, clients and their members, integrations, the audit log, settings, OAuth states).
// The other subsystems declare theirs (sync/sync_migrations.h: the synced data, the sync state
// and the webhook intake; reports/report_migrations.h); the composition root passes them all
// to OpenDatabase.

#include "store/migrations.h"

namespace stripeline::store {

// Named "store"; a static value, safe to use from any thread.
const SchemaOwner& StoreSchema();

}  // namespace stripeline::store
