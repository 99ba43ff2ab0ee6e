#pragma once
// The schema of sync/'s tables: one `stripe_<stream>` table per stream of the stream table
// (generated: tools/ddl_generator.h), the sync state (`sync_*`), the sync leases and the
// verifications' results.
// Documented in docs/schema.md. (The webhook intake's tables are still store/'s, with the
// typed Store's SQL on them; they move here with that SQL.)

#include "store/migrations.h"

namespace stripeline::sync {

// Named "sync"; a static value, safe to use from any thread. Needs StoreSchema() applied first
// (its lease table refers to integrations).
const store::SchemaOwner& SyncSchema();

}  // namespace stripeline::sync
