-- index api_tokens_user_id ON api_tokens
CREATE INDEX api_tokens_user_id ON api_tokens(user_id);

-- index audit_log_integration_id ON audit_log
CREATE INDEX audit_log_integration_id ON audit_log(integration_id, id);

-- index client_members_user_id ON client_members
CREATE INDEX client_members_user_id ON client_members(user_id);

-- index integrations_client_id ON integrations
CREATE INDEX integrations_client_id ON integrations(client_id);

-- index oauth_states_expires_at ON oauth_states
CREATE INDEX oauth_states_expires_at ON oauth_states(expires_at);

-- index sessions_expires_at ON sessions
CREATE INDEX sessions_expires_at ON sessions(expires_at);

-- index sessions_user_id ON sessions
CREATE INDEX sessions_user_id ON sessions(user_id);

-- index sqlite_autoindex_api_tokens_1 ON api_tokens
(no sql);

-- index sqlite_autoindex_api_tokens_2 ON api_tokens
(no sql);

-- index sqlite_autoindex_client_members_1 ON client_members
(no sql);

-- index sqlite_autoindex_clients_1 ON clients
(no sql);

-- index sqlite_autoindex_dashboard_widgets_1 ON dashboard_widgets
(no sql);

-- index sqlite_autoindex_integrations_1 ON integrations
(no sql);

-- index sqlite_autoindex_oauth_states_1 ON oauth_states
(no sql);

-- index sqlite_autoindex_report_state_1 ON report_state
(no sql);

-- index sqlite_autoindex_report_subscription_queue_1 ON report_subscription_queue
(no sql);

-- index sqlite_autoindex_report_subscriptions_1 ON report_subscriptions
(no sql);

-- index sqlite_autoindex_sessions_1 ON sessions
(no sql);

-- index sqlite_autoindex_settings_1 ON settings
(no sql);

-- index sqlite_autoindex_stripe_account_1 ON stripe_account
(no sql);

-- index sqlite_autoindex_stripe_balance_transactions_1 ON stripe_balance_transactions
(no sql);

-- index sqlite_autoindex_stripe_charges_1 ON stripe_charges
(no sql);

-- index sqlite_autoindex_stripe_coupons_1 ON stripe_coupons
(no sql);

-- index sqlite_autoindex_stripe_credit_notes_1 ON stripe_credit_notes
(no sql);

-- index sqlite_autoindex_stripe_customers_1 ON stripe_customers
(no sql);

-- index sqlite_autoindex_stripe_disputes_1 ON stripe_disputes
(no sql);

-- index sqlite_autoindex_stripe_events_1 ON stripe_events
(no sql);

-- index sqlite_autoindex_stripe_invoices_1 ON stripe_invoices
(no sql);

-- index sqlite_autoindex_stripe_payment_intents_1 ON stripe_payment_intents
(no sql);

-- index sqlite_autoindex_stripe_payouts_1 ON stripe_payouts
(no sql);

-- index sqlite_autoindex_stripe_prices_1 ON stripe_prices
(no sql);

-- index sqlite_autoindex_stripe_products_1 ON stripe_products
(no sql);

-- index sqlite_autoindex_stripe_refunds_1 ON stripe_refunds
(no sql);

-- index sqlite_autoindex_stripe_subscriptions_1 ON stripe_subscriptions
(no sql);

-- index sqlite_autoindex_sync_cursors_1 ON sync_cursors
(no sql);

-- index sqlite_autoindex_sync_leases_1 ON sync_leases
(no sql);

-- index sqlite_autoindex_sync_processed_events_1 ON sync_processed_events
(no sql);

-- index sqlite_autoindex_sync_run_streams_1 ON sync_run_streams
(no sql);

-- index sqlite_autoindex_sync_runs_1 ON sync_runs
(no sql);

-- index sqlite_autoindex_sync_slices_1 ON sync_slices
(no sql);

-- index sqlite_autoindex_sync_streams_1 ON sync_streams
(no sql);

-- index sqlite_autoindex_users_1 ON users
(no sql);

-- index sqlite_autoindex_users_2 ON users
(no sql);

-- index sqlite_autoindex_webhook_events_1 ON webhook_events
(no sql);

-- index sqlite_autoindex_webhook_secrets_1 ON webhook_secrets
(no sql);

-- index stripe_account_created ON stripe_account
CREATE INDEX stripe_account_created ON stripe_account(account_id, created);

-- index stripe_balance_transactions_created ON stripe_balance_transactions
CREATE INDEX stripe_balance_transactions_created ON stripe_balance_transactions(account_id, created);

-- index stripe_balance_transactions_report ON stripe_balance_transactions
CREATE INDEX stripe_balance_transactions_report ON stripe_balance_transactions(account_id, created, deleted, reporting_category, currency, fee, net);

-- index stripe_charges_created ON stripe_charges
CREATE INDEX stripe_charges_created ON stripe_charges(account_id, created);

-- index stripe_charges_report ON stripe_charges
CREATE INDEX stripe_charges_report ON stripe_charges(account_id, created, deleted, status, currency, amount_captured);

-- index stripe_coupons_created ON stripe_coupons
CREATE INDEX stripe_coupons_created ON stripe_coupons(account_id, created);

-- index stripe_credit_notes_created ON stripe_credit_notes
CREATE INDEX stripe_credit_notes_created ON stripe_credit_notes(account_id, created);

-- index stripe_customers_created ON stripe_customers
CREATE INDEX stripe_customers_created ON stripe_customers(account_id, created);

-- index stripe_customers_report ON stripe_customers
CREATE INDEX stripe_customers_report ON stripe_customers(account_id, created, deleted);

-- index stripe_disputes_created ON stripe_disputes
CREATE INDEX stripe_disputes_created ON stripe_disputes(account_id, created);

-- index stripe_disputes_report ON stripe_disputes
CREATE INDEX stripe_disputes_report ON stripe_disputes(account_id, created, deleted, currency, amount);

-- index stripe_events_created ON stripe_events
CREATE INDEX stripe_events_created ON stripe_events(account_id, created);

-- index stripe_events_object ON stripe_events
CREATE INDEX stripe_events_object ON stripe_events(account_id, object_id);

-- index stripe_events_type ON stripe_events
CREATE INDEX stripe_events_type ON stripe_events(account_id, type, created);

-- index stripe_invoices_created ON stripe_invoices
CREATE INDEX stripe_invoices_created ON stripe_invoices(account_id, created);

-- index stripe_payment_intents_created ON stripe_payment_intents
CREATE INDEX stripe_payment_intents_created ON stripe_payment_intents(account_id, created);

-- index stripe_payouts_created ON stripe_payouts
CREATE INDEX stripe_payouts_created ON stripe_payouts(account_id, created);

-- index stripe_payouts_report ON stripe_payouts
CREATE INDEX stripe_payouts_report ON stripe_payouts(account_id, arrival_date, deleted, status, currency, amount);

-- index stripe_prices_created ON stripe_prices
CREATE INDEX stripe_prices_created ON stripe_prices(account_id, created);

-- index stripe_products_created ON stripe_products
CREATE INDEX stripe_products_created ON stripe_products(account_id, created);

-- index stripe_refunds_created ON stripe_refunds
CREATE INDEX stripe_refunds_created ON stripe_refunds(account_id, created);

-- index stripe_refunds_report ON stripe_refunds
CREATE INDEX stripe_refunds_report ON stripe_refunds(account_id, created, deleted, status, currency, amount);

-- index stripe_subscriptions_created ON stripe_subscriptions
CREATE INDEX stripe_subscriptions_created ON stripe_subscriptions(account_id, created);

-- index sync_runs_integration ON sync_runs
CREATE INDEX sync_runs_integration ON sync_runs(integration_id, started_at);

-- index webhook_events_pending ON webhook_events
CREATE INDEX webhook_events_pending ON webhook_events(state, created);

-- table api_tokens ON api_tokens
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

-- table audit_log ON audit_log
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  integration_id TEXT,
  summary TEXT NOT NULL,
  details_json TEXT NOT NULL
);

-- table client_members ON client_members
CREATE TABLE client_members (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, user_id)
);

-- table clients ON clients
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- table dashboard_widgets ON dashboard_widgets
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

-- table integrations ON integrations
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

-- table oauth_states ON oauth_states
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
, integration_id TEXT);

-- table report_rollup ON report_rollup
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

-- table report_state ON report_state
CREATE TABLE report_state (
  account_id TEXT PRIMARY KEY,
  generation BIGINT NOT NULL
);

-- table report_subscription_queue ON report_subscription_queue
CREATE TABLE report_subscription_queue (
  account_id TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (account_id, id)
);

-- table report_subscriptions ON report_subscriptions
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

-- table sessions ON sessions
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

-- table settings ON settings
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- table sqlite_sequence ON sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);

-- table stripe_account ON stripe_account
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

-- table stripe_balance_transactions ON stripe_balance_transactions
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

-- table stripe_charges ON stripe_charges
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

-- table stripe_coupons ON stripe_coupons
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

-- table stripe_credit_notes ON stripe_credit_notes
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

-- table stripe_customers ON stripe_customers
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

-- table stripe_disputes ON stripe_disputes
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

-- table stripe_events ON stripe_events
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

-- table stripe_invoices ON stripe_invoices
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

-- table stripe_payment_intents ON stripe_payment_intents
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

-- table stripe_payouts ON stripe_payouts
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

-- table stripe_prices ON stripe_prices
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

-- table stripe_products ON stripe_products
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

-- table stripe_refunds ON stripe_refunds
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

-- table stripe_subscriptions ON stripe_subscriptions
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

-- table sync_cursors ON sync_cursors
CREATE TABLE sync_cursors (
  integration_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  last_event_id TEXT,
  last_event_created BIGINT,
  backfill_completed_at BIGINT,
  updated_at BIGINT NOT NULL
);

-- table sync_leases ON sync_leases
CREATE TABLE sync_leases (
  integration_id TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
  holder TEXT NOT NULL,
  host TEXT NOT NULL,
  pid BIGINT NOT NULL,
  process_start TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

-- table sync_processed_events ON sync_processed_events
CREATE TABLE sync_processed_events (
  account_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  event_created BIGINT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, event_id)
);

-- table sync_run_streams ON sync_run_streams
CREATE TABLE sync_run_streams (
  run_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  state TEXT NOT NULL,
  objects BIGINT NOT NULL DEFAULT 0,
  error TEXT NOT NULL DEFAULT '',
  missing_permission TEXT,
  PRIMARY KEY (run_id, stream)
);

-- table sync_runs ON sync_runs
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

-- table sync_slices ON sync_slices
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

-- table sync_streams ON sync_streams
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

-- table users ON users
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

-- table webhook_events ON webhook_events
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

-- table webhook_secrets ON webhook_secrets
CREATE TABLE webhook_secrets (
  integration_id TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
  secret_sealed TEXT NOT NULL,
  secret_masked TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  previous_sealed TEXT,
  previous_masked TEXT,
  previous_expires_at BIGINT
);

-- trigger integrations_dashboard_widgets_delete ON integrations
CREATE TRIGGER integrations_dashboard_widgets_delete AFTER DELETE ON integrations BEGIN
  DELETE FROM dashboard_widgets WHERE integration_id = OLD.id;
END;

-- trigger integrations_dashboard_widgets_move ON integrations
CREATE TRIGGER integrations_dashboard_widgets_move AFTER UPDATE OF client_id ON integrations
WHEN OLD.client_id IS NOT NEW.client_id BEGIN
  DELETE FROM dashboard_widgets WHERE integration_id = OLD.id;
END;

-- trigger stripe_balance_transactions_rollup_delete ON stripe_balance_transactions
CREATE TRIGGER stripe_balance_transactions_rollup_delete AFTER DELETE ON stripe_balance_transactions WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) VALUES (OLD.account_id, 'balance_transactions', OLD.created / 3600, COALESCE(OLD.reporting_category, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -COALESCE(OLD.fee, 0), -COALESCE(OLD.net, 0), -ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 900) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 1800) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 2700) * ABS(COALESCE(OLD.net, 0))) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
END;

-- trigger stripe_balance_transactions_rollup_insert ON stripe_balance_transactions
CREATE TRIGGER stripe_balance_transactions_rollup_insert AFTER INSERT ON stripe_balance_transactions WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) VALUES (NEW.account_id, 'balance_transactions', NEW.created / 3600, COALESCE(NEW.reporting_category, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), COALESCE(NEW.fee, 0), COALESCE(NEW.net, 0), ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 900) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 1800) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 2700) * ABS(COALESCE(NEW.net, 0))) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
END;

-- trigger stripe_balance_transactions_rollup_update ON stripe_balance_transactions
CREATE TRIGGER stripe_balance_transactions_rollup_update AFTER UPDATE ON stripe_balance_transactions WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.reporting_category IS NOT NEW.reporting_category OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount OR OLD.fee IS NOT NEW.fee OR OLD.net IS NOT NEW.net BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT OLD.account_id, 'balance_transactions', OLD.created / 3600, COALESCE(OLD.reporting_category, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -COALESCE(OLD.fee, 0), -COALESCE(OLD.net, 0), -ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 900) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 900) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 1800) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 1800) * ABS(COALESCE(OLD.net, 0)), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.fee, 0), -(OLD.created % 3600 < 2700) * COALESCE(OLD.net, 0), -(OLD.created % 3600 < 2700) * ABS(COALESCE(OLD.net, 0)) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, fee, net, abs_net, n_15, amount_15, fee_15, net_15, abs_net_15, n_30, amount_30, fee_30, net_30, abs_net_30, n_45, amount_45, fee_45, net_45, abs_net_45) SELECT NEW.account_id, 'balance_transactions', NEW.created / 3600, COALESCE(NEW.reporting_category, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), COALESCE(NEW.fee, 0), COALESCE(NEW.net, 0), ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 900) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 900) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 1800) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 1800) * ABS(COALESCE(NEW.net, 0)), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.fee, 0), (NEW.created % 3600 < 2700) * COALESCE(NEW.net, 0), (NEW.created % 3600 < 2700) * ABS(COALESCE(NEW.net, 0)) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, fee = fee + excluded.fee, net = net + excluded.net, abs_net = abs_net + excluded.abs_net, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, fee_15 = fee_15 + excluded.fee_15, net_15 = net_15 + excluded.net_15, abs_net_15 = abs_net_15 + excluded.abs_net_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, fee_30 = fee_30 + excluded.fee_30, net_30 = net_30 + excluded.net_30, abs_net_30 = abs_net_30 + excluded.abs_net_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45, fee_45 = fee_45 + excluded.fee_45, net_45 = net_45 + excluded.net_45, abs_net_45 = abs_net_45 + excluded.abs_net_45;
END;

-- trigger stripe_charges_rollup_delete ON stripe_charges
CREATE TRIGGER stripe_charges_rollup_delete AFTER DELETE ON stripe_charges WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'charges', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount_captured, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_charges_rollup_insert ON stripe_charges
CREATE TRIGGER stripe_charges_rollup_insert AFTER INSERT ON stripe_charges WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'charges', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount_captured, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_charges_rollup_update ON stripe_charges
CREATE TRIGGER stripe_charges_rollup_update AFTER UPDATE ON stripe_charges WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount_captured IS NOT NEW.amount_captured BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'charges', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount_captured, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount_captured, 0) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'charges', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount_captured, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount_captured, 0) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_customers_rollup_delete ON stripe_customers
CREATE TRIGGER stripe_customers_rollup_delete AFTER DELETE ON stripe_customers WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) VALUES (OLD.account_id, 'customers', OLD.created / 3600, '', '', -1, -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 2700)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
END;

-- trigger stripe_customers_rollup_insert ON stripe_customers
CREATE TRIGGER stripe_customers_rollup_insert AFTER INSERT ON stripe_customers WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) VALUES (NEW.account_id, 'customers', NEW.created / 3600, '', '', 1, (NEW.created % 3600 < 900), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 2700)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
END;

-- trigger stripe_customers_rollup_update ON stripe_customers
CREATE TRIGGER stripe_customers_rollup_update AFTER UPDATE ON stripe_customers WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) SELECT OLD.account_id, 'customers', OLD.created / 3600, '', '', -1, -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 2700) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, n_15, n_30, n_45) SELECT NEW.account_id, 'customers', NEW.created / 3600, '', '', 1, (NEW.created % 3600 < 900), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 2700) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, n_15 = n_15 + excluded.n_15, n_30 = n_30 + excluded.n_30, n_45 = n_45 + excluded.n_45;
END;

-- trigger stripe_disputes_rollup_delete ON stripe_disputes
CREATE TRIGGER stripe_disputes_rollup_delete AFTER DELETE ON stripe_disputes WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'disputes', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_disputes_rollup_insert ON stripe_disputes
CREATE TRIGGER stripe_disputes_rollup_insert AFTER INSERT ON stripe_disputes WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'disputes', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_disputes_rollup_update ON stripe_disputes
CREATE TRIGGER stripe_disputes_rollup_update AFTER UPDATE ON stripe_disputes WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'disputes', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'disputes', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_payouts_rollup_delete ON stripe_payouts
CREATE TRIGGER stripe_payouts_rollup_delete AFTER DELETE ON stripe_payouts WHEN OLD.deleted = 0 AND OLD.arrival_date IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'payouts', OLD.arrival_date / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 900), -(OLD.arrival_date % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 1800), -(OLD.arrival_date % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 2700), -(OLD.arrival_date % 3600 < 2700) * COALESCE(OLD.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_payouts_rollup_insert ON stripe_payouts
CREATE TRIGGER stripe_payouts_rollup_insert AFTER INSERT ON stripe_payouts WHEN NEW.deleted = 0 AND NEW.arrival_date IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'payouts', NEW.arrival_date / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 900), (NEW.arrival_date % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 1800), (NEW.arrival_date % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 2700), (NEW.arrival_date % 3600 < 2700) * COALESCE(NEW.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_payouts_rollup_update ON stripe_payouts
CREATE TRIGGER stripe_payouts_rollup_update AFTER UPDATE ON stripe_payouts WHEN OLD.arrival_date IS NOT NEW.arrival_date OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'payouts', OLD.arrival_date / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 900), -(OLD.arrival_date % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 1800), -(OLD.arrival_date % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.arrival_date % 3600 < 2700), -(OLD.arrival_date % 3600 < 2700) * COALESCE(OLD.amount, 0) WHERE OLD.deleted = 0 AND OLD.arrival_date IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'payouts', NEW.arrival_date / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 900), (NEW.arrival_date % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 1800), (NEW.arrival_date % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.arrival_date % 3600 < 2700), (NEW.arrival_date % 3600 < 2700) * COALESCE(NEW.amount, 0) WHERE NEW.deleted = 0 AND NEW.arrival_date IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_refunds_rollup_delete ON stripe_refunds
CREATE TRIGGER stripe_refunds_rollup_delete AFTER DELETE ON stripe_refunds WHEN OLD.deleted = 0 AND OLD.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (OLD.account_id, 'refunds', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_refunds_rollup_insert ON stripe_refunds
CREATE TRIGGER stripe_refunds_rollup_insert AFTER INSERT ON stripe_refunds WHEN NEW.deleted = 0 AND NEW.created IS NOT NULL BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) VALUES (NEW.account_id, 'refunds', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0)) ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_refunds_rollup_update ON stripe_refunds
CREATE TRIGGER stripe_refunds_rollup_update AFTER UPDATE ON stripe_refunds WHEN OLD.created IS NOT NEW.created OR OLD.deleted IS NOT NEW.deleted OR OLD.account_id IS NOT NEW.account_id OR OLD.status IS NOT NEW.status OR OLD.currency IS NOT NEW.currency OR OLD.amount IS NOT NEW.amount BEGIN
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT OLD.account_id, 'refunds', OLD.created / 3600, COALESCE(OLD.status, ''), COALESCE(OLD.currency, ''), -1, -COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 900), -(OLD.created % 3600 < 900) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 1800), -(OLD.created % 3600 < 1800) * COALESCE(OLD.amount, 0), -(OLD.created % 3600 < 2700), -(OLD.created % 3600 < 2700) * COALESCE(OLD.amount, 0) WHERE OLD.deleted = 0 AND OLD.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
  INSERT INTO report_rollup (account_id, stream, slot, kind, currency, n, amount, n_15, amount_15, n_30, amount_30, n_45, amount_45) SELECT NEW.account_id, 'refunds', NEW.created / 3600, COALESCE(NEW.status, ''), COALESCE(NEW.currency, ''), 1, COALESCE(NEW.amount, 0), (NEW.created % 3600 < 900), (NEW.created % 3600 < 900) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 1800), (NEW.created % 3600 < 1800) * COALESCE(NEW.amount, 0), (NEW.created % 3600 < 2700), (NEW.created % 3600 < 2700) * COALESCE(NEW.amount, 0) WHERE NEW.deleted = 0 AND NEW.created IS NOT NULL ON CONFLICT (account_id, stream, slot, kind, currency) DO UPDATE SET n = n + excluded.n, amount = amount + excluded.amount, n_15 = n_15 + excluded.n_15, amount_15 = amount_15 + excluded.amount_15, n_30 = n_30 + excluded.n_30, amount_30 = amount_30 + excluded.amount_30, n_45 = n_45 + excluded.n_45, amount_45 = amount_45 + excluded.amount_45;
END;

-- trigger stripe_subscriptions_report_delete ON stripe_subscriptions
CREATE TRIGGER stripe_subscriptions_report_delete AFTER DELETE ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, id) VALUES (OLD.account_id, OLD.id)
    ON CONFLICT (account_id, id) DO NOTHING;
END;

-- trigger stripe_subscriptions_report_insert ON stripe_subscriptions
CREATE TRIGGER stripe_subscriptions_report_insert AFTER INSERT ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, id) VALUES (NEW.account_id, NEW.id)
    ON CONFLICT (account_id, id) DO NOTHING;
END;

-- trigger stripe_subscriptions_report_update ON stripe_subscriptions
CREATE TRIGGER stripe_subscriptions_report_update AFTER UPDATE ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, id) VALUES (NEW.account_id, NEW.id)
    ON CONFLICT (account_id, id) DO NOTHING;
END;
