// Add Integration and Edit: choose Stripe from the available integrations, then name, auth
// scheme, key (a password field, never shown again once saved), optional Account ID, client and
// the active switch. Test checks the key without saving; Save Integration validates it against
// Stripe and shows the API's error next to the field it is about.
import { get, post, patch } from '../api.js';
import { h, field, selectField, switchField, flash, pageHeader, busy, linkButton } from '../dom.js';
import { navigate } from '../session.js';
import { connectBlock } from '../components/stripe_connect.js';
import { connectionResult } from '../components/integration.js';

// Where a field's error belongs, by the API's error code.
const FIELD_OF_ERROR = {
  invalid_secret_key: 'secret_key',
  invalid_name: 'name',
  invalid_account_id: 'account_id',
  account_mismatch: 'secret_key',
  invalid_field: null,
};

function formError() {
  return h('div', { class: 'form-error', role: 'alert', hidden: true });
}

function showFormError(box, text) {
  box.textContent = text;
  box.hidden = false;
}

// Shows an API error next to its field when it is about one, else above the buttons.
function showSaveError(error, fields, box) {
  const name = FIELD_OF_ERROR[error.code];
  if (name && fields[name]) {
    fields[name].showError(error.message);
    fields[name].input.focus();
  } else {
    showFormError(box, error.message);
  }
}

export async function addIntegrationPage({ query }) {
  const [types, clients] = await Promise.all([get('/integration-types'), get('/clients')]);
  const clientId = query.get('client') || '';
  const back = clientId ? `/clients/${encodeURIComponent(clientId)}` : '/integrations';
  const container = h('div', { class: 'add-flow' });
  const chooser = h('section', { class: 'card', 'aria-labelledby': 'available-heading' },
    h('h2', { id: 'available-heading' }, 'Available integrations'),
    h('ul', { class: 'type-list' }, types.data.map((type) => h('li', {},
      h('button', {
        type: 'button', class: 'type-choice',
        onclick: () => {
          chooser.hidden = true;
          container.replaceChildren(integrationForm({ type, clients: clients.data, clientId, back }));
          container.querySelector('input')?.focus();
        },
      }, h('span', { class: 'type-name' }, type.name), h('span', { class: 'type-description' }, type.description))))),
    h('div', { class: 'actions' }, linkButton(`#${back}`, 'Cancel', 'secondary')));
  return h('section', {},
    pageHeader('Add Integration'),
    chooser, container);
}

function integrationForm({ type, clients, clientId, back }) {
  const schemes = type.auth_schemes;
  const fields = {};
  fields.name = field({ label: 'Name', name: 'name', required: true,
    help: 'How this connection is called in Stripeline, e.g. the business or account it reaches.' });
  const scheme = selectField({
    label: 'Auth scheme', name: 'auth_scheme',
    options: schemes.map((s) => [s.id, s.recommended ? `${s.name} (recommended)` : s.name]),
    value: schemes.find((s) => s.recommended)?.id ?? schemes[0]?.id,
    help: schemes[0]?.description,
  });
  scheme.help = scheme.wrapper.querySelector('.help');
  const schemeFields = h('div', {});
  const renderSchemeFields = () => {
    const chosen = schemes.find((s) => s.id === scheme.input.value) ?? schemes[0];
    for (const key of Object.keys(fields)) if (key !== 'name') delete fields[key];
    const inputs = chosen.fields.map((f) => {
      fields[f.name] = field({
        label: f.label, name: f.name, type: f.secret ? 'password' : 'text', required: f.required,
        help: f.help, autocomplete: f.secret ? 'new-password' : 'off',
      });
      return fields[f.name].wrapper;
    });
    if (scheme.help) scheme.help.textContent = chosen.description;
    if (chosen.id !== 'oauth') {
      schemeFields.replaceChildren(...inputs);
      return;
    }
    // OAuth: Connect with Stripe (the browser goes to Stripe and back), or manual entry of a
    // grant made elsewhere, saved with Save Integration like a key.
    schemeFields.replaceChildren(
      connectBlock(() => {
        fields.name.clearError();
        const name = fields.name.input.value.trim();
        if (!name) {
          fields.name.showError('Enter a name.');
          fields.name.input.focus();
          return null;
        }
        return { name, clientId: client.input.value };
      }),
      h('details', { class: 'manual-entry' },
        h('summary', {}, 'Or enter an OAuth grant by hand'), inputs));
  };
  scheme.input.addEventListener('change', renderSchemeFields);
  renderSchemeFields();
  const client = selectField({
    label: 'Client', name: 'client_id', value: clientId,
    options: [['', 'No client (system-wide)'], ...clients.map((c) => [c.id, c.name])],
  });
  const active = switchField({ label: 'Active', checked: true });
  const result = h('div', { class: 'test-area', 'aria-live': 'polite' });
  const error = formError();
  const testButton = h('button', { type: 'button', class: 'button secondary' }, 'Test');
  const saveButton = h('button', { type: 'submit', class: 'button' }, 'Save Integration');

  const request = () => {
    const body = {
      type: type.id,
      name: fields.name.input.value.trim(),
      auth_scheme: scheme.input.value,
      active: active.input.checked,
      client_id: client.input.value || null,
    };
    for (const [name, f] of Object.entries(fields)) {
      if (name === 'name') continue;
      const value = f.input.value.trim();
      body[name] = value === '' && name !== 'secret_key' ? null : value;
    }
    return body;
  };
  const clearErrors = () => {
    error.hidden = true;
    for (const f of Object.values(fields)) f.clearError();
  };
  const requireKey = () => {
    if (fields.secret_key && !fields.secret_key.input.value.trim()) {
      fields.secret_key.showError('Enter the secret or restricted key.');
      fields.secret_key.input.focus();
      return false;
    }
    return true;
  };

  testButton.addEventListener('click', () => busy(testButton, async () => {
    clearErrors();
    if (!requireKey()) return;
    result.replaceChildren(h('p', { class: 'loading' }, 'Testing the connection…'));
    try {
      result.replaceChildren(connectionResult(await post('/integrations/test', request())));
    } catch (failure) {
      result.replaceChildren();
      showSaveError(failure, fields, error);
    }
  }));

  const form = h('form', { class: 'card integration-form', novalidate: true, 'aria-labelledby': 'form-heading' },
    h('h2', { id: 'form-heading' }, type.name),
    fields.name.wrapper, scheme.wrapper, schemeFields, client.wrapper, active.wrapper,
    result, error,
    h('div', { class: 'actions' }, saveButton, testButton, linkButton(`#${back}`, 'Cancel', 'secondary')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(saveButton, async () => {
      clearErrors();
      if (!fields.name.input.value.trim()) {
        fields.name.showError('Enter a name.');
        fields.name.input.focus();
        return;
      }
      if (!requireKey()) return;
      try {
        const answer = await post('/integrations', request());
        // The key is never kept on the page once saved.
        if (fields.secret_key) fields.secret_key.input.value = '';
        flash(answer.message, 'success');
        for (const warning of answer.warnings ?? []) flash(warning, 'warning');
        navigate(back);
      } catch (failure) {
        showSaveError(failure, fields, error);
      }
    });
  });
  return form;
}

export async function editIntegrationPage({ params }) {
  const [id] = params;
  const { integration } = await get(`/integrations/${encodeURIComponent(id)}`);
  const details = `/integrations/${encodeURIComponent(id)}`;
  // An OAuth integration's key is a token Stripe issued: it changes only by reconnecting (its
  // details page), so the form has no key field for it.
  const oauth = integration.auth_scheme === 'oauth';
  const fields = {
    name: field({ label: 'Name', name: 'name', required: true, value: integration.name }),
    secret_key: field({
      label: 'New secret or restricted key', name: 'secret_key', type: 'password', autocomplete: 'new-password',
      help: `The current key is ${integration.secret_key_masked}. Leave empty to keep it; a new key is checked with Stripe before it is saved.`,
    }),
  };
  const active = switchField({ label: 'Active', checked: integration.active });
  const error = formError();
  const saveButton = h('button', { type: 'submit', class: 'button' }, 'Save Integration');
  const form = h('form', { class: 'card integration-form', novalidate: true },
    fields.name.wrapper,
    oauth
      ? h('p', { class: 'help' }, 'Connected with Stripe: to renew its access, use Reconnect on its details page.')
      : fields.secret_key.wrapper,
    active.wrapper, error,
    h('div', { class: 'actions' }, saveButton, linkButton(`#${details}`, 'Cancel', 'secondary')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(saveButton, async () => {
      error.hidden = true;
      fields.name.clearError();
      fields.secret_key.clearError();
      const edit = { name: fields.name.input.value.trim(), active: active.input.checked };
      if (!edit.name) {
        fields.name.showError('Enter a name.');
        fields.name.input.focus();
        return;
      }
      const key = oauth ? '' : fields.secret_key.input.value.trim();
      if (key) edit.secret_key = key;
      try {
        const answer = await patch(`/integrations/${encodeURIComponent(id)}`, edit);
        fields.secret_key.input.value = '';
        flash(answer.message, 'success');
        for (const warning of answer.warnings ?? []) flash(warning, 'warning');
        navigate(details);
      } catch (failure) {
        showSaveError(failure, fields, error);
      }
    });
  });
  return h('section', {}, pageHeader(`Edit ${integration.name}`), form);
}

