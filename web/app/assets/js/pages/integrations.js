// External Integrations (admins): every connected Stripe account with its client, account,
// mode, active switch, health and last sync; Add, Edit, Delete and the switch act from here.
import { get } from '../api.js';
import { h, healthBadge, lastSyncText, pageHeader, linkButton } from '../dom.js';
import { accountText, modeBadge, activeSwitch, deleteIntegration } from '../components/integration.js';

// The list and the client names it shows.
async function loadIntegrations() {
  const [integrations, clients] = await Promise.all([get('/integrations'), get('/clients')]);
  const clientNames = new Map(clients.data.map((c) => [c.id, c.name]));
  return { integrations: integrations.data, clientNames };
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
