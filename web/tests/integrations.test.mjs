// External Integrations end to end, as an administrator: add with each kind of key, Test, Cancel,
// Edit, Delete (dismissed and confirmed), the active switch, details with sync, reconnect after
// the key is revoked in the emulator, and Stripe failing.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, KEYS, waitUntil, browserTests } from './harness.mjs';

const FILE = 'integrations';

describe('External Integrations', () => {
  let stack;
  before(async () => { stack = await Stack.start(); });
  after(async () => { await stack?.stop(); });

  const test = browserTests(FILE, () => stack);

  async function openAddForm(page) {
    await page.goto(`${stack.url}/#/integrations`);
    await page.getByRole('link', { name: 'Add Integration' }).click();
    await page.getByRole('heading', { name: 'Add Integration' }).waitFor();
    await page.getByRole('button', { name: /^Stripe/ }).click();
  }

  async function fillForm(page, { name, key, accountId }) {
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Secret or restricted key').fill(key);
    if (accountId) await page.getByLabel(/Account ID/).fill(accountId);
  }

  function keyError(page) {
    return page.locator('.field', { has: page.getByLabel('Secret or restricted key') }).locator('.field-error');
  }

  describe('Add Integration', () => {
    test('with a valid secret key: Test says Connection available, Save Integration lists it as active', async (page) => {
      await stack.signIn(page);
      await openAddForm(page);
      await fillForm(page, { name: 'Demo secret', key: KEYS.secret });
      await page.getByRole('button', { name: 'Test' }).click();
      const result = page.locator('.test-result');
      await result.getByText('Connection available').waitFor();
      assert.match(await result.innerText(), /Emulator Demo Ltd \(acct_emu_demo\), test mode/);
      await page.getByRole('button', { name: 'Save Integration' }).click();
      await page.getByRole('heading', { name: 'External Integrations' }).waitFor();
      await page.locator('.message-success').getByText('Integration added').waitFor();
      const row = page.locator('tr', { hasText: 'Demo secret' });
      assert.equal(await row.getByRole('switch').isChecked(), true);
      assert.equal(await row.locator('.badge-ok').innerText(), 'OK');
      assert.match(await row.innerText(), /Emulator Demo Ltd/);
      // The key is never rendered once saved: only its masked form exists anywhere on the page.
      assert.equal((await page.content()).includes(KEYS.secret), false);
      const saved = await stack.admin.integrationNamed('Demo secret');
      assert.equal(saved.active, true);
      assert.equal(saved.health.state, 'ok');
    });

    test('with an invalid key: the error is next to the key field and nothing is added', async (page) => {
      await stack.signIn(page);
      const before = (await stack.admin.integrations()).length;
      await openAddForm(page);
      await fillForm(page, { name: 'Wrong key', key: 'sk_test_emu_no_such_key_000000000000' });
      await page.getByRole('button', { name: 'Save Integration' }).click();
      await keyError(page).waitFor();
      assert.match(await keyError(page).innerText(), /^The secret key is invalid: Invalid API Key provided/);
      assert.equal(await page.getByLabel('Secret or restricted key').getAttribute('aria-invalid'), 'true');
      assert.equal((await stack.admin.integrations()).length, before);
    });

    test('with a publishable key: refused with the explanation, nothing added', async (page) => {
      await stack.signIn(page);
      const before = (await stack.admin.integrations()).length;
      await openAddForm(page);
      await fillForm(page, { name: 'Publishable', key: KEYS.publishable });
      await page.getByRole('button', { name: 'Save Integration' }).click();
      await keyError(page).waitFor();
      assert.match(await keyError(page).innerText(), /This is a publishable key \(pk_\.\.\.\)/);
      assert.equal((await stack.admin.integrations()).length, before);
    });

    test('with an expired key: Test says why, Save Integration refuses it', async (page) => {
      await stack.signIn(page);
      const before = (await stack.admin.integrations()).length;
      await openAddForm(page);
      await fillForm(page, { name: 'Expired', key: KEYS.expired });
      await page.getByRole('button', { name: 'Test' }).click();
      await page.locator('.test-result.bad').getByText(/^Connection unavailable: the key has expired/).waitFor();
      await page.getByRole('button', { name: 'Save Integration' }).click();
      await keyError(page).waitFor();
      assert.match(await keyError(page).innerText(), /Expired API Key provided/);
      assert.equal((await stack.admin.integrations()).length, before);
    });

    test('with a restricted key missing permissions: they are listed with what to grant, and it is added with a warning', async (page) => {
      await stack.signIn(page);
      await openAddForm(page);
      await fillForm(page, { name: 'Demo restricted', key: KEYS.restricted });
      await page.getByRole('button', { name: 'Test' }).click();
      const result = page.locator('.test-result');
      await result.locator('.missing-permissions').waitFor();
      const text = await result.innerText();
      assert.match(text, /rak_subscription_read/);
      assert.match(text, /rak_payout_read/);
      assert.match(text, /grant these to the restricted key/);
      await page.getByRole('button', { name: 'Save Integration' }).click();
      await page.locator('.message-success').getByText('Integration added').waitFor();
      await page.locator('.message-warning').getByText(/missing permissions: .*rak_payout_read/).waitFor();
      // The message comes with the navigation; the list follows once loaded.
      const row = page.locator('tr', { hasText: 'Demo restricted' });
      await row.waitFor();
      assert.equal(await row.locator('.badge').filter({ hasText: 'Missing permissions' }).count(), 1);
    });

    test('Cancel returns to the list with nothing changed', async (page) => {
      await stack.signIn(page);
      const before = await stack.admin.integrations();
      await openAddForm(page);
      await fillForm(page, { name: 'Never saved', key: KEYS.secret });
      await page.getByRole('link', { name: 'Cancel' }).click();
      await page.getByRole('heading', { name: 'External Integrations' }).waitFor();
      assert.equal(await page.getByText('Never saved').count(), 0);
      assert.deepEqual((await stack.admin.integrations()).map((i) => i.id), before.map((i) => i.id));
    });

    test('when Stripe fails: Test and Save Integration say so, nothing is added', async (page) => {
      await stack.signIn(page);
      const before = (await stack.admin.integrations()).length;
      await openAddForm(page);
      await fillForm(page, { name: 'Stripe down', key: KEYS.secret });
      await stack.emulator('/_emulator/faults', { status: '500', count: '100', should_retry: 'false' });
      try {
        await page.getByRole('button', { name: 'Test' }).click();
        await page.locator('.test-result.bad').getByText(/^Connection unavailable: Stripe answered with an error \(HTTP 500/).waitFor();
        await page.getByRole('button', { name: 'Save Integration' }).click();
        await page.locator('div.form-error').getByText(/nothing was saved/).waitFor();
      } finally {
        await stack.emulator('/_emulator/faults', { status: '500', count: '0' });
      }
      assert.equal((await stack.admin.integrations()).length, before);
    });
  });

  describe('An integration', () => {
    let integration;
    before(async () => {
      const added = await stack.admin.call('POST', '/integrations',
        { name: 'Managed', secret_key: KEYS.secret });
      assert.equal(added.status, 201, JSON.stringify(added.json));
      integration = added.json.integration;
    });

    test('Edit changes the name with a confirmation', async (page) => {
      await stack.signIn(page);
      await page.goto(`${stack.url}/#/integrations`);
      await page.locator('tr', { hasText: 'Managed' }).getByRole('link', { name: 'Edit' }).click();
      await page.getByLabel('Name').fill('Managed (renamed)');
      await page.getByRole('button', { name: 'Save Integration' }).click();
      await page.locator('.message-success').getByText('Integration updated').waitFor();
      await page.getByRole('heading', { name: 'Managed (renamed)' }).waitFor();
      const stored = (await stack.admin.call('GET', `/integrations/${integration.id}`)).json.integration;
      assert.equal(stored.name, 'Managed (renamed)');
    });

    test('the switch deactivates and activates it, with confirmations', async (page) => {
      await stack.signIn(page);
      await page.goto(`${stack.url}/#/integrations`);
      const toggle = page.locator(`tr[data-integration-id="${integration.id}"]`).getByRole('switch');
      await toggle.click();
      await page.locator('.message-success').getByText('Integration deactivated').waitFor();
      await waitUntil(async () => !(await stack.admin.call('GET', `/integrations/${integration.id}`)).json.integration.active,
        'the integration to be inactive');
      assert.equal(await toggle.isChecked(), false);
      await toggle.press('Space');  // the keyboard works the switch too
      await page.locator('.message-success').getByText('Integration activated').waitFor();
      await waitUntil(async () => (await stack.admin.call('GET', `/integrations/${integration.id}`)).json.integration.active,
        'the integration to be active');
    });

    test('details show the masked key, health, account, sync per stream with Refresh, and the audit trail', async (page) => {
      await stack.signIn(page);
      await page.goto(`${stack.url}/#/integrations/${integration.id}`);
      const details = page.locator('dl.details');
      await details.waitFor();
      const text = await details.innerText();
      assert.match(text, /sk_test_\.\.\.0000/);
      assert.match(text, /Emulator Demo Ltd/);
      assert.match(text, /acct_emu_demo/);
      assert.match(text, /OK/);
      assert.equal((await page.content()).includes(KEYS.secret), false);
      assert.match(await page.getByRole('region', { name: 'Audit trail' }).innerText(),
        /Added integration 'Managed'/);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByText('Sync started').waitFor();
      await page.locator('.sync-summary').getByText(/Last sync succeeded/).waitFor({ timeout: 60000 });
      const customers = page.locator('tr', { has: page.getByRole('rowheader', { name: 'customers', exact: true }) });
      assert.match(await customers.innerText(), /Synced/);
      assert.ok(Number((await customers.locator('td.number').innerText()).replace(/\D/g, '')) > 0);
    });

    test('Delete asks first: dismissing keeps it, confirming deletes it', async (page) => {
      await stack.signIn(page);
      await page.goto(`${stack.url}/#/integrations`);
      const row = page.locator(`tr[data-integration-id="${integration.id}"]`);
      await row.getByRole('button', { name: /^Delete/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('heading', { name: 'Delete integration?' }).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await row.count(), 1);
      assert.equal(await page.locator('.message').count(), 0);
      assert.equal((await stack.admin.call('GET', `/integrations/${integration.id}`)).status, 200);

      await row.getByRole('button', { name: /^Delete/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await page.locator('.message-success').getByText('Integration deleted').waitFor();
      await row.waitFor({ state: 'detached' });
      assert.equal((await stack.admin.call('GET', `/integrations/${integration.id}`)).status, 404);
    });
  });

  test('Reconnect after the key is revoked in the emulator restores its health', async (page) => {
    const { key } = await stack.emulator('/_emulator/keys', { account: 'acct_emu_demo', kind: 'secret', livemode: 'false' });
    const added = await stack.admin.call('POST', '/integrations', { name: 'Revoked later', secret_key: key });
    assert.equal(added.status, 201, JSON.stringify(added.json));
    const id = added.json.integration.id;
    await stack.emulator('/_emulator/keys/revoke', { key });

    await stack.signIn(page);
    await page.goto(`${stack.url}/#/integrations/${id}`);
    await page.getByRole('button', { name: 'Test' }).click();
    await page.locator('.test-result.bad').getByText(/^Connection unavailable: Stripe does not accept the key/).waitFor();
    await page.locator('dl.details .badge').getByText('Needs reconnect').waitFor();

    await page.getByRole('button', { name: 'Reconnect' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New secret or restricted key').fill(KEYS.expired);
    await dialog.getByRole('button', { name: 'Reconnect' }).click();
    // A key Stripe refuses is explained in the dialog, which stays open.
    await dialog.locator('.field-error').getByText(/Expired API Key provided/).waitFor();
    await dialog.getByLabel('New secret or restricted key').fill(KEYS.secret);
    await dialog.getByRole('button', { name: 'Reconnect' }).click();
    await page.locator('.message-success').getByText('Integration updated').waitFor();
    await page.locator('dl.details .badge').getByText('OK', { exact: true }).waitFor();
    const stored = (await stack.admin.call('GET', `/integrations/${id}`)).json.integration;
    assert.equal(stored.health.state, 'ok');
    assert.equal(stored.secret_key_masked, 'sk_test_...0000');
  });
});
