// The browser tests' harness: runs `stripeline emulator` and `stripeline serve` as real
// processes on free loopback ports (the way tests/integration/harness.cc does: port 0, then the
// "listening on" line), and Debian's Chromium through playwright-core. One stack per test file;
// each test gets a fresh browser context (no cookies) and leaves a screenshot of its final page
// in build/screenshots/.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const binary = process.env.STRIPELINE_BINARY ?? path.join(repo, 'build/stripeline');
export const screenshotDir = process.env.STRIPELINE_SCREENSHOT_DIR ?? path.join(repo, 'build/screenshots');

export const ADMIN_EMAIL = 'admin@localhost';
export const ADMIN_PASSWORD = 'correct-horse-battery';
export const KEYS = {
  secret: 'sk_test_emu_demo_secret_0000000000000000',
  live: 'sk_live_emu_demo_secret_0000000000000000',
  restricted: 'rk_test_emu_demo_readonly_00000000000000',
  expired: 'sk_test_emu_demo_expired_000000000000000',
  publishable: 'pk_test_emu_demo_publishable_00000000000',
};

// What the machine's notes say Chromium needs here: no GPU, and no background connections to
// Google's hosts (the network is closed). Playwright adds --headless and a fresh user-data-dir.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Starts `argv`, resolves with {child, url} once stdout has a line with "listening on <url>".
function startProcess(argv, env, logFile, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const log = openSync(logFile, 'a');
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', log] });
    closeSync(log);
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.slice(0, 2).join(' ')} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${argv.slice(0, 2).join(' ')} exited with ${code}:\n${output}\n${readFileSync(logFile, 'utf8')}`));
    });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: match[1] });
      }
    });
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export class Stack {
  static async start() {
    const stack = new Stack();
    stack.dataDir = mkdtempSync(path.join(tmpdir(), 'stripeline-browser-'));
    mkdirSync(screenshotDir, { recursive: true });
    const emulator = await startProcess([binary, 'emulator', '--listen', '127.0.0.1:0'], {},
      path.join(stack.dataDir, 'emulator.log'));
    stack.emulatorProcess = emulator.child;
    stack.emulatorUrl = emulator.url;
    const server = await startProcess(
      [binary, 'serve', '--listen', '127.0.0.1:0', '--data-dir', stack.dataDir,
        '--stripe-api-base', stack.emulatorUrl, '--stripe-connect-base', stack.emulatorUrl,
        '--sync-interval', '0'],
      { STRIPELINE_ADMIN_PASSWORD: ADMIN_PASSWORD }, path.join(stack.dataDir, 'server.log'));
    stack.serverProcess = server.child;
    stack.url = server.url;
    stack.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    stack.admin = await ApiSession.signIn(stack.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    return stack;
  }

  async stop() {
    await this.browser?.close();
    if (this.serverProcess) await stopProcess(this.serverProcess);
    if (this.emulatorProcess) await stopProcess(this.emulatorProcess);
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  // A fresh browser context and page, recording what a test must not see: page errors,
  // console errors (a CSP violation is one) and requests to any other origin.
  // The locale is fixed so tests can spell the numbers they expect; timezoneId (an IANA zone)
  // is the browser's zone, the one the dashboards show their dates in.
  async newPage({ width = 1280, height = 860, timezoneId = 'UTC' } = {}) {
    const context = await this.browser.newContext({ viewport: { width, height }, locale: 'en-US', timezoneId });
    const page = await context.newPage();
    page.setDefaultTimeout(15000);
    page.problems = [];
    page.on('pageerror', (error) => page.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of (401|403|404|409|422|503)/.test(message.text())) {
        page.problems.push(`console error: ${message.text()}`);
      }
    });
    const origin = new URL(this.url).origin;
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== origin && url.protocol !== 'data:') page.problems.push(`request to ${request.url()}`);
    });
    return page;
  }

  // Signs the page in through the API (the login form has tests of its own in
  // session.test.mjs): the session cookie goes into the page's context, then the app loads.
  async signIn(page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
    const session = await ApiSession.signIn(this.url, email, password);
    const equals = session.cookie.indexOf('=');
    await page.context().addCookies([{
      name: session.cookie.slice(0, equals), value: session.cookie.slice(equals + 1),
      url: this.url, httpOnly: true, sameSite: 'Strict',
    }]);
    await page.goto(this.url);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  // The emulator's admin API (form-encoded POST).
  async emulator(pathname, form = {}) {
    const response = await fetch(`${this.emulatorUrl}${pathname}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`emulator ${pathname}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }
}

// Registers browser tests of `file`: test(name, body(page, stack), pageOptions) runs body on a
// fresh page of the stack `getStack()` returns (started by the suite's before hook, so it is
// looked up only when the test runs) and saves the final page as
// build/screenshots/<file>-<name>.png, whether the test passed or not. A test also fails when
// the page reported an error, a CSP violation or a request to another origin (unless it set
// page.expectedProblems, a list of regular expressions, for one it provokes).
export function browserTests(file, getStack) {
  return (name, body, pageOptions = {}) => it(name, async () => {
    const stack = getStack();
    const page = await stack.newPage(pageOptions);
    try {
      await body(page, stack);
      const problems = page.problems.filter((p) => !(page.expectedProblems ?? []).some((re) => re.test(p)));
      if (problems.length) throw new Error(`The page reported problems:\n${problems.join('\n')}`);
    } finally {
      const slug = `${file}-${name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);
      await page.screenshot({ path: path.join(screenshotDir, `${slug}.png`), fullPage: true }).catch(() => {});
      await page.context().close();
    }
  });
}

// The REST API as a signed-in user, for setting up and checking state outside the page.
export class ApiSession {
  static async signIn(url, email, password) {
    const response = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(`login as ${email}: ${JSON.stringify(body)}`);
    const session = new ApiSession();
    session.url = url;
    session.cookie = response.headers.get('set-cookie').split(';')[0];
    session.csrf = body.csrf_token;
    return session;
  }

  async call(method, pathname, body) {
    const response = await fetch(`${this.url}/api/v1${pathname}`, {
      method,
      headers: { 'Content-Type': 'application/json', Cookie: this.cookie, 'X-CSRF-Token': this.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  async integrations() {
    return (await this.call('GET', '/integrations')).json.data;
  }

  async integrationNamed(name) {
    return (await this.integrations()).find((i) => i.name === name);
  }
}

// Polls `condition` until it is truthy or `timeoutMs` passes (then fails naming `what`).
export async function waitUntil(condition, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
