// Stripe Connect: the platform settings (admins, #/settings) and "Connect with Stripe", which
// starts an authorization and sends the window to Stripe's authorize page. Stripe sends the
// browser back to the server-rendered /oauth/stripe/callback page, which links into the app.
import { get, put } from '../api.js';
import { h, field, flash, pageHeader, busy, uniqueId, linkButton } from '../dom.js';
import { navigate } from '../session.js';
import { connectBlock } from '../components/stripe_connect.js';

// Where a settings error belongs, by the API's error code.
const SETTINGS_FIELD_OF_ERROR = {
  invalid_client_id: 'client_id',
  invalid_secret_key: 'secret_key',
  invalid_redirect_url: 'redirect_url',
  invalid_scope: 'scope',
};

function radioGroup({ legend, name, options, value }) {
  const errorId = uniqueId(`${name}-error`);
  const inputs = options.map(([optionValue, text, help]) => {
    const id = uniqueId(name);
    const input = h('input', { id, type: 'radio', name, value: optionValue, checked: optionValue === value });
    return { input, element: h('div', { class: 'checkbox-field' }, input,
      h('label', { for: id }, text, help ? h('span', { class: 'muted small' }, ` — ${help}`) : null)) };
  });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  return {
    wrapper: h('fieldset', { class: 'field', 'aria-describedby': errorId },
      h('legend', {}, legend), inputs.map((i) => i.element), error),
    input: inputs[0].input,
    value: () => inputs.find((i) => i.input.checked)?.input.value ?? value,
    showError(text) {
      error.textContent = text;
      error.hidden = false;
    },
    clearError() {
      error.hidden = true;
      error.textContent = '';
    },
  };
}

export async function stripeConnectSettingsPage() {
  const settings = await get('/settings/stripe-connect');
  const callbackUrl = `${location.origin}/oauth/stripe/callback`;
  const fields = {
    client_id: field({
      label: 'Client ID', name: 'client_id', required: true, value: settings.client_id ?? '',
      help: 'Stripe Dashboard → Settings → Connect → Onboarding options → OAuth: the live or test client ID (ca_...).',
    }),
    secret_key: field({
      label: settings.configured ? 'Platform secret key (enter it again to save)' : 'Platform secret key',
      name: 'secret_key', type: 'password', required: true, autocomplete: 'new-password',
      help: settings.configured
        ? `The saved key is ${settings.secret_key}. It is never shown again; saving needs the key, which Stripe checks first.`
        : 'The platform account\'s secret key (sk_live_... or sk_test_...), checked with Stripe before it is saved, then stored encrypted.',
    }),
    redirect_url: field({
      label: 'Redirect URL', name: 'redirect_url', required: true, value: settings.redirect_url ?? callbackUrl,
      help: `Add this exact URL to the Connect settings' redirect URIs in Stripe. Stripeline's callback is ${callbackUrl}.`,
    }),
  };
  fields.scope = radioGroup({
    legend: 'Access requested', name: 'scope', value: settings.scope ?? 'read_only',
    options: [['read_only', 'Read only', 'enough to sync (recommended)'],
      ['read_write', 'Read and write', 'only if another tool needs it']],
  });
  const status = h('p', { class: 'muted', id: 'connect-status' }, settings.configured
    ? `Configured for platform ${settings.platform_account_id}.`
    : 'Not configured yet: "Connect with Stripe" needs these settings.');
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'button' }, 'Save settings');
  const form = h('form', { class: 'card integration-form', novalidate: true, 'aria-labelledby': 'connect-heading' },
    h('h2', { id: 'connect-heading' }, 'Stripe Connect (OAuth)'), status,
    fields.client_id.wrapper, fields.secret_key.wrapper, fields.redirect_url.wrapper, fields.scope.wrapper,
    error, h('div', { class: 'actions' }, save));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(save, async () => {
      error.hidden = true;
      for (const f of Object.values(fields)) f.clearError();
      const body = {
        client_id: fields.client_id.input.value.trim(),
        secret_key: fields.secret_key.input.value.trim(),
        redirect_url: fields.redirect_url.input.value.trim(),
        scope: fields.scope.value(),
      };
      for (const name of ['client_id', 'secret_key', 'redirect_url']) {
        if (!body[name]) {
          fields[name].showError('This field is required.');
          fields[name].input.focus();
          return;
        }
      }
      try {
        const answer = await put('/settings/stripe-connect', body);
        fields.secret_key.input.value = '';
        flash(answer.message, 'success');
        navigate('/settings');
      } catch (failure) {
        const name = SETTINGS_FIELD_OF_ERROR[failure.code];
        if (name) {
          fields[name].showError(failure.message);
          fields[name].input.focus();
        } else {
          error.textContent = failure.message;
          error.hidden = false;
        }
      }
    });
  });
  return h('section', {}, pageHeader('Settings'), form);
}

// #/integrations/connect?client=...: Connect with Stripe from a client's Data Sources.
export async function connectStripePage({ query }) {
  const clientId = query.get('client') || '';
  const { client } = clientId ? await get(`/clients/${encodeURIComponent(clientId)}`) : { client: null };
  const back = client ? `/clients/${encodeURIComponent(client.id)}` : '/integrations';
  const name = field({
    label: 'Name', name: 'name', required: true,
    help: 'How this connection is called in Stripeline, e.g. the business or account it reaches.',
  });
  const block = connectBlock(() => {
    name.clearError();
    const value = name.input.value.trim();
    if (!value) {
      name.showError('Enter a name.');
      name.input.focus();
      return null;
    }
    return { name: value, clientId };
  });
  const form = h('form', { class: 'card integration-form', novalidate: true },
    client ? h('p', {}, 'For client ', h('strong', {}, client.name), '.') : null,
    name.wrapper, block, h('div', { class: 'actions' }, linkButton(`#${back}`, 'Cancel', 'secondary')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    block.querySelector('button').click();
  });
  return h('section', {}, pageHeader('Connect with Stripe'), form);
}
