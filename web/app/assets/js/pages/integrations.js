// External Integrations (admins): every connected Stripe account with its client, account,
// mode, active switch, health and last sync; Add, Edit, Delete and the switch act from here.
import { get, post, del } from '../api.js';
import { h, notify, confirmDialog, healthBadge, badge, lastSyncText, pageHeader, linkButton, uniqueId } from '../dom.js';

// The list and the client names it shows.
async function loadIntegrations() {
  const [integrations, clients] = await Promise.all([get('/integrations'), get('/clients')]);
  const clientNames = new Map(clients.data.map((c) => [c.id, c.name]));
  return { integrations: integrations.data, clientNames };
}

export function accountText(integration) {
  const account = integration.stripe_account;
  if (!account?.id) return h('span', { class: 'muted' }, 'Unknown');
  return h('span', {}, account.name || account.id,
    account.name ? h('span', { class: 'muted small' }, ` ${account.id}`) : null);
}

export function modeBadge(integration) {
  return integration.mode === 'live' ? badge('Live', 'live') : badge('Test', 'neutral');
}

// The active switch of one integration: activates or deactivates at once and says so. It
// updates in place, so keyboard focus stays on it.
export function activeSwitch(integration) {
  const id = uniqueId('active');
  const input = h('input', {
    id, type: 'checkbox', role: 'switch', checked: integration.active,
  });
  const text = h('span', { class: 'switch-text', 'aria-hidden': 'true' });
  const show = () => { text.textContent = integration.active ? 'Active' : 'Inactive'; };
  show();
  input.addEventListener('change', async () => {
    const activate = input.checked;
    input.disabled = true;
    try {
      const answer = await post(`/integrations/${encodeURIComponent(integration.id)}/${activate ? 'activate' : 'deactivate'}`);
      Object.assign(integration, answer.integration);
      notify(answer.message);
    } catch (error) {
      input.checked = !activate;
      notify(error.message, 'error');
    } finally {
      input.disabled = false;
      input.checked = integration.active;
      show();
      input.focus();
    }
  });
  return h('span', { class: 'switch' }, input,
    h('label', { for: id }, h('span', { class: 'visually-hidden' }, `Active: ${integration.name}`), text));
}

// Asks, then deletes (keeping the synced data unless the user ticks the box). Resolves true
// when deleted.
export async function deleteIntegration(integration, { title = 'Delete integration?', confirmLabel = 'Delete' } = {}) {
  const removeId = uniqueId('remove-data');
  const { confirmed, form } = await confirmDialog({
    title,
    body: [`“${integration.name}” (${integration.secret_key_masked}) will be removed and Stripeline stops syncing it.`,
      'Dashboard widgets that show only this account are removed too.'],
    confirmLabel,
    danger: true,
    extra: h('div', { class: 'field checkbox-field' },
      h('input', { type: 'checkbox', id: removeId, name: 'remove_data' }),
      h('label', { for: removeId }, 'Also remove its synced data')),
  });
  if (!confirmed) return false;
  const keep = !form.querySelector('[name=remove_data]').checked;
  try {
    const answer = await del(`/integrations/${encodeURIComponent(integration.id)}?keep_data=${keep}`);
    notify(answer.message);
    return true;
  } catch (error) {
    notify(error.message, 'error');
    return false;
  }
}

function integrationRow(integration, clientNames, rerender) {
  const client = integration.client_id
    ? h('a', { href: `#/clients/${encodeURIComponent(integration.client_id)}` }, clientNames.get(integration.client_id) ?? integration.client_id)
    : h('span', { class: 'muted' }, 'System-wide');
  return h('tr', { 'data-integration-id': integration.id },
    h('th', { scope: 'row', 'data-label': 'Name' },
      h('a', { href: `#/integrations/${encodeURIComponent(integration.id)}` }, integration.name)),
    h('td', { 'data-label': 'Client' }, client),
    h('td', { 'data-label': 'Account' }, accountText(integration)),
    h('td', { 'data-label': 'Mode' }, modeBadge(integration)),
    h('td', { 'data-label': 'Active' }, activeSwitch(integration)),
    h('td', { 'data-label': 'Health' }, healthBadge(integration.health)),
    h('td', { 'data-label': 'Last sync' }, lastSyncText(integration.last_sync)),
    h('td', { class: 'row-actions' },
      linkButton(`#/integrations/${encodeURIComponent(integration.id)}/edit`, 'Edit', 'secondary small'),
      h('button', {
        type: 'button', class: 'button danger-outline small',
        'aria-label': `Delete ${integration.name}`,
        onclick: async () => { if (await deleteIntegration(integration)) rerender({ refresh: true }); },
      }, 'Delete')));
}

export function integrationsTable(integrations, clientNames, rerender, caption) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {},
      ['Name', 'Client', 'Account', 'Mode', 'Active', 'Health', 'Last sync'].map((c) => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    h('tbody', {}, integrations.map((i) => integrationRow(i, clientNames, rerender)))));
}

export async function integrationsPage({ rerender }) {
  const { integrations, clientNames } = await loadIntegrations();
  const body = integrations.length
    ? integrationsTable(integrations, clientNames, rerender, 'External Integrations')
    : h('div', { class: 'empty-state' },
      h('p', {}, 'No integrations yet. Add one to connect a Stripe account.'));
  return h('section', {},
    pageHeader('External Integrations', linkButton('#/integrations/new', 'Add Integration')),
    h('p', { class: 'lead' }, 'Stripe accounts connected to Stripeline, with their health and last sync.'),
    body);
}
