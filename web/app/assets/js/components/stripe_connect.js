// Connect with Stripe from a form: the part of the form that starts it, and the start itself
// (the Add Integration form, the Connect page, an integration's Reconnect).
import { post } from '../api.js';
import { h, field, busy } from '../dom.js';
import { isAdmin } from '../session.js';

// Starts Connect with Stripe for `name` (and `clientId`, `expectedAccount`), or to reconnect the
// OAuth integration `integrationId` in place, and sends the window to Stripe. On an error it
// fills `error` (with a link to the settings when Connect is not set up) and returns false.
export async function connectWithStripe({ name, clientId, expectedAccount, integrationId }, error) {
  try {
    const started = await post('/oauth/stripe/start', integrationId
      ? { integration_id: integrationId }
      : { name, client_id: clientId || null, expected_account: expectedAccount || null });
    window.location.assign(started.authorize_url);
    return true;
  } catch (failure) {
    const notConfigured = failure.code === 'stripe_connect_not_configured';
    error.replaceChildren(
      notConfigured ? 'Connect with Stripe is not set up yet: an administrator enters the Stripe Connect settings once. ' : failure.message,
      notConfigured && isAdmin() ? h('a', { href: '#/settings' }, 'Open the Stripe Connect settings') : null);
    error.hidden = false;
    return false;
  }
}

// The part of a form that connects through Stripe: an optional expected account and the
// button. `values()` gives {name, clientId} from the surrounding form (null: it showed why not).
export function connectBlock(values) {
  const expected = field({
    label: 'Expected account', name: 'expected_account',
    help: 'Optional: the Stripe account (acct_...) you mean to connect; any other account is refused.',
  });
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'button', class: 'button', id: 'connect-with-stripe' }, 'Connect with Stripe');
  button.addEventListener('click', () => busy(button, async () => {
    error.hidden = true;
    const chosen = values();
    if (!chosen) return;
    await connectWithStripe({ ...chosen, expectedAccount: expected.input.value.trim() }, error);
  }));
  return h('div', { class: 'connect-block' },
    h('p', { class: 'muted' }, 'You sign in to Stripe, choose the account and approve read access; Stripe sends you back here.'),
    expected.wrapper, error, h('div', { class: 'actions' }, button));
}
