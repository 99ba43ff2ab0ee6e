#include "reports/report_migrations.h"

#include <string>
#include <string_view>

namespace stripeline::reports {
namespace {

// The rollup's per-stream triggers, generated from reports/rollup_spec.h.
#include "reports/generated/rollup_by_mode.sql.inc"
#include "reports/generated/rollup_drop_triggers.sql.inc"
#include "reports/generated/rollup_hours.sql.inc"
#include "reports/generated/rollup_quarter_hours.sql.inc"

// The sums of a quarter-hour rollup row (reports migrations 2 and 4), in column order.
constexpr std::string_view kRollupSumColumns = R"sql(  n BIGINT NOT NULL DEFAULT 0,
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
)sql";

}  // namespace

const store::SchemaOwner& ReportSchema() {
  static const store::SchemaOwner kOwner = {"reports", {
      // Reports (issue 6): hourly sums of the volume streams kept by triggers (a 12-month series
      // reads ~9,000 rollup rows instead of a million charges), covering indexes for zones whose
      // midnights are not on the hour, the subscription facts the metrics engine derives from
      // raw JSON (src/reports/subscription_facts.h) with the queue of subscriptions to derive
      // again (filled by triggers, so no write path can forget either) and the generation that
      // tells a process its cached facts are current, and the clients' dashboards. Documented in
      // docs/schema.md.
      {1, "reports",
       R"sql(
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
)sql" +
           std::string(kRollupHoursSql) + R"sql(CREATE TABLE report_state (
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
)sql",
       6},
      // Reports (issue 6): the rollup again, so that zones whose midnights are 30 or 45 minutes
      // off the hour (Asia/Kolkata, Asia/Kathmandu, Australia/Adelaide) read it too: each hour
      // also holds the sums of its first 15, 30 and 45 minutes (the `_15`, `_30`, `_45`
      // columns), which split an hour at a day's bound; and WITHOUT ROWID, so a series reads one
      // B-tree in key order rather than the key's index and then each row, and a trigger's
      // upsert writes one B-tree instead of two. Migration 1's triggers are dropped, the table
      // rebuilt from the stream tables, and the triggers made again with the new columns; each
      // stream's write only the columns it fills (the others stay 0), which costs a sync's
      // write less (docs/PERFORMANCE.md). Documented in docs/schema.md.
      {2, "reports: quarter-hour rollup",
       std::string(kRollupDropTriggersSql) + R"sql(DROP TABLE report_rollup;
CREATE TABLE report_rollup (
  account_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  slot BIGINT NOT NULL,
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
)sql" + std::string(kRollupSumColumns) + R"sql(  PRIMARY KEY (account_id, stream, slot, kind, currency)
) WITHOUT ROWID;
)sql" +
           std::string(kRollupQuarterHoursSql),
       7},
      // Dashboards: a widget shows a metric of one of its client's integrations, so the widgets
      // bound to an integration go when it is deleted or moves to another client (else the
      // dashboard could no longer be saved: SaveDashboard refuses another client's
      // integration). Widgets left behind before this migration go now.
      {3, "dashboard widgets follow their integration", R"sql(
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
)sql", 9},
      // Test and live data apart (issue 13): the rollup, the subscription facts, their queue
      // and generations keyed by (account_id, livemode), as the stream tables are since sync
      // migration 5 (which, rebuilding them, dropped this owner's indexes and triggers on them
      // in a database that had them; hence IF EXISTS). The rollup is rebuilt from the rows;
      // the facts are derived again (every subscription queued). The triggers read the mode
      // from the row (NEW.livemode), so a write costs no more than before. Documented in
      // docs/schema.md.
      {4, "reports: test and live data apart", R"sql(
DROP INDEX IF EXISTS stripe_charges_report;
DROP INDEX IF EXISTS stripe_refunds_report;
DROP INDEX IF EXISTS stripe_disputes_report;
DROP INDEX IF EXISTS stripe_balance_transactions_report;
DROP INDEX IF EXISTS stripe_payouts_report;
DROP INDEX IF EXISTS stripe_customers_report;
CREATE INDEX stripe_charges_report ON stripe_charges(account_id, livemode, created, deleted, status, currency, amount_captured);
CREATE INDEX stripe_refunds_report ON stripe_refunds(account_id, livemode, created, deleted, status, currency, amount);
CREATE INDEX stripe_disputes_report ON stripe_disputes(account_id, livemode, created, deleted, currency, amount);
CREATE INDEX stripe_balance_transactions_report ON stripe_balance_transactions(account_id, livemode, created, deleted, reporting_category, currency, fee, net);
CREATE INDEX stripe_payouts_report ON stripe_payouts(account_id, livemode, arrival_date, deleted, status, currency, amount);
CREATE INDEX stripe_customers_report ON stripe_customers(account_id, livemode, created, deleted);

DROP TABLE report_rollup;
CREATE TABLE report_rollup (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  stream TEXT NOT NULL,
  slot BIGINT NOT NULL,
  kind TEXT NOT NULL,
  currency TEXT NOT NULL,
)sql" + std::string(kRollupSumColumns) + R"sql(  PRIMARY KEY (account_id, livemode, stream, slot, kind, currency)
) WITHOUT ROWID;
)sql" + std::string(kRollupByModeSql) + R"sql(
DROP TRIGGER IF EXISTS stripe_subscriptions_report_insert;
DROP TRIGGER IF EXISTS stripe_subscriptions_report_update;
DROP TRIGGER IF EXISTS stripe_subscriptions_report_delete;
DROP TABLE report_subscription_queue;
DROP TABLE report_subscriptions;
DROP TABLE report_state;
CREATE TABLE report_state (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  generation BIGINT NOT NULL,
  PRIMARY KEY (account_id, livemode)
);
CREATE TABLE report_subscription_queue (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (account_id, livemode, id)
);
INSERT INTO report_subscription_queue (account_id, livemode, id)
  SELECT account_id, livemode, id FROM stripe_subscriptions;
CREATE TRIGGER stripe_subscriptions_report_insert AFTER INSERT ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, livemode, id)
    VALUES (NEW.account_id, NEW.livemode, NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER stripe_subscriptions_report_update AFTER UPDATE ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, livemode, id)
    VALUES (NEW.account_id, NEW.livemode, NEW.id) ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER stripe_subscriptions_report_delete AFTER DELETE ON stripe_subscriptions BEGIN
  INSERT INTO report_subscription_queue (account_id, livemode, id)
    VALUES (OLD.account_id, OLD.livemode, OLD.id) ON CONFLICT DO NOTHING;
END;
CREATE TABLE report_subscriptions (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
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
  PRIMARY KEY (account_id, livemode, id)
);
)sql"},
  }};
  return kOwner;
}

}  // namespace stripeline::reports
