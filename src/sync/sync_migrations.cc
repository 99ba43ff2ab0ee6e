#include "sync/sync_migrations.h"

#include <string>
#include <string_view>

namespace stripeline::sync {
namespace {

#include "sync/generated/stream_tables.sql.inc"
#include "sync/generated/stream_tables_by_mode.sql.inc"

}  // namespace

const store::SchemaOwner& SyncSchema() {
  static const store::SchemaOwner kOwner = {"sync", {
      // Synced Stripe data (one table per stream of src/sync/stream_table.h, typed columns in
      // the same order) and the sync engine's state. Documented in docs/schema.md. The stream
      // tables are generated from the stream table (tools/ddl_generator.h); a migration is
      // history and must not change when a stream gains a column later (that is a new migration).
      {1, "sync tables", std::string(kStreamTablesSql) + R"sql(
CREATE INDEX stripe_events_type ON stripe_events(account_id, type, created);
CREATE INDEX stripe_events_object ON stripe_events(account_id, object_id);

-- Sync bookkeeping. No foreign keys to integrations: run history outlives a deleted integration.
CREATE TABLE sync_runs (
  id TEXT PRIMARY KEY,
  integration_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  status TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  objects BIGINT NOT NULL DEFAULT 0,
  events BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sync_runs_integration ON sync_runs(integration_id, started_at);

CREATE TABLE sync_run_streams (
  run_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  state TEXT NOT NULL,
  objects BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  missing_permission TEXT,
  PRIMARY KEY (run_id, stream)
);

CREATE TABLE sync_streams (
  integration_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  state TEXT NOT NULL,
  objects_synced BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  missing_permission TEXT,
  backfill_version BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (integration_id, stream)
);

CREATE TABLE sync_slices (
  integration_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  slice_start BIGINT NOT NULL,
  slice_end BIGINT NOT NULL,
  cursor TEXT,
  done INTEGER NOT NULL DEFAULT 0,
  objects BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (integration_id, stream, slice_end)
);

CREATE TABLE sync_cursors (
  integration_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  last_event_id TEXT,
  last_event_created BIGINT,
  backfill_completed_at BIGINT,
  updated_at BIGINT NOT NULL
);

CREATE TABLE sync_processed_events (
  account_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_created BIGINT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, event_id)
);
)sql", 2},
      {2, "sync leases", R"sql(
CREATE TABLE sync_leases (
  integration_id TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  process_start TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
)sql", 4},
      // Webhook intake (WebhookStore, webhook_store.h): per-integration signing secrets (sealed)
      // and the durable inbox of verified events. Until this version, store/'s version 2 made
      // these tables (and, before issue 12, version 3 of the single history, hence its
      // legacy_version): a database it upgraded has them already, so this migration creates
      // only what is missing and records that sync/ owns them. The same statements otherwise,
      // so every database ends with the same schema (SQLite keeps a statement's text without
      // its IF NOT EXISTS).
      {3, "webhook intake", R"sql(
CREATE TABLE IF NOT EXISTS webhook_secrets (
  integration_id TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
  secret_sealed TEXT NOT NULL,
  secret_masked TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  previous_sealed TEXT,
  previous_masked TEXT,
  previous_expires_at BIGINT
);

CREATE TABLE IF NOT EXISTS webhook_events (
  integration_id TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  created BIGINT NOT NULL,
  livemode INTEGER NOT NULL,
  account TEXT,
  payload TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  applied_at BIGINT,
  PRIMARY KEY (integration_id, event_id)
);
CREATE INDEX IF NOT EXISTS webhook_events_pending ON webhook_events(state, created);
)sql", 3},
      // Verifications run in the background (verification_jobs.h); their results outlive the
      // process. The holder columns name the process that runs one (as sync_leases do), so a
      // verification left queued or running by a process that died is recognised at start-up.
      {4, "sync verifications", R"sql(
CREATE TABLE sync_verifications (
  id TEXT PRIMARY KEY,
  integration_id TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  error TEXT NOT NULL DEFAULT '',
  holder TEXT NOT NULL,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  process_start TEXT NOT NULL
);
CREATE INDEX sync_verifications_integration ON sync_verifications(integration_id, started_at);
CREATE INDEX sync_verifications_state ON sync_verifications(state);

CREATE TABLE sync_verification_streams (
  verification_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  stream TEXT NOT NULL,
  result TEXT NOT NULL,
  local_count BIGINT NOT NULL DEFAULT 0,
  remote_count BIGINT NOT NULL DEFAULT 0,
  missing_locally TEXT NOT NULL DEFAULT '',
  extra_locally TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (verification_id, position)
);
)sql"},
      // Test and live data apart (issue 13): Stripe keeps a test and a live world per account,
      // and ids may repeat across them (the account object always does, a merchant's coupon
      // codes may), so the stream tables are rebuilt keyed by (account_id, livemode, id), rows
      // kept, their `_created` and event indexes led by (account_id, livemode); the dedupe
      // records get the mode too (from the stored event, test when unknown: forgetting one
      // only lets an event be applied again, which changes nothing). Rebuilding a table drops
      // the reports' indexes and triggers on it: reports migration 4 makes them again, keyed
      // by mode, and rebuilds the rollup from these rows. Documented in docs/schema.md.
      {5, "sync: test and live data apart", std::string(kStreamTablesByModeSql) + R"sql(
CREATE INDEX stripe_events_type ON stripe_events(account_id, livemode, type, created);
CREATE INDEX stripe_events_object ON stripe_events(account_id, livemode, object_id);

CREATE TABLE sync_processed_events_by_mode (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_created BIGINT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, livemode, event_id)
);
INSERT INTO sync_processed_events_by_mode (account_id, livemode, event_id, event_created,
                                           processed_at)
SELECT p.account_id, COALESCE((SELECT MAX(e.livemode) FROM stripe_events e
                               WHERE e.account_id = p.account_id AND e.id = p.event_id), 0),
       p.event_id, p.event_created, p.processed_at
FROM sync_processed_events p;
DROP TABLE sync_processed_events;
ALTER TABLE sync_processed_events_by_mode RENAME TO sync_processed_events;
)sql"},
  }};
  return kOwner;
}

}  // namespace stripeline::sync
