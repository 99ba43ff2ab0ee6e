// The admin web app's router: signs in, then routes #/... to a page. Each page is an async
// function that returns its content; while it loads the page says so, and when it fails it says
// why and offers to try again. A 401 from any call means the session is gone: back to the login
// page. Who is signed in lives in session.js, which the pages import (never this module).
import { ApiError, post, setSessionLostHandler } from './api.js';
import { h, resetMessages, flash, notify, takeFocusBeforeBusy, focusKey, findByFocusKey } from './dom.js';
import { loginPage } from './pages/login.js';
import { integrationsPage } from './pages/integrations.js';
import { addIntegrationPage, editIntegrationPage } from './pages/integration_form.js';
import { integrationDetailsPage } from './pages/integration_details.js';
import { clientsPage, clientPage } from './pages/clients.js';
import { dashboardPage } from './pages/dashboard.js';
import { reportPage } from './pages/report.js';
import { usersPage } from './pages/users.js';
import { stripeConnectSettingsPage, connectStripePage } from './pages/stripe_connect.js';
import { currentUser, isAdmin, homePath, navigate, signedOut, loadSession } from './session.js';

const ROUTES = [
  [/^\/integrations$/, integrationsPage, 'admin'],
  [/^\/integrations\/new$/, addIntegrationPage, 'admin'],
  [/^\/integrations\/connect$/, connectStripePage, 'admin'],
  [/^\/integrations\/([^/]+)\/edit$/, editIntegrationPage, 'admin'],
  [/^\/integrations\/([^/]+)$/, integrationDetailsPage],
  [/^\/clients$/, clientsPage],
  [/^\/clients\/([^/]+)$/, clientPage],
  [/^\/clients\/([^/]+)\/dashboard$/, dashboardPage],
  [/^\/clients\/([^/]+)\/report$/, reportPage],
  [/^\/users$/, usersPage, 'admin'],
  [/^\/settings$/, stripeConnectSettingsPage, 'admin'],
];

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function renderChrome() {
  const topbar = document.getElementById('topbar');
  const nav = document.getElementById('nav');
  const account = document.getElementById('account');
  const user = currentUser();
  if (!user) {
    topbar.hidden = true;
    return;
  }
  topbar.hidden = false;
  const { path } = parseHash();
  const links = [
    isAdmin() ? ['/integrations', 'External Integrations'] : null,
    ['/clients', 'Clients'],
    isAdmin() ? ['/users', 'Users'] : null,
    isAdmin() ? ['/settings', 'Settings'] : null,
  ].filter(Boolean);
  nav.replaceChildren(h('ul', {}, links.map(([href, text]) => h('li', {},
    h('a', { href: `#${href}`, 'aria-current': path.startsWith(href) ? 'page' : null }, text)))));
  account.replaceChildren(
    h('span', { class: 'who' }, user.email, ' ', h('span', { class: 'role' }, user.role)),
    h('button', { type: 'button', class: 'button secondary small', onclick: signOut }, 'Sign out'));
}

async function signOut() {
  try {
    await post('/auth/logout');
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) {
      notify(error.message, 'error');
      return;
    }
  }
  signedOut();
  flash('Signed out', 'info');
  navigate('/login');
}

let renderCount = 0;

// options.refresh: the same page again after an action on it: its message and its content stay
// until the new content is ready (no flash of "Loading…").
async function render(options = {}) {
  const mine = ++renderCount;
  const refresh = options.refresh === true;
  const { path, query } = parseHash();
  const main = document.getElementById('main');
  if (!refresh) {
    resetMessages();
    takeFocusBeforeBusy(); // a new page: nothing to give focus back to
  }
  if (!currentUser()) {
    renderChrome();
    const next = path === '/login' ? query.get('next') : path;
    main.replaceChildren(loginPage({ next }));
    document.title = 'Sign in · Stripeline';
    main.querySelector('input')?.focus();
    return;
  }
  if (path === '/login' || path === '/') {
    navigate(homePath());
    return;
  }
  renderChrome();
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  if (!route || (route[2] === 'admin' && !isAdmin())) {
    main.replaceChildren(h('section', { class: 'error-state' },
      h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', {}, 'There is nothing here, or it is not available to you.'),
      h('a', { href: `#${homePath()}`, class: 'button' }, 'Go to the start page')));
    return;
  }
  const [pattern, page] = route;
  const params = path.match(pattern).slice(1).map(decodeURIComponent);
  main.setAttribute('aria-busy', 'true');
  if (!refresh) main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    const content = await page({ params, query, rerender: render });
    if (mine !== renderCount) return; // the user moved on meanwhile
    // After an action that redraws the same page, the keyboard stays where it was: on the same
    // control when it is still there, else on the page's heading.
    const active = document.activeElement === document.body ? takeFocusBeforeBusy() : document.activeElement;
    const focused = refresh ? focusKey(main, active) : null;
    const lostFocus = refresh && (focused !== null || document.activeElement === document.body);
    main.replaceChildren(content);
    const heading = main.querySelector('h1');
    document.title = `${heading?.textContent ?? 'Stripeline'} · Stripeline`;
    if (!refresh) heading?.focus({ preventScroll: true });
    else if (lostFocus) (findByFocusKey(main, focused) ?? heading)?.focus({ preventScroll: true });
  } catch (error) {
    if (mine !== renderCount) return;
    if (error instanceof ApiError && error.status === 401) return; // handled: back to login
    main.replaceChildren(h('section', { class: 'error-state', role: 'alert' },
      h('h1', { tabindex: '-1' }, error.status === 404 ? 'Not found' : 'Something went wrong'),
      h('p', {}, error.message),
      h('button', { type: 'button', class: 'button', onclick: () => render() }, 'Try again')));
  } finally {
    if (mine === renderCount) main.removeAttribute('aria-busy');
  }
}

setSessionLostHandler(() => {
  if (!currentUser()) return;
  signedOut();
  flash('Your session has expired. Sign in again.', 'info');
  const { path } = parseHash();
  navigate(`/login?next=${encodeURIComponent(path)}`);
});

async function start() {
  try {
    await loadSession();
  } catch (error) {
    flash(error.message, 'error');
  }
  // Every move to a page, session.js's navigate included, is a change of the address.
  window.addEventListener('hashchange', () => render());
  render();
}

start();
