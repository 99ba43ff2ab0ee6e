// Signing in and out, a session surviving a reload and ending (back to the login page), and the
// qualities every page must have: strict CSP with nothing inline, nothing fetched from another
// origin, keyboard use with visible focus, and a layout that works at a phone's width.
import { describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Stack, ADMIN_PASSWORD, KEYS, browserTests } from './harness.mjs';

describe('Session and page quality', () => {
  let stack;
  before(async () => {
    stack = await Stack.start();
    const added = await stack.admin.call('POST', '/integrations', { name: 'Shop (test mode)', secret_key: KEYS.secret });
    assert.equal(added.status, 201, JSON.stringify(added.json));
  });
  after(async () => { await stack?.stop(); });
  const test = browserTests('session', () => stack);

  test('a wrong password is refused; signing in lands on External Integrations; reload keeps the session; Sign out ends it', async (page) => {
    await page.goto(stack.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('admin@localhost');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Email or password is incorrect.').waitFor();

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'External Integrations' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'External Integrations' }).waitFor();
    await page.getByRole('link', { name: 'Shop (test mode)' }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Signed out').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    assert.equal(session, 401);
  });

  test('when the session is gone, the next action goes back to the login page, then back to the page', async (page) => {
    await stack.signIn(page);
    await page.goto(`${stack.url}/#/integrations`);
    await page.getByRole('heading', { name: 'External Integrations' }).waitFor();
    await page.context().clearCookies();  // what an expired session cookie leaves
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('Your session has expired. Sign in again.').waitFor();
    await page.getByLabel('Email').fill('admin@localhost');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
  });

  test('every asset comes from Stripeline under a strict Content-Security-Policy, with nothing inline', async (page) => {
    const response = await page.goto(stack.url);
    const csp = response.headers()['content-security-policy'];
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers()['x-content-type-options'], 'nosniff');
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    await stack.signIn(page);
    await page.goto(`${stack.url}/#/integrations/new`);
    await page.getByRole('button', { name: /^Stripe/ }).click();
    await page.getByRole('button', { name: 'Save Integration' }).waitFor();
    const inline = await page.evaluate(() => ({
      styleAttributes: document.querySelectorAll('[style]').length,
      inlineScripts: [...document.scripts].filter((s) => !s.src).length,
      inlineStyles: document.querySelectorAll('style').length,
    }));
    assert.deepEqual(inline, { styleAttributes: 0, inlineScripts: 0, inlineStyles: 0 });
    const origin = new URL(stack.url).origin;
    assert.ok(requests.length > 5);
    assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), []);
    // An inline script is refused by the policy (and reported, which this test expects).
    page.expectedProblems = [/inline script violates the following Content Security Policy directive 'script-src/];
    const blocked = await page.evaluate(() => new Promise((resolve) => {
      document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true });
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
    }));
    assert.match(blocked, /^script-src/);
    assert.equal(await page.evaluate(() => window.__inlineRan === true), false);
  });

  test('the keyboard alone signs in and adds an integration, with a visible focus', async (page) => {
    await page.goto(stack.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id.startsWith('email')), true);
    await page.keyboard.type('admin@localhost');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'External Integrations' }).waitFor();
    // Tab to "Add Integration" and check it shows where the focus is.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement.textContent === 'Add Integration')) break;
    }
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Add Integration' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');  // Stripe, the first available integration
    await page.getByLabel('Name').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.name), 'name');
    await page.keyboard.type('Typed in');
    await page.keyboard.press('Tab');  // auth scheme
    await page.keyboard.press('Tab');  // key
    await page.keyboard.type(KEYS.secret);
    await page.keyboard.press('Enter');  // submits: Save Integration
    await page.locator('.message-success').getByText('Integration added').waitFor();
    await page.getByRole('link', { name: 'Typed in' }).waitFor();
  });

  test('at a phone width the list stacks into labelled cards without sideways scrolling', async (page) => {
    await stack.signIn(page);
    await page.goto(`${stack.url}/#/integrations`);
    await page.getByRole('link', { name: 'Shop (test mode)' }).waitFor();
    const layout = await page.evaluate(() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      headerShown: getComputedStyle(document.querySelector('table.list thead')).position !== 'absolute',
      label: getComputedStyle(document.querySelector('td[data-label="Health"]'), '::before').content,
    }));
    assert.equal(layout.overflow <= 0, true, `the page is ${layout.overflow}px wider than the screen`);
    assert.equal(layout.headerShown, false);
    assert.equal(layout.label, '"Health"');
    await page.getByRole('link', { name: 'Shop (test mode)' }).click();
    await page.locator('dl.details').waitFor();
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
  }, { width: 390, height: 844 });
});
