// Who is signed in, shared by the router (app.js) and the pages: the current user, their CSRF
// token (handed to api.js, which sends it with every change), and moving to another page.
// Pages import this module and never app.js, so app.js only routes: it draws the page the
// address names whenever the address changes.
import { get, setCsrfToken } from './api.js';

const session = { user: null };

export const isAdmin = () => session.user?.role === 'admin';
export const currentUser = () => session.user;

// Where a signed-in user starts: administrators at the integrations, everyone else at clients.
export function homePath() {
  return isAdmin() ? '/integrations' : '/clients';
}

// Shows the page at `path` ("/clients/cli_1"); the page already shown is drawn again.
export function navigate(path) {
  if (location.hash === `#${path}`) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = path;
}

// After the login form: remembers the user and their token, then goes to `next` (or home).
export function signedIn(user, csrfToken, next) {
  session.user = user;
  setCsrfToken(csrfToken);
  navigate(next && next !== '/login' ? next : homePath());
}

// Forgets the user and their token (signed out, or the session ended).
export function signedOut() {
  session.user = null;
  setCsrfToken('');
}

// Asks the server who this browser is signed in as (nobody on 401). Throws the API's other
// errors, signed out.
export async function loadSession() {
  try {
    const current = await get('/auth/session');
    session.user = current.user;
    setCsrfToken(current.csrf_token);
  } catch (error) {
    signedOut();
    if (error.status !== 401) throw error;
  }
}
