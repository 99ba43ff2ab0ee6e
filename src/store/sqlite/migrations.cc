#include "store/sqlite/migrations.h"

namespace stripeline::store::sqlite {

const std::vector<Migration>& SqliteMigrations() {
  // Repository-facing columns use portable types only (TEXT ids, BIGINT unix seconds, INTEGER
  // 0/1 booleans, TEXT JSON and sealed secrets) so the PostgreSQL schema can mirror them.
  static const std::vector<Migration> kMigrations = {
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
)sql"},
      // Synced Stripe data (one table per stream of src/sync/stream_table.h, typed columns in
      // the same order) and the sync engine's state. Documented in docs/schema.md. Spelled out
      // rather than generated from the stream table on purpose: a migration is history and must
      // not change when a stream gains a column later (that is a new migration).
      {2, "sync tables", R"sql(
CREATE TABLE stripe_account (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  email TEXT,
  country TEXT,
  default_currency TEXT,
  type TEXT,
  business_name TEXT,
  charges_enabled INTEGER,
  payouts_enabled INTEGER,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_account_created ON stripe_account(account_id, created);
CREATE TABLE stripe_customers (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  email TEXT,
  name TEXT,
  currency TEXT,
  balance BIGINT,
  delinquent INTEGER,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_customers_created ON stripe_customers(account_id, created);
CREATE TABLE stripe_products (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  name TEXT,
  active INTEGER,
  type TEXT,
  default_price TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_products_created ON stripe_products(account_id, created);
CREATE TABLE stripe_prices (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  product TEXT,
  active INTEGER,
  currency TEXT,
  unit_amount BIGINT,
  type TEXT,
  recurring_interval TEXT,
  recurring_interval_count BIGINT,
  recurring_usage_type TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_prices_created ON stripe_prices(account_id, created);
CREATE TABLE stripe_coupons (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  name TEXT,
  percent_off DOUBLE PRECISION,
  amount_off BIGINT,
  currency TEXT,
  duration TEXT,
  duration_in_months BIGINT,
  valid INTEGER,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_coupons_created ON stripe_coupons(account_id, created);
CREATE TABLE stripe_subscriptions (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  customer TEXT,
  status TEXT,
  currency TEXT,
  start_date BIGINT,
  canceled_at BIGINT,
  ended_at BIGINT,
  cancel_at BIGINT,
  cancel_at_period_end INTEGER,
  trial_start BIGINT,
  trial_end BIGINT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_subscriptions_created ON stripe_subscriptions(account_id, created);
CREATE TABLE stripe_invoices (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  customer TEXT,
  subscription TEXT,
  number TEXT,
  status TEXT,
  currency TEXT,
  amount_due BIGINT,
  amount_paid BIGINT,
  amount_remaining BIGINT,
  subtotal BIGINT,
  total BIGINT,
  period_start BIGINT,
  period_end BIGINT,
  due_date BIGINT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_invoices_created ON stripe_invoices(account_id, created);
CREATE TABLE stripe_charges (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  customer TEXT,
  amount BIGINT,
  amount_captured BIGINT,
  amount_refunded BIGINT,
  currency TEXT,
  status TEXT,
  paid INTEGER,
  captured INTEGER,
  refunded INTEGER,
  disputed INTEGER,
  payment_intent TEXT,
  balance_transaction TEXT,
  failure_code TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_charges_created ON stripe_charges(account_id, created);
CREATE TABLE stripe_refunds (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  charge TEXT,
  payment_intent TEXT,
  amount BIGINT,
  currency TEXT,
  status TEXT,
  reason TEXT,
  balance_transaction TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_refunds_created ON stripe_refunds(account_id, created);
CREATE TABLE stripe_disputes (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  charge TEXT,
  payment_intent TEXT,
  amount BIGINT,
  currency TEXT,
  status TEXT,
  reason TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_disputes_created ON stripe_disputes(account_id, created);
CREATE TABLE stripe_payment_intents (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  customer TEXT,
  amount BIGINT,
  amount_received BIGINT,
  currency TEXT,
  status TEXT,
  latest_charge TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_payment_intents_created ON stripe_payment_intents(account_id, created);
CREATE TABLE stripe_payouts (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  amount BIGINT,
  currency TEXT,
  status TEXT,
  arrival_date BIGINT,
  automatic INTEGER,
  method TEXT,
  type TEXT,
  balance_transaction TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_payouts_created ON stripe_payouts(account_id, created);
CREATE TABLE stripe_balance_transactions (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  amount BIGINT,
  fee BIGINT,
  net BIGINT,
  currency TEXT,
  type TEXT,
  reporting_category TEXT,
  source TEXT,
  status TEXT,
  available_on BIGINT,
  exchange_rate DOUBLE PRECISION,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_balance_transactions_created ON stripe_balance_transactions(account_id, created);
CREATE TABLE stripe_credit_notes (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  customer TEXT,
  invoice TEXT,
  number TEXT,
  status TEXT,
  type TEXT,
  reason TEXT,
  currency TEXT,
  amount BIGINT,
  total BIGINT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_credit_notes_created ON stripe_credit_notes(account_id, created);
CREATE TABLE stripe_events (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created BIGINT,
  deleted INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  last_event_id TEXT,
  synced_at BIGINT NOT NULL,
  raw TEXT NOT NULL,
  type TEXT,
  object_id TEXT,
  object_type TEXT,
  api_version TEXT,
  request_id TEXT,
  event_account TEXT,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX stripe_events_created ON stripe_events(account_id, created);

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
)sql"},
      // Webhook intake: per-integration signing secrets (sealed) and the durable inbox of
      // verified events. Documented in docs/schema.md.
      {3, "webhook intake", R"sql(
CREATE TABLE webhook_secrets (
  integration_id TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
  secret_sealed TEXT NOT NULL,
  secret_masked TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  previous_sealed TEXT,
  previous_masked TEXT,
  previous_expires_at BIGINT
);

CREATE TABLE webhook_events (
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
CREATE INDEX webhook_events_pending ON webhook_events(state, created);
)sql"},
      {4, "sync leases", R"sql(
CREATE TABLE sync_leases (
  integration_id TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  process_start TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
)sql"},
      // Connect OAuth: the `state` of each authorization started, single-use and expiring,
      // bound to the browser that started it. Only hashes are kept.
      {5, "oauth states", R"sql(
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
)sql"},
      // Reports (issue 6): hourly sums of the volume streams kept by triggers (a 12-month series
      // reads ~9,000 rollup rows instead of a million charges), covering indexes for zones whose
      // midnights are not on the hour, the subscription facts the metrics engine derives from
      // raw JSON (src/reports/subscription_facts.h) with the queue of subscriptions to derive
      // again (filled by triggers, so no write path can forget either) and the generation that
      // tells a process its cached facts are current, and the clients' dashboards. Documented in
      // docs/schema.md.
      {6, "reports", R"sql(
CREATE INDEX stripe_charges_report ON stripe_charges(account_id, created, deleted, status, currency, amount_captured);
CREATE INDEX stripe_refunds_report ON stripe_refunds(account_id, created, deleted, status, currency, amount);
CREATE INDEX stripe_disputes_report ON stripe_disputes(account_id, created, deleted, currency, amount);
CREATE INDEX stripe_balance_transactions_report ON stripe_balance_transactions(account_id, created, deleted, reporting_category, currency, fee, net);
CREATE INDEX stripe_payouts_report ON stripe_payouts(account_id, arrival_date, deleted, status, currency, amount);
CREATE INDEX stripe_customers_report ON stripe_customers(account_id, created, deleted);

CREATE TABLE report_rollup (
  account_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  slot BIGINT NOT NULL,
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
  n BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  fee BIGINT NOT NULL,
  net BIGINT NOT NULL,
  abs_net BIGINT NOT NULL,
  PRIMARY KEY (account_id, stream, slot, kind, currency)
);
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT account_id, 'charges', created / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount_captured, 0)), 0, 0, 0 FROM stripe_charges WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_charges_rollup_insert AFTER INSERT ON stripe_charges WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (NEW.account_id, 'charges', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount_captured, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_charges_rollup_update AFTER UPDATE ON stripe_charges WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount_captured IS NOT NEW.amount_captured BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT OLD.account_id, 'charges', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount_captured, 0), 0, 0, 0 WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT NEW.account_id, 'charges', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount_captured, 0), 0, 0, 0 WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_charges_rollup_delete AFTER DELETE ON stripe_charges WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (OLD.account_id, 'charges', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount_captured, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT account_id, 'refunds', created / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), 0, 0, 0 FROM stripe_refunds WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_refunds_rollup_insert AFTER INSERT ON stripe_refunds WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (NEW.account_id, 'refunds', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_refunds_rollup_update AFTER UPDATE ON stripe_refunds WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT OLD.account_id, 'refunds', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), 0, 0, 0 WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT NEW.account_id, 'refunds', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), 0, 0, 0 WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_refunds_rollup_delete AFTER DELETE ON stripe_refunds WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (OLD.account_id, 'refunds', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT account_id, 'disputes', created / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), 0, 0, 0 FROM stripe_disputes WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_disputes_rollup_insert AFTER INSERT ON stripe_disputes WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (NEW.account_id, 'disputes', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_disputes_rollup_update AFTER UPDATE ON stripe_disputes WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT OLD.account_id, 'disputes', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), 0, 0, 0 WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT NEW.account_id, 'disputes', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), 0, 0, 0 WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_disputes_rollup_delete AFTER DELETE ON stripe_disputes WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (OLD.account_id, 'disputes', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT account_id, 'balance_transactions', created / 3600, COALESCE(reporting_category, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), SUM(COALESCE(fee, 0)), SUM(COALESCE(net, 0)), SUM(ABS(COALESCE(net, 0))) FROM stripe_balance_transactions WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_balance_transactions_rollup_insert AFTER INSERT ON stripe_balance_transactions WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (NEW.account_id, 'balance_transactions', NEW.created / 3600, COALESCE(NEW.reporting_category, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), COALESCE(NEW.fee, 0), COALESCE(NEW.net, 0), ABS(COALESCE(NEW.net, 0))) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_balance_transactions_rollup_update AFTER UPDATE ON stripe_balance_transactions WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.reporting_category IS NOT NEW.reporting_category OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.fee IS NOT NEW.fee OR OLD.net IS NOT NEW.net BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT OLD.account_id, 'balance_transactions', OLD.created / 3600, COALESCE(OLD.reporting_category, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -COALESCE(OLD.fee, 0), -COALESCE(OLD.net, 0), -ABS(COALESCE(OLD.net, 0)) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT NEW.account_id, 'balance_transactions', NEW.created / 3600, COALESCE(NEW.reporting_category, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), COALESCE(NEW.fee, 0), COALESCE(NEW.net, 0), ABS(COALESCE(NEW.net, 0)) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_balance_transactions_rollup_delete AFTER DELETE ON stripe_balance_transactions WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (OLD.account_id, 'balance_transactions', OLD.created / 3600, COALESCE(OLD.reporting_category, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -COALESCE(OLD.fee, 0), -COALESCE(OLD.net, 0), -ABS(COALESCE(OLD.net, 0))) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT account_id, 'customers', created / 3600, '', '', COUNT(*), 0, 0, 0, 0 FROM stripe_customers WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_customers_rollup_insert AFTER INSERT ON stripe_customers WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (NEW.account_id, 'customers', NEW.created / 3600, '', '', 1, 0, 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_customers_rollup_update AFTER UPDATE ON stripe_customers WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT OLD.account_id, 'customers', OLD.created / 3600, '', '', -1, 0, 0, 0, 0 WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT NEW.account_id, 'customers', NEW.created / 3600, '', '', 1, 0, 0, 0, 0 WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_customers_rollup_delete AFTER DELETE ON stripe_customers WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (OLD.account_id, 'customers', OLD.created / 3600, '', '', -1, 0, 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT account_id, 'payouts', arrival_date / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), 0, 0, 0 FROM stripe_payouts WHERE deleted = 0 AND arrival_date IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_payouts_rollup_insert AFTER INSERT ON stripe_payouts WHEN NEW.deleted = 0 AND NEW.arrival_date IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (NEW.account_id, 'payouts', NEW.arrival_date / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_payouts_rollup_update AFTER UPDATE ON stripe_payouts WHEN OLD.arrival_date IS NOT NEW.arrival_date OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT OLD.account_id, 'payouts', OLD.arrival_date / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), 0, 0, 0 WHERE OLD.deleted = 0 AND OLD.arrival_date IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) SELECT NEW.account_id, 'payouts', NEW.arrival_date / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), 0, 0, 0 WHERE NEW.deleted = 0 AND NEW.arrival_date IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;
CREATE TRIGGER stripe_payouts_rollup_delete AFTER DELETE ON stripe_payouts WHEN OLD.deleted = 0 AND OLD.arrival_date IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net) VALUES (OLD.account_id, 'payouts', OLD.arrival_date / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), 0, 0, 0) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net;
END;

CREATE TABLE report_state (
  account_id TEXT PRIMARY KEY,
  generation BIGINT NOT NULL
);

CREATE TABLE report_subscription_queue (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (account_id, id)
);
INSERT INTO report_subscription_queue (account_id, id) SELECT account_id, id FROM stripe_subscriptions;
CREATE TRIGGER stripe_subscriptions_report_insert AFTER INSERT ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, id) VALUES (NEW.account_id, NEW.id)
    ON CONFLICT (account_id, id) DO NOTHING;
END;
CREATE TRIGGER stripe_subscriptions_report_update AFTER UPDATE ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, id) VALUES (NEW.account_id, NEW.id)
    ON CONFLICT (account_id, id) DO NOTHING;
END;
CREATE TRIGGER stripe_subscriptions_report_delete AFTER DELETE ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, id) VALUES (OLD.account_id, OLD.id)
    ON CONFLICT (account_id, id) DO NOTHING;
END;

CREATE TABLE report_subscriptions (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  customer TEXT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT,
  trial_start BIGINT,
  trial_end BIGINT,
  monthly DOUBLE PRECISION NOT NULL,
  interval_months DOUBLE PRECISION NOT NULL,
  discount_percent_off DOUBLE PRECISION,
  discount_amount_off BIGINT,
  discount_currency TEXT,
  discount_start BIGINT,
  discount_end BIGINT,
  discount_unknown INTEGER NOT NULL,
  rules_version INTEGER NOT NULL,
  PRIMARY KEY (account_id, id)
);

CREATE TABLE dashboard_widgets (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  metric TEXT NOT NULL,
  integration_id TEXT,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  options TEXT NOT NULL,
  PRIMARY KEY (client_id, id)
);
)sql"},
      // Reports (issue 6): the rollup again, so that zones whose midnights are 30 or 45 minutes
      // off the hour (Asia/Kolkata, Asia/Kathmandu, Australia/Adelaide) read it too: each hour
      // also holds the sums of its first 15, 30 and 45 minutes (the `_15`, `_30`, `_45`
      // columns), which split an hour at a day's bound; and WITHOUT ROWID, so a series reads one
      // B-tree in key order rather than the key's index and then each row, and a trigger's
      // upsert writes one B-tree instead of two. Migration 6's triggers are dropped, the table
      // rebuilt from the stream tables, and the triggers made again with the new columns; each
      // stream's write only the columns it fills (the others stay 0), which costs a sync's
      // write less (docs/PERFORMANCE.md). Documented in docs/schema.md.
      {7, "reports: quarter-hour rollup", R"sql(
DROP TRIGGER stripe_charges_rollup_insert;
DROP TRIGGER stripe_charges_rollup_update;
DROP TRIGGER stripe_charges_rollup_delete;
DROP TRIGGER stripe_refunds_rollup_insert;
DROP TRIGGER stripe_refunds_rollup_update;
DROP TRIGGER stripe_refunds_rollup_delete;
DROP TRIGGER stripe_disputes_rollup_insert;
DROP TRIGGER stripe_disputes_rollup_update;
DROP TRIGGER stripe_disputes_rollup_delete;
DROP TRIGGER stripe_balance_transactions_rollup_insert;
DROP TRIGGER stripe_balance_transactions_rollup_update;
DROP TRIGGER stripe_balance_transactions_rollup_delete;
DROP TRIGGER stripe_customers_rollup_insert;
DROP TRIGGER stripe_customers_rollup_update;
DROP TRIGGER stripe_customers_rollup_delete;
DROP TRIGGER stripe_payouts_rollup_insert;
DROP TRIGGER stripe_payouts_rollup_update;
DROP TRIGGER stripe_payouts_rollup_delete;
DROP TABLE report_rollup;
CREATE TABLE report_rollup (
  account_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  slot BIGINT NOT NULL,
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  amount BIGINT NOT NULL DEFAULT 0,
  fee BIGINT NOT NULL DEFAULT 0,
  net BIGINT NOT NULL DEFAULT 0,
  abs_net BIGINT NOT NULL DEFAULT 0,
  n_15 BIGINT NOT NULL DEFAULT 0,
  amount_15 BIGINT NOT NULL DEFAULT 0,
  fee_15 BIGINT NOT NULL DEFAULT 0,
  net_15 BIGINT NOT NULL DEFAULT 0,
  abs_net_15 BIGINT NOT NULL DEFAULT 0,
  n_30 BIGINT NOT NULL DEFAULT 0,
  amount_30 BIGINT NOT NULL DEFAULT 0,
  fee_30 BIGINT NOT NULL DEFAULT 0,
  net_30 BIGINT NOT NULL DEFAULT 0,
  abs_net_30 BIGINT NOT NULL DEFAULT 0,
  n_45 BIGINT NOT NULL DEFAULT 0,
  amount_45 BIGINT NOT NULL DEFAULT 0,
  fee_45 BIGINT NOT NULL DEFAULT 0,
  net_45 BIGINT NOT NULL DEFAULT 0,
  abs_net_45 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, stream, slot, kind, currency)
) WITHOUT ROWID;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT account_id, 'charges', created / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount_captured, 0)), 0, 0, 0, SUM(created % 3600 < 900), SUM((created % 3600 < 900) * COALESCE(amount_captured, 0)), 0, 0, 0, SUM(created % 3600 < 1800), SUM((created % 3600 < 1800) * COALESCE(amount_captured, 0)), 0, 0, 0, SUM(created % 3600 < 2700), SUM((created % 3600 < 2700) * COALESCE(amount_captured, 0)), 0, 0, 0 FROM stripe_charges WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_charges_rollup_insert AFTER INSERT ON stripe_charges WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'charges', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount_captured, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_charges_rollup_update AFTER UPDATE ON stripe_charges WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount_captured IS NOT NEW.amount_captured BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'charges', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount_captured, 0) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'charges', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount_captured, 0) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_charges_rollup_delete AFTER DELETE ON stripe_charges WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'charges', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount_captured, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT account_id, 'refunds', created / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), 0, 0, 0, SUM(created % 3600 < 900), SUM((created % 3600 < 900) * COALESCE(amount, 0)), 0, 0, 0, SUM(created % 3600 < 1800), SUM((created % 3600 < 1800) * COALESCE(amount, 0)), 0, 0, 0, SUM(created % 3600 < 2700), SUM((created % 3600 < 2700) * COALESCE(amount, 0)), 0, 0, 0 FROM stripe_refunds WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_refunds_rollup_insert AFTER INSERT ON stripe_refunds WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'refunds', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_refunds_rollup_update AFTER UPDATE ON stripe_refunds WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'refunds', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'refunds', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_refunds_rollup_delete AFTER DELETE ON stripe_refunds WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'refunds', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT account_id, 'disputes', created / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), 0, 0, 0, SUM(created % 3600 < 900), SUM((created % 3600 < 900) * COALESCE(amount, 0)), 0, 0, 0, SUM(created % 3600 < 1800), SUM((created % 3600 < 1800) * COALESCE(amount, 0)), 0, 0, 0, SUM(created % 3600 < 2700), SUM((created % 3600 < 2700) * COALESCE(amount, 0)), 0, 0, 0 FROM stripe_disputes WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_disputes_rollup_insert AFTER INSERT ON stripe_disputes WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'disputes', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_disputes_rollup_update AFTER UPDATE ON stripe_disputes WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'disputes', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'disputes', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_disputes_rollup_delete AFTER DELETE ON stripe_disputes WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'disputes', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT account_id, 'balance_transactions', created / 3600, COALESCE(reporting_category, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), SUM(COALESCE(fee, 0)), SUM(COALESCE(net, 0)), SUM(ABS(COALESCE(net, 0))), SUM(created % 3600 < 900), SUM((created % 3600 < 900) * COALESCE(amount, 0)), SUM((created % 3600 < 900) * COALESCE(fee, 0)), SUM((created % 3600 < 900) * COALESCE(net, 0)), SUM((created % 3600 < 900) * ABS(COALESCE(net, 0))), SUM(created % 3600 < 1800), SUM((created % 3600 < 1800) * COALESCE(amount, 0)), SUM((created % 3600 < 1800) * COALESCE(fee, 0)), SUM((created % 3600 < 1800) * COALESCE(net, 0)), SUM((created % 3600 < 1800) * ABS(COALESCE(net, 0))), SUM(created % 3600 < 2700), SUM((created % 3600 < 2700) * COALESCE(amount, 0)), SUM((created % 3600 < 2700) * COALESCE(fee, 0)), SUM((created % 3600 < 2700) * COALESCE(net, 0)), SUM((created % 3600 < 2700) * ABS(COALESCE(net, 0))) FROM stripe_balance_transactions WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_balance_transactions_rollup_insert AFTER INSERT ON stripe_balance_transactions WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) VALUES (NEW.account_id, 'balance_transactions', NEW.created / 3600, COALESCE(NEW.reporting_category, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), COALESCE(NEW.fee, 0), COALESCE(NEW.net, 0), ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 900) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 1800) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 2700) * ABS(COALESCE(NEW.net, 0))) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
END;
CREATE TRIGGER stripe_balance_transactions_rollup_update AFTER UPDATE ON stripe_balance_transactions WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.reporting_category IS NOT NEW.reporting_category OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.fee IS NOT NEW.fee OR OLD.net IS NOT NEW.net BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT OLD.account_id, 'balance_transactions', OLD.created / 3600, COALESCE(OLD.reporting_category, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -COALESCE(OLD.fee, 0), -COALESCE(OLD.net, 0), -ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 900) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 1800) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 2700) * ABS(COALESCE(OLD.net, 0)) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT NEW.account_id, 'balance_transactions', NEW.created / 3600, COALESCE(NEW.reporting_category, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), COALESCE(NEW.fee, 0), COALESCE(NEW.net, 0), ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 900) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 1800) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 2700) * ABS(COALESCE(NEW.net, 0)) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
END;
CREATE TRIGGER stripe_balance_transactions_rollup_delete AFTER DELETE ON stripe_balance_transactions WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) VALUES (OLD.account_id, 'balance_transactions', OLD.created / 3600, COALESCE(OLD.reporting_category, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -COALESCE(OLD.fee, 0), -COALESCE(OLD.net, 0), -ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 900) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 1800) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 2700) * ABS(COALESCE(OLD.net, 0))) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT account_id, 'customers', created / 3600, '', '', COUNT(*), 0, 0, 0, 0, SUM(created % 3600 < 900), 0, 0, 0, 0, SUM(created % 3600 < 1800), 0, 0, 0, 0, SUM(created % 3600 < 2700), 0, 0, 0, 0 FROM stripe_customers WHERE deleted = 0 AND created IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_customers_rollup_insert AFTER INSERT ON stripe_customers WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) VALUES (NEW.account_id, 'customers', NEW.created / 3600, '', '', 1, (NEW.created % 3600 < 900), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 2700)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
END;
CREATE TRIGGER stripe_customers_rollup_update AFTER UPDATE ON stripe_customers WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) SELECT OLD.account_id, 'customers', OLD.created / 3600, '', '', -1, -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 2700) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) SELECT NEW.account_id, 'customers', NEW.created / 3600, '', '', 1, (NEW.created % 3600 < 900), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 2700) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
END;
CREATE TRIGGER stripe_customers_rollup_delete AFTER DELETE ON stripe_customers WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) VALUES (OLD.account_id, 'customers', OLD.created / 3600, '', '', -1, -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 2700)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
END;
INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT account_id, 'payouts', arrival_date / 3600, COALESCE(status, ''), COALESCE(currency, ''), COUNT(*), SUM(COALESCE(amount, 0)), 0, 0, 0, SUM(arrival_date % 3600 < 900), SUM((arrival_date % 3600 < 900) * COALESCE(amount, 0)), 0, 0, 0, SUM(arrival_date % 3600 < 1800), SUM((arrival_date % 3600 < 1800) * COALESCE(amount, 0)), 0, 0, 0, SUM(arrival_date % 3600 < 2700), SUM((arrival_date % 3600 < 2700) * COALESCE(amount, 0)), 0, 0, 0 FROM stripe_payouts WHERE deleted = 0 AND arrival_date IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER stripe_payouts_rollup_insert AFTER INSERT ON stripe_payouts WHEN NEW.deleted = 0 AND NEW.arrival_date IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'payouts', NEW.arrival_date / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 900), (NEW.arrival_date % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 1800), (NEW.arrival_date % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 2700), (NEW.arrival_date % 3600 < 2700) * COALESCE(NEW.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_payouts_rollup_update AFTER UPDATE ON stripe_payouts WHEN OLD.arrival_date IS NOT NEW.arrival_date OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'payouts', OLD.arrival_date / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 900), -(OLD.arrival_date % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 1800), -(OLD.arrival_date % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 2700), -(OLD.arrival_date % 3600 < 2700) * COALESCE(OLD.amount, 0) WHERE OLD.deleted = 0 AND OLD.arrival_date IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'payouts', NEW.arrival_date / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 900), (NEW.arrival_date % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 1800), (NEW.arrival_date % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 2700), (NEW.arrival_date % 3600 < 2700) * COALESCE(NEW.amount, 0) WHERE NEW.deleted = 0 AND NEW.arrival_date IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
CREATE TRIGGER stripe_payouts_rollup_delete AFTER DELETE ON stripe_payouts WHEN OLD.deleted = 0 AND OLD.arrival_date IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'payouts', OLD.arrival_date / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 900), -(OLD.arrival_date % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 1800), -(OLD.arrival_date % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 2700), -(OLD.arrival_date % 3600 < 2700) * COALESCE(OLD.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;
)sql"},
      // Reconnecting an OAuth integration in place: a state may name the integration whose
      // grant the callback replaces (NULL: the callback adds a new one). No foreign key: an
      // integration deleted while its owner is at Stripe must not turn the state into one that
      // adds a new integration (SET NULL) or vanish unexplained (CASCADE); the callback says so.
      {8, "oauth reconnect", R"sql(
ALTER TABLE oauth_states ADD COLUMN integration_id TEXT;
)sql"},
      // Dashboards: a widget shows a metric of one of its client's integrations, so the widgets
      // bound to an integration go when it is deleted or moves to another client (else the
      // dashboard could no longer be saved: SaveDashboard refuses another client's
      // integration). Widgets left behind before this migration go now.
      {9, "dashboard widgets follow their integration", R"sql(
CREATE TRIGGER integrations_dashboard_widgets_delete AFTER DELETE ON integrations BEGIN
  DELETE FROM dashboard_widgets WHERE integration_id = OLD.id;
END;
CREATE TRIGGER integrations_dashboard_widgets_move AFTER UPDATE OF client_id ON integrations
WHEN OLD.client_id IS NOT NEW.client_id BEGIN
  DELETE FROM dashboard_widgets WHERE integration_id = OLD.id;
END;
DELETE FROM dashboard_widgets WHERE integration_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM integrations i
  WHERE i.id = dashboard_widgets.integration_id AND i.client_id = dashboard_widgets.client_id);
)sql"},
  };
  return kMigrations;
}

}  // namespace stripeline::store::sqlite
