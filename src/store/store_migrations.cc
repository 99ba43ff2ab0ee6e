#include "store/store_migrations.h"

namespace stripeline::store {

const SchemaOwner& StoreSchema() {
  // Repository-facing columns use portable types only (TEXT ids, BIGINT unix seconds, INTEGER
  // 0/1 booleans, TEXT JSON and sealed secrets) so the PostgreSQL schema can mirror them.
  static const SchemaOwner kOwner = {"store", {
      {1, "initial schema", R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions(user_id);
CREATE INDEX sessions_expires_at ON sessions(expires_at);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  token_prefix TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user_id ON api_tokens(user_id);

CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE client_members (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, user_id)
);
CREATE INDEX client_members_user_id ON client_members(user_id);

CREATE TABLE integrations (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  client_id TEXT REFERENCES clients(id),
  auth_scheme TEXT NOT NULL,
  credentials_sealed TEXT NOT NULL,
  secret_key_masked TEXT NOT NULL,
  account_id TEXT,
  stripe_account_id TEXT NOT NULL,
  stripe_account_name TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  active INTEGER NOT NULL,
  health TEXT NOT NULL,
  health_reason TEXT NOT NULL,
  health_checked_at BIGINT NOT NULL,
  missing_permissions TEXT NOT NULL,
  last_sync_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX integrations_client_id ON integrations(client_id);

-- No foreign key on integration_id: the history outlives a deleted integration.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  integration_id TEXT,
  summary TEXT NOT NULL,
  details_json TEXT NOT NULL
);
CREATE INDEX audit_log_integration_id ON audit_log(integration_id, id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql", 1},
      // Version 2 made the webhook intake's tables until they moved to their owner, sync/
      // (SyncSchema() version 3, which makes them unless this version already did).
      // Connect OAuth: the `state` of each authorization started, single-use and expiring,
      // bound to the browser that started it. Only hashes are kept.
      {3, "oauth states", R"sql(
CREATE TABLE oauth_states (
  state_hash TEXT PRIMARY KEY,
  binding_hash TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  client_id TEXT REFERENCES clients(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  expected_account TEXT,
  scope TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX oauth_states_expires_at ON oauth_states(expires_at);
)sql", 5},
      // Reconnecting an OAuth integration in place: a state may name the integration whose
      // grant the callback replaces (NULL: the callback adds a new one). No foreign key: an
      // integration deleted while its owner is at Stripe must not turn the state into one that
      // adds a new integration (SET NULL) or vanish unexplained (CASCADE); the callback says so.
      {4, "oauth reconnect", R"sql(
ALTER TABLE oauth_states ADD COLUMN integration_id TEXT;
)sql", 8},
  }};
  return kOwner;
}

}  // namespace stripeline::store
