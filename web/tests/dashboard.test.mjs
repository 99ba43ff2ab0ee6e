// Dashboards: building one (add, arrange, remove widgets; saved per client), the date selector
// (presets, a custom range, grouping), Refresh syncing the data sources so a new charge in Stripe
// shows up, a widget whose integration needs reconnecting (its error and Connect), what a viewer
// may do, the CSV export and the printable report. The numbers a widget shows must be the API's
// for the dates the page asked (the API's numbers are checked against the raw Stripe objects by
// tests/integration/metrics_test.cc).
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Stack, ApiSession, KEYS, browserTests, waitUntil, screenshotDir } from './harness.mjs';

// An amount as the page spells it (en-US): minor units of a two-decimal currency.
const money = (minor, currency) => new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase() }).format(minor / 100);
const count = (n) => n.toLocaleString('en-US');
// Today's date in `timeZone`, as the page computes its presets.
const todayIn = (timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
const addDays = (iso, days) => {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

describe('Dashboards', () => {
  let stack;
  before(async () => { stack = await Stack.start(); });
  after(async () => { await stack?.stop(); });
  const test = browserTests('dashboard', () => stack);

  // A client with one synced Stripe account (the emulator's demo data: 100 days of activity).
  async function syncedClient(name, key = KEYS.secret) {
    const client = (await stack.admin.call('POST', '/clients', { name })).json.client;
    const added = await stack.admin.call('POST', '/integrations', { name: `${name} Stripe`, secret_key: key, client_id: client.id });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    const integration = added.json.integration;
    await syncNow(integration.id);
    return { client, integration };
  }

  async function syncNow(integrationId) {
    const started = await stack.admin.call('POST', `/integrations/${integrationId}/sync`);
    assert.equal(started.status, 202, JSON.stringify(started.json));
    const status = await waitUntil(async () => {
      const s = (await stack.admin.call('GET', `/integrations/${integrationId}/sync`)).json;
      return s.running ? null : s;
    }, 'the sync to end', 60000);
    assert.equal(status.last_run.status, 'succeeded', JSON.stringify(status.last_run));
  }

  // The API's answer for the query a widget's request carried.
  async function apiAnswer(requestUrl, session = stack.admin) {
    const url = new URL(requestUrl);
    const answer = await session.call('GET', `${url.pathname.replace('/api/v1', '')}${url.search}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    return answer.json;
  }

  // Records the metric requests the page makes, by metric name (the latest wins).
  function recordMetricRequests(page) {
    const seen = new Map();
    page.on('request', (request) => {
      const match = new URL(request.url()).pathname.match(/^\/api\/v1\/metrics\/([a-z_]+)$/);
      if (match) seen.set(match[1], request.url());
    });
    return seen;
  }

  // The number widget (or report section) `card` shows each currency's total of `answer`, an
  // amount metric's answer, as the page spells it.
  async function expectTotals(card, answer) {
    assert.ok(answer.values.length > 0, `${answer.metric} has values for these dates`);
    for (const v of answer.values) {
      await card.locator(`.kpi[data-currency="${v.currency}"] .kpi-value`).getByText(money(v.total, v.currency), { exact: true }).waitFor();
    }
    assert.equal(await card.locator('.kpi').count(), answer.values.length);
  }

  const widget = (page, title) => page.locator('.widget', { has: page.getByRole('heading', { name: title, exact: true }) });

  async function addWidget(page, { source, metric, display, title = '' }) {
    await page.getByRole('button', { name: 'Add widget' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Data source').selectOption({ label: source });
    await dialog.getByLabel('Metric').selectOption({ label: metric });
    await dialog.getByLabel('Show as').selectOption({ label: display });
    if (title) await dialog.getByLabel(/^Title/).fill(title);
    await dialog.getByRole('button', { name: 'Add widget' }).click();
    await page.locator('.message-success').getByText('Widget added').waitFor();
  }

  test('build a dashboard: number, chart and table widgets, arranged, edited and removed, saved per client', async (page) => {
    const { client, integration } = await syncedClient('Northwind');
    const requests = recordMetricRequests(page);
    await stack.signIn(page);
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.locator('tr', { hasText: 'Northwind' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Northwind dashboard' }).waitFor();
    await page.getByText('This dashboard has no widgets yet.').waitFor();
    assert.match(page.url(), /#\/clients\/[^/]+\/dashboard$/);

    await addWidget(page, { source: 'Northwind Stripe', metric: 'Gross volume', display: 'Number' });
    const gross = widget(page, 'Gross volume');
    await gross.locator('.kpi-value').first().waitFor();  // one per currency (the demo settles in several)
    const grossAnswer = await apiAnswer(requests.get('gross_volume'));
    await expectTotals(gross, grossAnswer);
    const compared = grossAnswer.values.find((v) => v.previous_total > 0);
    if (compared) {
      assert.match(await gross.locator(`.kpi[data-currency="${compared.currency}"] .kpi-change`).innerText(),
        / vs previous period \(.+\)$/);
    }
    assert.match(requests.get('gross_volume'), new RegExp(`integration=${integration.id}`));

    await addWidget(page, { source: 'All data sources of this client', metric: 'Net volume', display: 'Line chart', title: 'Net volume, all accounts' });
    const chart = widget(page, 'Net volume, all accounts');
    await chart.locator('canvas[data-drawn="true"]').first().waitFor();
    assert.match(requests.get('net_volume'), new RegExp(`client=${client.id}`));
    // One chart per currency, each named with its total.
    const netAnswer = await apiAnswer(requests.get('net_volume'));
    assert.equal(await chart.locator('canvas[data-drawn="true"]').count(), netAnswer.values.length);
    const first = netAnswer.values[0];
    assert.equal(await chart.locator('canvas').first().getAttribute('aria-label'),
      `Line chart of Net volume in ${first.currency.toUpperCase()} by day, total ${money(first.total, first.currency)}`);

    await addWidget(page, { source: 'Northwind Stripe', metric: 'Successful payments', display: 'Table' });
    const table = widget(page, 'Successful payments');
    await table.locator('tfoot').waitFor();
    const paymentsAnswer = await apiAnswer(requests.get('successful_payments'));
    assert.equal(await table.locator('tbody tr').count(), 30, 'one row per day of the last 30 days');
    assert.equal(await table.locator('tfoot tr').first().locator('td').first().innerText(), count(paymentsAnswer.values[0].total));

    // Arrange: the table moves to the front, the chart is removed (after a confirmation).
    await table.getByRole('button', { name: 'Move Successful payments earlier' }).click();
    await page.locator('.message-success').getByText('Successful payments moved').waitFor();
    // The grid was redrawn; the keyboard is still on the same button of the moved widget ...
    const focusedLabel = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(await focusedLabel(), 'Move Successful payments earlier');
    await page.getByRole('button', { name: 'Move Successful payments earlier' }).click();
    await page.locator('.widget-grid > li').first().getByRole('heading', { name: 'Successful payments' }).waitFor();
    // ... or, now that button is disabled at the front, on another of its buttons.
    assert.equal(await focusedLabel(), 'Refresh Successful payments');
    // ... and by the mouse: the chart dragged onto the first widget takes its place.
    await widget(page, 'Net volume, all accounts').locator('.widget-header').dragTo(page.locator('.widget-grid > li').first());
    await page.locator('.message-success').getByText('Net volume, all accounts moved').waitFor();
    assert.deepEqual(await page.locator('.widget-title').allInnerTexts(), ['Net volume, all accounts', 'Successful payments', 'Gross volume']);
    await widget(page, 'Net volume, all accounts').getByRole('button', { name: 'Remove Net volume, all accounts' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await page.locator('.widget').count(), 3);
    await widget(page, 'Net volume, all accounts').getByRole('button', { name: 'Remove Net volume, all accounts' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove widget' }).click();
    await page.locator('.message-success').getByText('Widget removed').waitFor();
    await widget(page, 'Net volume, all accounts').waitFor({ state: 'detached' });

    // Edit: the number becomes a bar chart with a title of its own, in the same place.
    const before = (await stack.admin.call('GET', `/clients/${client.id}/dashboard`)).json.widgets;
    await gross.getByRole('button', { name: 'Edit Gross volume' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit widget' });
    assert.equal(await dialog.getByLabel('Metric').inputValue(), 'gross_volume');
    await dialog.getByLabel('Show as').selectOption({ label: 'Bar chart' });
    assert.equal(await dialog.getByLabel('Width').inputValue(), 'normal', 'an edit keeps the width');
    await dialog.getByLabel('Width').selectOption({ label: 'Wide' });
    await dialog.getByLabel(/^Title/).fill('Revenue');
    await dialog.getByRole('button', { name: 'Save widget' }).click();
    await page.locator('.message-success').getByText('Widget saved').waitFor();
    await widget(page, 'Revenue').locator('canvas[data-drawn="true"]').first().waitFor();

    const stored = (await stack.admin.call('GET', `/clients/${client.id}/dashboard`)).json.widgets;
    assert.deepEqual(stored.map((w) => [w.metric, w.kind, w.integration, w.title]),
      [['successful_payments', 'table', integration.id, ''], ['gross_volume', 'chart', integration.id, 'Revenue']]);
    assert.deepEqual(stored[1].options, { chart: 'bar', width: 'wide' });
    assert.equal(stored[0].options.width, 'wide', 'a new table is wide unless chosen otherwise');
    assert.match(await widget(page, 'Revenue').getAttribute('class'), /\bwidget-wide\b/);
    assert.deepEqual(stored.map((w) => w.id), before.map((w) => w.id));
    // Saved: a reload shows the same dashboard, in the same order.
    await page.reload();
    await widget(page, 'Revenue').locator('canvas[data-drawn="true"]').first().waitFor();
    assert.deepEqual(await page.locator('.widget-title').allInnerTexts(), ['Successful payments', 'Revenue']);
  });

  test('the date selector: presets, a custom range and grouping change every widget and stay in the address', async (page) => {
    const { client, integration } = await syncedClient('Dates Inc');
    await stack.admin.call('PUT', `/clients/${client.id}/dashboard`, { widgets: [
      { metric: 'gross_volume', integration: integration.id, kind: 'number' },
      { metric: 'successful_payments', integration: integration.id, kind: 'table' },
    ] });
    const requests = recordMetricRequests(page);
    await stack.signIn(page);
    await page.goto(`${stack.url}/#/clients/${client.id}/dashboard`);
    const gross = widget(page, 'Gross volume');
    const table = widget(page, 'Successful payments');
    await gross.locator('.kpi-value').first().waitFor();
    const today = todayIn('Europe/Berlin');

    // A preset: the last 7 days, today included, in the browser's zone.
    await page.getByLabel('Dates').selectOption({ label: 'Last 7 days' });
    await waitUntil(async () => (await table.locator('tbody tr').count()) === 7, 'seven daily rows');
    const week = new URL(requests.get('gross_volume')).searchParams;
    assert.deepEqual([week.get('from'), week.get('to'), week.get('interval'), week.get('tz')],
      [addDays(today, -6), addDays(today, 1), 'day', 'Europe/Berlin']);
    const weekAnswer = await apiAnswer(requests.get('gross_volume'));
    await expectTotals(gross, weekAnswer);
    assert.match(page.url(), /\?range=last_7_days&interval=day$/);

    // A custom range: a last day before the first is refused next to the field.
    await page.getByLabel('Dates').selectOption({ label: 'Custom range' });
    await page.getByLabel('From').fill('2026-03-10');
    await page.getByLabel('Through').fill('2026-03-01');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('The last day comes before the first.').waitFor();
    const from = addDays(today, -60);
    const through = addDays(today, -1);
    await page.getByLabel('From').fill(from);
    await page.getByLabel('Through').fill(through);
    await page.getByRole('button', { name: 'Apply' }).click();
    await waitUntil(async () => (await table.locator('tbody tr').count()) === 60, 'sixty daily rows');
    const custom = new URL(requests.get('successful_payments')).searchParams;
    assert.deepEqual([custom.get('from'), custom.get('to')], [from, today]);
    const customAnswer = await apiAnswer(requests.get('successful_payments'));
    assert.equal(await table.locator('tfoot tr').first().locator('td').first().innerText(), count(customAnswer.values[0].total));

    // Grouping by week: one row a week, the same total.
    await page.getByLabel('Group by').selectOption({ label: 'Week' });
    await waitUntil(async () => {
      const rows = await table.locator('tbody tr').count();
      return rows > 0 && rows < 12;
    }, 'weekly rows');
    const weekly = await apiAnswer(requests.get('successful_payments'));
    assert.equal(weekly.interval, 'week');
    assert.equal(await table.locator('tbody tr').count(), weekly.values[0].series.length);
    assert.equal(await table.locator('tfoot tr').first().locator('td').first().innerText(), count(customAnswer.values[0].total));
    assert.match(page.url(), new RegExp(`\\?from=${from}&to=${today}&interval=week$`));

    // The address keeps the dates: a reload shows the same range.
    await page.reload();
    await table.locator('tfoot').waitFor();
    assert.equal(await page.getByLabel('Dates').inputValue(), 'custom');
    assert.equal(await page.getByLabel('From').inputValue(), from);
    assert.equal(await table.locator('tbody tr').count(), weekly.values[0].series.length);

    // Export CSV follows the dates: the file holds the widgets' totals.
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    assert.match(href, new RegExp(`from=${from}&to=${today}&interval=week&tz=Europe%2FBerlin`));
    const csv = await page.request.get(`${stack.url}${href}`);
    assert.equal(csv.status(), 200);
    const rows = (await csv.text()).split('\r\n');
    assert.equal(rows[0], 'widget_id,title,metric,integration_id,currency,period,value');
    assert.ok(rows.some((r) => r.endsWith(`,successful_payments,${integration.id},${customAnswer.values[0].currency},total,${customAnswer.values[0].total}`)), rows.slice(0, 8).join('\n'));
  }, { timezoneId: 'Europe/Berlin' });

  test('Refresh syncs the data sources and reloads: a charge made in Stripe since shows up', async (page) => {
    const { client, integration } = await syncedClient('Refresh Ltd');
    await stack.admin.call('PUT', `/clients/${client.id}/dashboard`, { widgets: [
      { metric: 'gross_volume', integration: integration.id, kind: 'number' },
      { metric: 'successful_payments', kind: 'number', title: 'Payments' },
    ] });
    const requests = recordMetricRequests(page);
    await stack.signIn(page);
    await page.goto(`${stack.url}/#/clients/${client.id}/dashboard?range=last_7_days`);
    const gross = widget(page, 'Gross volume');
    await gross.locator('.kpi-value').first().waitFor();
    const before = (await apiAnswer(requests.get('gross_volume'))).values.find((v) => v.currency === 'usd')?.total ?? 0;

    await stack.emulator('/_emulator/objects/charges', { status: 'succeeded', amount: '4242', amount_captured: '4242', currency: 'usd', refunded: 'false', amount_refunded: '0' });
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.locator('.message-success').getByText('Data refreshed').waitFor({ timeout: 60000 });
    await gross.locator('.kpi[data-currency="usd"] .kpi-value').getByText(money(before + 4242, 'usd'), { exact: true }).waitFor();
    const runs = (await stack.admin.call('GET', `/integrations/${integration.id}/sync/runs`)).json.data;
    assert.ok(runs.length >= 2, 'Refresh started a sync of the data source');

    // A widget's own refresh reloads just that widget.
    await stack.emulator('/_emulator/objects/charges', { status: 'succeeded', amount: '1000', amount_captured: '1000', currency: 'usd', refunded: 'false', amount_refunded: '0' });
    await gross.getByRole('button', { name: 'Refresh Gross volume' }).click();
    await gross.locator('.kpi[data-currency="usd"] .kpi-value').getByText(money(before + 5242, 'usd'), { exact: true }).waitFor({ timeout: 60000 });
  });

  test('a widget whose integration needs reconnecting shows the error and a Connect button that leads to the fix', async (page) => {
    const { key } = await stack.emulator('/_emulator/keys', { account: 'acct_emu_demo', kind: 'secret', livemode: 'false' });
    const { client, integration } = await syncedClient('Revoked Co', key);
    await stack.admin.call('PUT', `/clients/${client.id}/dashboard`, { widgets: [
      { metric: 'mrr', integration: integration.id, kind: 'number' },
    ] });
    await stack.emulator('/_emulator/keys/revoke', { key });
    const checked = await stack.admin.call('POST', `/integrations/${integration.id}/test`);
    assert.equal(checked.json.integration.health.state, 'needs_reconnect');

    await stack.signIn(page);
    await page.goto(`${stack.url}/#/clients/${client.id}/dashboard`);
    const mrr = widget(page, 'MRR');
    const notice = mrr.locator('.widget-error');
    await notice.getByText('Revoked Co Stripe needs reconnecting.').waitFor();
    await mrr.locator('.kpi-value').first().waitFor(); // the data synced before stays
    await page.screenshot({ path: path.join(screenshotDir, 'dashboard-widget-needs-reconnecting.png'), fullPage: true });

    // A member of the client sees the same error, and whom to ask: only administrators reconnect.
    assert.equal((await stack.admin.call('POST', '/users', { email: 'dash-member@example.com', role: 'member', password: 'a-long-password' })).status, 201);
    assert.equal((await stack.admin.call('POST', `/clients/${client.id}/members`, { email: 'dash-member@example.com' })).status, 200);
    const memberPage = await stack.newPage();
    try {
      await stack.signIn(memberPage, 'dash-member@example.com', 'a-long-password');
      await memberPage.goto(`${stack.url}/#/clients/${client.id}/dashboard`);
      const memberNotice = widget(memberPage, 'MRR').locator('.widget-error');
      await memberNotice.getByText('Ask an administrator to reconnect it.').waitFor();
      assert.equal(await memberNotice.getByRole('link', { name: /^Connect/ }).count(), 0);
      assert.deepEqual(memberPage.problems, []);
    } finally {
      await memberPage.context().close();
    }
    await notice.getByRole('link', { name: 'Connect Revoked Co Stripe' }).click();
    await page.getByRole('heading', { name: 'Revoked Co Stripe' }).waitFor();
    assert.match(page.url(), new RegExp(`#/integrations/${integration.id}$`));

    await page.getByRole('button', { name: 'Reconnect' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New secret or restricted key').fill(KEYS.secret);
    await dialog.getByRole('button', { name: 'Reconnect' }).click();
    await page.locator('.message-success').getByText('Integration updated').waitFor();
    await page.goBack();
    await widget(page, 'MRR').locator('.kpi-value').first().waitFor();
    assert.equal(await widget(page, 'MRR').locator('.widget-error').count(), 0);
  });

  test('a viewer sees the dashboard and reloads it, but cannot change it (on a phone)', async (page) => {
    const { client, integration } = await syncedClient('Viewed');
    await stack.admin.call('PUT', `/clients/${client.id}/dashboard`, { widgets: [
      { metric: 'active_subscribers', integration: integration.id, kind: 'number' },
    ] });
    assert.equal((await stack.admin.call('POST', '/users', { email: 'dash-viewer@example.com', role: 'viewer', password: 'a-long-password' })).status, 201);
    assert.equal((await stack.admin.call('POST', `/clients/${client.id}/members`, { email: 'dash-viewer@example.com' })).status, 200);
    await stack.signIn(page, 'dash-viewer@example.com', 'a-long-password');
    await page.goto(`${stack.url}/#/clients/${client.id}/dashboard`);
    const subscribers = widget(page, 'Active subscribers');
    await subscribers.locator('.kpi-value').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add widget' }).count(), 0);
    assert.equal(await subscribers.getByRole('button', { name: /^(Move|Remove)/ }).count(), 0);
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await page.locator('.message-success').getByText('Numbers reloaded').waitFor();
    const viewer = await ApiSession.signIn(stack.url, 'dash-viewer@example.com', 'a-long-password');
    const refused = await viewer.call('PUT', `/clients/${client.id}/dashboard`, { widgets: [] });
    assert.equal(refused.status, 403);
    // At phone width the page does not scroll sideways.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  }, { width: 390, height: 844 });

  test('the printable report: every widget with its totals, chart or table, without the app around it', async (page) => {
    const { client, integration } = await syncedClient('Printed');
    await stack.admin.call('PUT', `/clients/${client.id}/dashboard`, { widgets: [
      { metric: 'gross_volume', integration: integration.id, kind: 'chart', options: { chart: 'bar' } },
      { metric: 'refunds', integration: integration.id, kind: 'table' },
      { metric: 'subscriber_churn_rate', integration: integration.id, kind: 'number' },
    ] });
    await stack.signIn(page);
    await page.goto(`${stack.url}/#/clients/${client.id}/dashboard?range=last_90_days&interval=week`);
    await widget(page, 'Gross volume').locator('canvas[data-drawn="true"]').first().waitFor();
    await page.getByRole('link', { name: 'Printable report' }).click();
    await page.getByRole('heading', { name: 'Printed report' }).waitFor();
    assert.match(page.url(), /\/report\?range=last_90_days&interval=week$/);
    const sections = page.locator('article.report-widget');
    assert.equal(await sections.count(), 3);
    assert.deepEqual(await sections.locator('h2').allInnerTexts(), ['Gross volume', 'Refunds', 'Subscriber churn rate']);
    await sections.nth(0).locator('canvas[data-drawn="true"]').first().waitFor();
    assert.ok(await sections.nth(1).locator('table tbody tr').count() >= 13, 'a row per week of 90 days');
    const gross = await stack.admin.call('GET', `/metrics/gross_volume?integration=${integration.id}&from=${addDays(todayIn('UTC'), -89)}&to=${addDays(todayIn('UTC'), 1)}&interval=week&tz=UTC`);
    await expectTotals(sections.nth(0), gross.json);
    assert.equal(await sections.nth(0).locator('canvas[data-drawn="true"]').count(), gross.json.values.length);

    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#topbar').isVisible(), false);
    assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false);
    assert.equal(await sections.first().isVisible(), true);
    const pdf = await page.pdf({ path: path.join(screenshotDir, 'dashboard-printable-report.pdf') });
    assert.ok(pdf.length > 10000, 'a PDF of the report');
  });
});
