// Clients and their Data Sources (a client with two Stripe accounts, each with its own name),
// users with roles and API tokens, and what members and viewers may see and do.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, ApiSession, KEYS, browserTests } from './harness.mjs';

describe('Clients, users and roles', () => {
  let stack;
  before(async () => { stack = await Stack.start(); });
  after(async () => { await stack?.stop(); });
  const test = browserTests('clients', () => stack);

  async function addAccount(page, button, { name, accountId }) {
    await page.getByRole('link', { name: button }).click();
    await page.getByRole('button', { name: /^Stripe/ }).click();
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Secret or restricted key').fill(KEYS.secret);
    await page.getByLabel(/Account ID/).fill(accountId);
    await page.getByRole('button', { name: 'Save Integration' }).click();
    await page.locator('.message-success').getByText('Integration added').waitFor();
  }

  test('a client with two Stripe accounts: Add new, Add account, each with its own name; Remove asks first', async (page) => {
    await stack.signIn(page);
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('Client name').fill('Northwind');
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.locator('.message-success').getByText('Client added').waitFor();
    // The page redrew with the new client; the keyboard is still on the button it used.
    await page.getByRole('link', { name: 'Northwind' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Add client');
    await page.getByRole('link', { name: 'Northwind' }).click();
    await page.getByRole('heading', { name: 'Data Sources' }).waitFor();
    await page.getByText('No Stripe account is connected to this client yet.').waitFor();

    await addAccount(page, 'Add new', { name: 'Coffee shop', accountId: 'acct_emu_connected_1' });
    await page.getByRole('heading', { name: 'Northwind' }).waitFor();  // back on the client
    await addAccount(page, 'Add account', { name: 'Bookshop', accountId: 'acct_emu_connected_2' });
    const rows = page.locator('table.list tbody tr');
    await rows.filter({ hasText: 'Bookshop' }).waitFor();
    assert.equal(await rows.count(), 2);
    assert.match(await rows.filter({ hasText: 'Coffee shop' }).innerText(), /Northwind Coffee/);
    assert.match(await rows.filter({ hasText: 'Bookshop' }).innerText(), /Bluebird Books/);
    const clients = (await stack.admin.call('GET', '/clients')).json.data;
    const northwind = clients.find((c) => c.name === 'Northwind');
    const sources = (await stack.admin.call('GET', `/clients/${northwind.id}/integrations`)).json.data;
    assert.deepEqual(sources.map((s) => s.stripe_account.id).sort(), ['acct_emu_connected_1', 'acct_emu_connected_2']);

    // Remove: dismissed keeps it; confirmed removes it.
    await rows.filter({ hasText: 'Bookshop' }).getByRole('button', { name: 'Remove Bookshop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await rows.count(), 2);
    await rows.filter({ hasText: 'Bookshop' }).getByRole('button', { name: 'Remove Bookshop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.locator('.message-success').getByText('Integration deleted').waitFor();
    await rows.filter({ hasText: 'Bookshop' }).waitFor({ state: 'detached' });
    await rows.filter({ hasText: 'Coffee shop' }).waitFor();
    assert.equal(await rows.count(), 1);
  });

  test('users: add a member and a viewer, change a role, disable; an API token is shown once', async (page) => {
    await stack.signIn(page);
    await page.getByRole('link', { name: 'Users' }).click();
    for (const [email, role] of [['member@example.com', 'Member'], ['viewer@example.com', 'Viewer'], ['temp@example.com', 'Viewer']]) {
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Role', { exact: true }).selectOption({ label: role });
      await page.getByLabel('First password').fill('a-long-password');
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.locator('tr', { hasText: email }).waitFor();
    }
    await page.locator('.message-success').getByText('User added').first().waitFor();

    await page.getByLabel('Role of temp@example.com').selectOption('member');
    await page.locator('.message-success').getByText('User updated').waitFor();
    await page.getByRole('button', { name: 'Disable temp@example.com' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await page.locator('tr', { hasText: 'temp@example.com' }).getByText('Disabled').waitFor();
    const users = (await stack.admin.call('GET', '/users')).json.data;
    const temp = users.find((u) => u.email === 'temp@example.com');
    assert.equal(temp.role, 'member');
    assert.equal(temp.disabled, true);

    await page.getByLabel('Token name').fill('warehouse loader');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.locator('.token-value').innerText();
    assert.match(token, /^slt_/);
    const check = await fetch(`${stack.url}/api/v1/integrations`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(check.status, 200);
    await page.reload();
    await page.getByText('warehouse loader', { exact: true }).waitFor();
    assert.equal((await page.content()).includes(token), false);
  });

  test('members see only the clients they are given and no action they may not take; the API refuses them anyway', async (page) => {
    const admin = stack.admin;
    const globex = (await admin.call('POST', '/clients', { name: 'Globex' })).json.client;
    await admin.call('POST', '/integrations', { name: 'Globex main', secret_key: KEYS.secret, client_id: globex.id });
    await admin.call('POST', '/users', { email: 'member2@example.com', role: 'member', password: 'a-long-password' });
    const northwind = (await admin.call('GET', '/clients')).json.data.find((c) => c.name === 'Northwind');

    // The admin gives the member Northwind from the client's page.
    const adminPage = await stack.newPage();
    await stack.signIn(adminPage);
    await adminPage.goto(`${stack.url}/#/clients/${northwind.id}`);
    await adminPage.getByLabel('Email of a member or viewer').fill('member2@example.com');
    await adminPage.getByRole('button', { name: 'Give access' }).click();
    await adminPage.locator('.message-success').getByText('Access granted').waitFor();
    await adminPage.locator('.member-list').getByText('member2@example.com').waitFor();
    await adminPage.context().close();

    await stack.signIn(page, 'member2@example.com', 'a-long-password');
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['Clients']);
    await page.getByRole('link', { name: 'Northwind' }).waitFor();
    assert.equal(await page.getByText('Globex').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Add client' }).count(), 0);

    await page.getByRole('link', { name: 'Northwind' }).click();
    await page.getByRole('heading', { name: 'Data Sources' }).waitFor();
    await page.getByRole('link', { name: 'Coffee shop' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Add account' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Remove/ }).count(), 0);
    assert.equal(await page.getByRole('heading', { name: 'Access' }).count(), 0);

    await page.getByRole('link', { name: 'Coffee shop' }).click();
    await page.locator('dl.details').waitFor();
    await page.getByRole('button', { name: 'Test' }).waitFor();     // members may test
    await page.getByRole('button', { name: 'Refresh' }).waitFor();  // ... and sync now
    for (const name of ['Edit', 'Delete', 'Reconnect']) {
      assert.equal(await page.getByRole('button', { name }).or(page.getByRole('link', { name })).count(), 0, name);
    }
    assert.equal(await page.getByRole('switch').count(), 0);

    // Pages for admins are not there, and the API refuses what the page does not offer.
    await page.goto(`${stack.url}/#/integrations`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    const refused = await page.evaluate(async (key) => {
      const { csrf_token: csrf } = await (await fetch('/api/v1/auth/session')).json();
      const answer = await fetch('/api/v1/integrations', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify({ name: 'Sneaky', secret_key: key }),
      });
      return answer.status;
    }, KEYS.secret);
    assert.equal(refused, 403);
    const member = await ApiSession.signIn(stack.url, 'member2@example.com', 'a-long-password');
    assert.equal((await member.call('GET', `/clients/${globex.id}`)).status, 404);
  });

  test('viewers only read: no Test, no Refresh', async (page) => {
    const admin = stack.admin;
    await admin.call('POST', '/users', { email: 'reader@example.com', role: 'viewer', password: 'a-long-password' });
    const northwind = (await admin.call('GET', '/clients')).json.data.find((c) => c.name === 'Northwind');
    assert.equal((await admin.call('POST', `/clients/${northwind.id}/members`, { email: 'reader@example.com' })).status, 200);
    await stack.signIn(page, 'reader@example.com', 'a-long-password');
    await page.getByRole('link', { name: 'Northwind' }).click();
    await page.getByRole('link', { name: 'Coffee shop' }).click();
    await page.locator('dl.details').waitFor();
    await page.getByRole('heading', { name: 'Sync' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Test' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Refresh' }).count(), 0);
  });
});
