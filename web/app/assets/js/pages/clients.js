// Clients: an agency's clients (admins create them; others see those they are given), each with
// its dashboard (pages/dashboard.js), and a client's Data Sources: its Stripe accounts, each
// with its own name — Add account / Add new / Remove — and, for admins, who has access to it.
import { get, post, del } from '../api.js';
import { h, notify, field, pageHeader, linkButton, busy, healthBadge, confirmDialog, timeElement, lastSyncText } from '../dom.js';
import { isAdmin } from '../session.js';
import { accountText, modeBadge, deleteIntegration } from '../components/integration.js';

function addClientForm(rerender) {
  const name = field({ label: 'Client name', name: 'client_name', required: true });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Add client');
  const form = h('form', { class: 'card inline-form', novalidate: true, 'aria-label': 'Add client' },
    name.wrapper, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      name.clearError();
      try {
        const answer = await post('/clients', { name: name.input.value.trim() });
        notify(answer.message);
        rerender({ refresh: true });
      } catch (error) {
        name.showError(error.message);
        name.input.focus();
      }
    });
  });
  return form;
}

export async function clientsPage({ rerender }) {
  const clients = (await get('/clients')).data;
  const list = clients.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('caption', { class: 'visually-hidden' }, 'Clients'),
      h('thead', {}, h('tr', {}, ['Client', 'Added', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, clients.map((c) => h('tr', { 'data-client-id': c.id },
        h('th', { scope: 'row', 'data-label': 'Client' }, h('a', { href: `#/clients/${encodeURIComponent(c.id)}` }, c.name)),
        h('td', { 'data-label': 'Added' }, timeElement(c.created_at)),
        h('td', { class: 'row-actions' },
          linkButton(`#/clients/${encodeURIComponent(c.id)}/dashboard`, 'Dashboard', 'secondary small'),
          linkButton(`#/clients/${encodeURIComponent(c.id)}`, 'Data Sources', 'secondary small')))))))
    : h('div', { class: 'empty-state' }, h('p', {}, isAdmin()
      ? 'No clients yet. Add one to group its Stripe accounts.'
      : 'You have not been given any client yet. Ask an administrator for access.'));
  return h('section', {},
    pageHeader('Clients'),
    isAdmin() ? addClientForm(rerender) : null,
    list);
}

function dataSourceRow(integration, rerender) {
  const path = `#/integrations/${encodeURIComponent(integration.id)}`;
  return h('tr', { 'data-integration-id': integration.id },
    h('th', { scope: 'row', 'data-label': 'Name' }, h('a', { href: path }, integration.name)),
    h('td', { 'data-label': 'Stripe account' }, accountText(integration)),
    h('td', { 'data-label': 'Mode' }, modeBadge(integration)),
    h('td', { 'data-label': 'Health' }, healthBadge(integration.health)),
    h('td', { 'data-label': 'Status' }, integration.active ? 'Active' : 'Inactive'),
    h('td', { 'data-label': 'Last sync' }, lastSyncText(integration.last_sync)),
    h('td', { class: 'row-actions' }, isAdmin() ? h('button', {
      type: 'button', class: 'button danger-outline small', 'aria-label': `Remove ${integration.name}`,
      onclick: async () => {
        if (await deleteIntegration(integration, { title: 'Remove account?', confirmLabel: 'Remove' })) {
          rerender({ refresh: true });
        }
      },
    }, 'Remove') : null));
}

function membersSection(client, members, rerender) {
  const email = field({ label: 'Email of a member or viewer', name: 'member_email', type: 'email', required: true });
  const submit = h('button', { type: 'submit', class: 'button secondary' }, 'Give access');
  const form = h('form', { class: 'inline-form', novalidate: true }, email.wrapper, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      email.clearError();
      try {
        const answer = await post(`/clients/${encodeURIComponent(client.id)}/members`, { email: email.input.value.trim() });
        notify(answer.message);
        rerender({ refresh: true });
      } catch (error) {
        email.showError(error.message);
      }
    });
  });
  return h('section', { class: 'card', 'aria-labelledby': 'access-heading' },
    h('h2', { id: 'access-heading' }, 'Access'),
    h('p', { class: 'muted' }, 'Administrators see every client; members and viewers only the clients listed here for them.'),
    members.length
      ? h('ul', { class: 'member-list' }, members.map((m) => h('li', {},
        h('span', {}, m.email, ' ', h('span', { class: 'role' }, m.role)),
        h('button', {
          type: 'button', class: 'button secondary small', 'aria-label': `Remove access of ${m.email}`,
          onclick: async () => {
            const { confirmed } = await confirmDialog({
              title: 'Remove access?', body: `${m.email} will no longer see ${client.name}.`,
              confirmLabel: 'Remove access', danger: true,
            });
            if (!confirmed) return;
            try {
              const answer = await del(`/clients/${encodeURIComponent(client.id)}/members/${encodeURIComponent(m.email)}`);
              notify(answer.message);
              rerender({ refresh: true });
            } catch (error) {
              notify(error.message, 'error');
            }
          },
        }, 'Remove access'))))
      : h('p', {}, 'Only administrators can see this client.'),
    form);
}

export async function clientPage({ params, rerender }) {
  const [id] = params;
  const [{ client }, { data: integrations }, members] = await Promise.all([
    get(`/clients/${encodeURIComponent(id)}`),
    get(`/clients/${encodeURIComponent(id)}/integrations`),
    isAdmin() ? get(`/clients/${encodeURIComponent(id)}/members`) : Promise.resolve({ data: [] }),
  ]);
  const addHref = `#/integrations/new?client=${encodeURIComponent(id)}`;
  const sources = integrations.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('caption', { class: 'visually-hidden' }, `Data Sources of ${client.name}`),
      h('thead', {}, h('tr', {}, ['Name', 'Stripe account', 'Mode', 'Health', 'Status', 'Last sync'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, integrations.map((i) => dataSourceRow(i, rerender)))))
    : h('div', { class: 'empty-state' },
      h('p', {}, 'No Stripe account is connected to this client yet.'),
      isAdmin() ? linkButton(addHref, 'Add new') : null);
  return h('section', {},
    h('a', { href: '#/clients', class: 'back' }, '← Clients'),
    pageHeader(client.name, linkButton(`#/clients/${encodeURIComponent(id)}/dashboard`, 'Dashboard')),
    h('section', { class: 'card', 'aria-labelledby': 'sources-heading' },
      h('div', { class: 'section-header' },
        h('h2', { id: 'sources-heading' }, 'Data Sources'),
        isAdmin() ? h('div', { class: 'actions' },
          linkButton(`#/integrations/connect?client=${encodeURIComponent(id)}`, 'Connect with Stripe', 'secondary'),
          linkButton(addHref, 'Add account')) : null),
      sources),
    isAdmin() ? membersSection(client, members.data, rerender) : null);
}
