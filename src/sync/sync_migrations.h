#pragma once
// The schema of sync/'s tables: one `stripe_<stream>` table per stream of the stream table
// (generated: tools/ddl_generator.h), the sync state (`sync_*`), the sync leases, the
// verifications' results and the webhook intake's secrets and inbox (`webhook_*`, whose SQL is
// WebhookStore's). Documented in docs/schema.md.

#include "store/migrations.h"

namespace stripeline::sync {

// Named "sync"; a static value, safe to use from any thread. Needs StoreSchema() applied first
// (its lease and webhook tables refer to integrations).
const store::SchemaOwner& SyncSchema();

}  // namespace stripeline::sync
