// Stripe Connect in the browser, end to end: an administrator enters the Connect settings,
// "Connect with Stripe" goes to the emulator's authorize page and back to Stripeline's callback
// page (approve, deny, a replayed callback), the connected account syncs, and once its access
// is revoked in Stripe, Reconnect takes the same round trip back to a healthy integration. The
// window really leaves for the emulator's origin here, so those requests are expected (and
// nothing else).
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, KEYS, browserTests } from './harness.mjs';

const FILE = 'oauth';
const CONNECT_CLIENT_ID = 'ca_emu_demo_connect_0000000000000000';

describe('Connect with Stripe', () => {
  let stack;
  let connectedId;
  let replayUrl;
  before(async () => { stack = await Stack.start(); });
  after(async () => { await stack?.stop(); });

  const browserTest = browserTests(FILE, () => stack);
  // Every test here may visit the emulator's pages (Stripe's, in production); the callback
  // answers 400 when it refuses, which Chromium reports on the console.
  const test = (name, body) => browserTest(name, async (page, s) => {
    page.expectedProblems = [new RegExp(`request to ${s.emulatorUrl.replace(/[.]/g, '\\.')}/`), /status of 400/];
    await body(page, s);
  });

  const count = async () => (await stack.admin.integrations()).length;

  async function openAddOAuth(page) {
    await page.goto(`${stack.url}/#/integrations`);
    await page.getByRole('link', { name: 'Add Integration' }).click();
    await page.getByRole('button', { name: /^Stripe/ }).click();
    await page.getByLabel('Auth scheme').selectOption({ label: 'Connect with Stripe (OAuth)' });
  }

  // On the emulator's authorize page: picks `account` and presses `decision` (approve or deny),
  // then waits for Stripeline's callback page.
  async function decideAtStripe(page, account, decision) {
    await page.waitForURL((url) => url.href.startsWith(`${stack.emulatorUrl}/oauth/authorize?`));
    await page.locator(`#account-${account}`).check();
    await page.locator(`#${decision}`).click();
    await page.waitForURL((url) => url.href.startsWith(`${stack.url}/oauth/stripe/callback?`));
  }

  test('before the settings exist, Connect with Stripe says so and links to them', async (page) => {
    await stack.signIn(page);
    await openAddOAuth(page);
    await page.getByLabel('Name').fill('Too early');
    await page.getByRole('button', { name: 'Connect with Stripe' }).click();
    const error = page.locator('.connect-block .form-error');
    await error.getByText('Connect with Stripe is not set up yet').waitFor();
    await error.getByRole('link', { name: 'Open the Stripe Connect settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    assert.equal(await count(), 0);
  });

  test('an administrator enters the Connect settings: errors next to their field, the key never shown back', async (page) => {
    await stack.signIn(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const redirect = page.getByLabel('Redirect URL');
    assert.equal(await redirect.inputValue(), `${stack.url}/oauth/stripe/callback`);
    assert.equal(await page.getByLabel('Read only').isChecked(), true);
    await page.getByLabel('Client ID').fill('client_123');
    await page.getByLabel('Platform secret key').fill(KEYS.secret);
    await page.getByRole('button', { name: 'Save settings' }).click();
    const clientError = page.locator('.field', { has: page.getByLabel('Client ID') }).locator('.field-error');
    await clientError.waitFor();
    assert.match(await clientError.innerText(), /ca_/);
    assert.equal((await stack.admin.call('GET', '/settings/stripe-connect')).json.configured, false);

    await page.getByLabel('Client ID').fill(CONNECT_CLIENT_ID);
    await page.getByLabel('Platform secret key').fill(KEYS.secret);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.message-success').getByText('Stripe Connect settings saved').waitFor();
    await page.getByText('Configured for platform acct_emu_demo').waitFor();
    assert.match(await page.locator('main').innerText(), /sk_test_\.\.\.0000/);
    assert.equal(await page.getByLabel(/Platform secret key/).inputValue(), '');
    assert.equal((await page.content()).includes(KEYS.secret), false);
    const saved = (await stack.admin.call('GET', '/settings/stripe-connect')).json;
    assert.equal(saved.client_id, CONNECT_CLIENT_ID);
    assert.equal(saved.redirect_url, `${stack.url}/oauth/stripe/callback`);
    assert.equal(saved.scope, 'read_only');
  });

  test('approve at Stripe: the callback says Integration added and the integration is listed; a replay is refused', async (page) => {
    await stack.signIn(page);
    const before = await count();
    await openAddOAuth(page);
    await page.getByLabel('Name').fill('Northwind via OAuth');
    await page.getByRole('button', { name: 'Connect with Stripe' }).click();
    await decideAtStripe(page, 'acct_emu_connected_1', 'approve');
    await page.getByRole('heading', { name: 'Integration added' }).waitFor();
    const result = page.locator('#result');
    assert.match(await result.innerText(), /acct_emu_connected_1 \(Northwind Coffee\) is connected as integration “Northwind via OAuth”/);
    connectedId = await result.getAttribute('data-integration-id');
    replayUrl = page.url();
    // The page wears the app's stylesheet (its CSP allows it: the card has a background).
    assert.notEqual(await page.locator('.card').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgba(0, 0, 0, 0)');
    assert.equal(await count(), before + 1);

    await page.getByRole('link', { name: 'Open the integration' }).click();
    await page.getByRole('heading', { name: 'Northwind via OAuth' }).waitFor();
    assert.match(await page.locator('dl.details').innerText(), /acct_emu_connected_1/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'External Integrations' }).click();
    await page.locator('tr', { hasText: 'Northwind via OAuth' }).getByText('Northwind Coffee').waitFor();

    // The same callback again (a reload, or a link replayed): refused, nothing more added.
    const replayed = await page.goto(replayUrl);
    assert.equal(replayed.status(), 400);
    // The app's own Content-Security-Policy: its stylesheet, no inline script, no framing.
    assert.match(replayed.headers()['content-security-policy'], /style-src 'self'.*frame-ancestors 'none'/);
    await page.getByRole('heading', { name: 'Stripe connection failed' }).waitFor();
    assert.equal(await page.locator('#error').getAttribute('data-error'), 'oauth_state_used');
    assert.equal(await count(), before + 1);
  });

  test('deny at Stripe, from a client\'s Data Sources: a clear error page, nothing added', async (page) => {
    const client = (await stack.admin.call('POST', '/clients', { name: 'Initech' })).json.client;
    await stack.signIn(page);
    const before = await count();
    await page.goto(`${stack.url}/#/clients/${client.id}`);
    await page.getByRole('link', { name: 'Connect with Stripe' }).click();
    await page.getByRole('heading', { name: 'Connect with Stripe' }).waitFor();
    await page.getByLabel('Name').fill('Denied');
    await page.getByRole('button', { name: 'Connect with Stripe' }).click();
    await decideAtStripe(page, 'acct_emu_connected_1', 'deny');
    await page.getByRole('heading', { name: 'Stripe connection failed' }).waitFor();
    assert.equal(await page.locator('#error').getAttribute('data-error'), 'access_denied');
    await page.getByText('You declined the connection in Stripe').waitFor();
    assert.equal(await count(), before);
    await page.getByRole('link', { name: 'Back to External Integrations' }).click();
    await page.getByRole('heading', { name: 'External Integrations' }).waitFor();
    assert.equal(await page.locator('tr', { hasText: 'Denied' }).count(), 0);
  });

  test('the connected account syncs: Refresh on its details page shows synced streams', async (page) => {
    assert.ok(connectedId, 'the approve test added the integration');
    await stack.signIn(page);
    await page.goto(`${stack.url}/#/integrations/${connectedId}`);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByText('Sync started').waitFor();
    await page.locator('.sync-summary').getByText(/Last sync succeeded/).waitFor({ timeout: 60000 });
    const synced = page.getByRole('region', { name: 'Sync', exact: true }).locator('tbody tr', { hasText: 'Synced' });
    assert.ok(await synced.count() > 0);
    const state = (await stack.admin.call('GET', `/integrations/${connectedId}/sync`)).json;
    assert.ok(state.streams.some((s) => s.state === 'synced'), JSON.stringify(state));
  });

  test('access revoked in Stripe: details says needs reconnect; Reconnect goes through Stripe and the integration is healthy again; Edit has no key field', async (page) => {
    assert.ok(connectedId, 'the approve test added the integration');
    const before = await count();
    await stack.emulator('/_emulator/accounts/acct_emu_connected_1/deauthorize');
    const tested = await stack.admin.call('POST', `/integrations/${connectedId}/test`);
    assert.equal(tested.json.integration.health.state, 'needs_reconnect', JSON.stringify(tested.json));

    await stack.signIn(page);
    await page.goto(`${stack.url}/#/integrations/${connectedId}`);
    await page.locator('dl.details .badge').getByText('Needs reconnect').waitFor();
    await page.getByRole('alert').getByText(/Access was revoked in Stripe.*Reconnect it with Stripe/).waitFor();
    await page.getByRole('button', { name: 'Reconnect' }).click();
    // An OAuth integration has no key to type: the dialog offers Stripe instead.
    const dialog = page.getByRole('dialog');
    await dialog.getByText('approve access to account acct_emu_connected_1 again').waitFor();
    assert.equal(await dialog.locator('input[type=password]').count(), 0);
    await dialog.getByRole('button', { name: 'Connect with Stripe' }).click();
    await decideAtStripe(page, 'acct_emu_connected_1', 'approve');
    await page.getByRole('heading', { name: 'Integration reconnected' }).waitFor();
    assert.equal(await page.locator('#result').getAttribute('data-integration-id'), connectedId);

    await page.getByRole('link', { name: 'Open the integration' }).click();
    await page.getByRole('heading', { name: 'Northwind via OAuth' }).waitFor();
    await page.locator('dl.details .badge').getByText('OK', { exact: true }).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    await page.getByRole('region', { name: 'Audit trail' }).getByText(/Reconnected 'Northwind via OAuth' to Stripe account acct_emu_connected_1/).waitFor();
    const stored = (await stack.admin.call('GET', `/integrations/${connectedId}`)).json.integration;
    assert.equal(stored.health.state, 'ok');
    assert.equal(await count(), before, 'reconnected in place, nothing added');

    // Its Edit form renames it, but has no key field: the access changes by Reconnect only.
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByText('Connected with Stripe: to renew its access, use Reconnect on its details page.').waitFor();
    assert.equal(await page.locator('input[type=password]').count(), 0);
    await page.getByLabel('Name').fill('Northwind (OAuth)');
    await page.getByRole('button', { name: 'Save Integration' }).click();
    await page.getByRole('heading', { name: 'Northwind (OAuth)' }).waitFor();
    const renamed = (await stack.admin.call('GET', `/integrations/${connectedId}`)).json.integration;
    assert.equal(renamed.name, 'Northwind (OAuth)');
    assert.equal(renamed.health.state, 'ok');
  });
});
