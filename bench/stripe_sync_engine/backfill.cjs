// Backfill by @supabase/stripe-sync-engine from Stripeline's emulator into PostgreSQL, timed.
//
//   EMULATOR_URL=http://127.0.0.1:PORT DATABASE_URL=postgres://... node backfill.cjs
//
// The package is used as published, not patched. StripeSync's constructor builds its own Stripe
// client with no host/port/protocol (dist/index.js, `this.stripe = new Stripe(config.stripeSecretKey,
// { apiVersion, appInfo })`) and StripeSyncConfig has no option for them, but `stripe` is a public
// field of StripeSync (dist/index.d.ts: `stripe: Stripe;`) and every Stripe call goes through
// `this.stripe`, so the driver replaces it with a client pointed at the emulator (plain HTTP).
//
// Streams: the ones both the package's syncBackfill and the emulator have. syncBackfill({object:
// 'all'}) cannot be used: it also lists plans, subscription schedules, setup intents, payment
// methods, tax ids, early fraud warnings and checkout sessions, which the emulator answers with
// Stripe's 404. Coupons, payouts and balance transactions (in our figure) have no sync in the package.
'use strict';
const Stripe = require('stripe');
const { Client } = require('pg');
const { StripeSync, runMigrations } = require('@supabase/stripe-sync-engine');

const KEY = process.env.STRIPE_KEY || 'sk_test_emu_demo_secret_0000000000000000';
const emulator = new URL(process.env.EMULATOR_URL || 'http://127.0.0.1:12111');
const databaseUrl = process.env.DATABASE_URL || 'postgres://stripe_sync_bench:stripe_sync_bench@127.0.0.1:5432/stripe_sync_bench';
const schema = 'stripe';

// [syncBackfill object, table it writes]
const STREAMS = [
  ['product', 'products'],
  ['price', 'prices'],
  ['customer', 'customers'],
  ['subscription', 'subscriptions'],
  ['invoice', 'invoices'],
  ['charge', 'charges'],
  ['payment_intent', 'payment_intents'],
  ['refund', 'refunds'],
  ['dispute', 'disputes'],
  ['credit_note', 'credit_notes'],
];

async function main() {
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
  // runMigrations logs its errors and returns normally: make them fatal. The migrations need a
  // superuser (0012_add_updated_at.sql: `alter function set_updated_at() owner to postgres`).
  let migrationFailed = false;
  const logger = { info() {}, warn() {}, debug() {},
                   error(err, msg) { migrationFailed = true; console.error(msg, err); } };
  await runMigrations({ databaseUrl, schema, logger });
  if (migrationFailed) process.exit(1);

  const sync = new StripeSync({
    poolConfig: { connectionString: databaseUrl, max: 10 },
    schema,
    stripeSecretKey: KEY,
    stripeWebhookSecret: 'whsec_unused',
  });
  sync.stripe = new Stripe(KEY, {
    protocol: emulator.protocol.replace(':', ''),
    host: emulator.hostname,
    port: Number(emulator.port),
    maxNetworkRetries: 0,
    appInfo: { name: 'Stripe Postgres Sync' },
  });

  const started = process.hrtime.bigint();
  let reported = 0;
  for (const [object] of STREAMS) {
    const t0 = process.hrtime.bigint();
    const result = await sync.syncBackfill({ object });
    const synced = Object.values(result).reduce((n, r) => n + (r ? r.synced : 0), 0);
    reported += synced;
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`${object.padEnd(15)} ${String(synced).padStart(8)} in ${s.toFixed(2)} s`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  let stored = 0;
  for (const [, table] of STREAMS) {
    const { rows } = await sync.postgresClient.query(`SELECT count(*)::bigint AS n FROM "${schema}"."${table}"`);
    stored += Number(rows[0].n);
  }
  await sync.close();
  console.log(`stripe-sync-engine backfill: ${reported} objects listed, ${stored} rows stored in ` +
              `${STREAMS.length} tables, ${seconds.toFixed(2)} s, ${Math.round(stored / seconds)} objects/s`);
  if (stored !== reported) {
    console.error('stored rows differ from the objects listed');
    process.exit(1);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
