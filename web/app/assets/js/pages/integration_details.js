// An integration's details: everything PRODUCT.md's "View details" lists (the key only masked),
// health with its reason and Reconnect, Test, the sync state per stream with Refresh (sync now),
// and the audit trail. Members see it read-only, with Test and Refresh; viewers only read.
import { get, post, patch } from '../api.js';
import { h, notify, flash, field, confirmDialog, healthBadge, badge, timeElement, lastSyncText, pageHeader, linkButton, busy } from '../dom.js';
import { isAdmin, currentUser, navigate } from '../session.js';
import { accountText, modeBadge, activeSwitch, deleteIntegration, connectionResult } from '../components/integration.js';
import { connectWithStripe } from '../components/stripe_connect.js';

// sync/sync_state.h's states, in words.
const STREAM_STATES = {
  pending: 'Pending', running: 'Running', synced: 'Synced', failed: 'Failed',
  missing_permission: 'Missing permission', paused: 'Paused', unavailable_to_key: 'Not readable with this key',
};

function row(label, ...value) {
  return [h('dt', {}, label), h('dd', {}, ...value)];
}

function overview(integration, clientName) {
  const health = integration.health;
  return h('dl', { class: 'details' },
    row('Status', isAdmin() ? activeSwitch(integration)
      : badge(integration.active ? 'Active' : 'Inactive', integration.active ? 'ok' : 'neutral')),
    row('Health', healthBadge(health), health.reason ? h('span', { class: 'health-reason' }, ` ${health.reason}`) : null),
    row('Stripe account', accountText(integration)),
    row('Mode', modeBadge(integration)),
    row('Key', h('code', { class: 'masked-key' }, integration.secret_key_masked),
      ` (${integration.key_type === 'restricted' ? 'restricted key' : 'secret key'})`),
    row('Auth scheme', integration.auth_scheme === 'api_key' ? 'API key' : integration.auth_scheme),
    row('Account ID', integration.account_id ? h('code', {}, integration.account_id) : h('span', { class: 'muted' }, 'None (the key\'s own account)')),
    row('Client', integration.client_id
      ? h('a', { href: `#/clients/${encodeURIComponent(integration.client_id)}` }, clientName ?? integration.client_id)
      : h('span', { class: 'muted' }, 'System-wide')),
    integration.missing_permissions.length
      ? row('Missing permissions', integration.missing_permissions.map((p) => h('code', { class: 'tag' }, p)))
      : null,
    row('Last check', timeElement(health.checked_at)),
    row('Last sync', lastSyncText(integration.last_sync)),
    row('Created', timeElement(integration.created_at)),
    row('Updated', timeElement(integration.updated_at)));
}

function syncSection(integrationId, status, canSync) {
  const section = h('section', { class: 'card', 'aria-labelledby': 'sync-heading' });
  let timer = null;
  const draw = (current) => {
    const running = current.running;
    const refresh = h('button', { type: 'button', class: 'button secondary', disabled: running }, running ? 'Syncing…' : 'Refresh');
    refresh.addEventListener('click', () => busy(refresh, async () => {
      try {
        const answer = await post(`/integrations/${encodeURIComponent(integrationId)}/sync`);
        notify(answer.message, 'info');
        await poll();
      } catch (error) {
        notify(error.message, 'error');
      }
    }));
    const total = current.streams.reduce((sum, s) => sum + (s.objects ?? 0), 0);
    const last = current.last_run;
    section.replaceChildren(...[
      h('div', { class: 'section-header' },
        h('h2', { id: 'sync-heading' }, 'Sync'),
        canSync ? refresh : null),
      h('p', { class: 'sync-summary', 'aria-live': 'polite' },
        running ? 'A sync is running.' : last ? `Last sync ${last.status}` : 'Not synced yet.',
        !running && last ? [' · ', timeElement(last.finished_at ?? last.started_at)] : null,
        ` · ${total.toLocaleString()} objects synced`),
      last?.error ? h('p', { class: 'form-error' }, last.error) : null,
      current.streams.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'list compact' },
          h('caption', { class: 'visually-hidden' }, 'Sync state per stream'),
          h('thead', {}, h('tr', {}, ['Stream', 'State', 'Objects', 'Note'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, current.streams.map((s) => h('tr', {},
            h('th', { scope: 'row', 'data-label': 'Stream' }, s.stream),
            h('td', { 'data-label': 'State' }, STREAM_STATES[s.state] ?? s.state),
            h('td', { 'data-label': 'Objects', class: 'number' }, (s.objects ?? 0).toLocaleString()),
            h('td', { 'data-label': 'Note' }, s.missing_permission ? `Needs ${s.missing_permission}` : s.error || ''))))))
        : h('p', { class: 'muted' }, 'No stream has been synced yet.'),
    ].filter(Boolean));
  };
  const poll = async () => {
    clearTimeout(timer);
    if (!section.isConnected && timer !== null) return; // the page was left
    const current = await get(`/integrations/${encodeURIComponent(integrationId)}/sync`);
    draw(current);
    if (current.running) timer = setTimeout(() => poll().catch(() => {}), 1000);
  };
  draw(status);
  if (status.running) timer = setTimeout(() => poll().catch(() => {}), 1000);
  return section;
}

function auditSection(entries) {
  return h('section', { class: 'card', 'aria-labelledby': 'audit-heading' },
    h('h2', { id: 'audit-heading' }, 'Audit trail'),
    entries.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'list compact' },
        h('caption', { class: 'visually-hidden' }, 'Audit trail'),
        h('thead', {}, h('tr', {}, ['When', 'Who', 'What'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, entries.map((e) => h('tr', {},
          h('td', { 'data-label': 'When' }, timeElement(e.at)),
          h('td', { 'data-label': 'Who' }, e.actor),
          h('td', { 'data-label': 'What' }, e.summary))))))
      : h('p', { class: 'muted' }, 'No entries yet.'));
}

// Reconnect: a new key for the same account, checked with Stripe before it replaces the old one.
async function reconnect(integration, rerender) {
  const key = field({ label: 'New secret or restricted key', name: 'secret_key', type: 'password',
    required: true, autocomplete: 'new-password',
    help: `Replaces ${integration.secret_key_masked}. Synced data is kept.` });
  for (;;) {
    const { confirmed } = await confirmDialog({
      title: `Reconnect ${integration.name}`,
      body: 'Enter a key Stripe accepts for this account, e.g. after the old one was revoked or rolled.',
      confirmLabel: 'Reconnect',
      extra: key.wrapper,
    });
    if (!confirmed) return;
    try {
      const answer = await patch(`/integrations/${encodeURIComponent(integration.id)}`,
        { secret_key: key.input.value.trim() });
      key.input.value = '';
      flash(answer.message, 'success');
      for (const warning of answer.warnings ?? []) flash(warning, 'warning');
      rerender();
      return;
    } catch (error) {
      key.input.value = '';
      key.showError(error.message);  // ask again, saying why
    }
  }
}

// Reconnect of an OAuth integration: Connect with Stripe again, for this integration. Its key is
// a token Stripe issued, so there is no key to type; the callback accepts the same account only.
async function reconnectWithStripe(integration) {
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  for (;;) {
    const { confirmed } = await confirmDialog({
      title: `Reconnect ${integration.name}`,
      body: [`You sign in to Stripe and approve access to account ${integration.stripe_account?.id ?? ''} again; Stripe sends you back here.`,
        'Synced data is kept, and the next sync resumes where it stopped.'],
      confirmLabel: 'Connect with Stripe',
      extra: error,
    });
    if (!confirmed || await connectWithStripe({ integrationId: integration.id }, error)) return;
  }
}

export async function integrationDetailsPage({ params, rerender }) {
  const [id] = params;
  const path = `/integrations/${encodeURIComponent(id)}`;
  const [{ integration }, audit, status, clients] = await Promise.all([
    get(path), get(`${path}/audit`), get(`${path}/sync`), get('/clients'),
  ]);
  const clientName = clients.data.find((c) => c.id === integration.client_id)?.name;
  const admin = isAdmin();
  const canAct = admin || currentUser()?.role === 'member';
  const testArea = h('div', { class: 'test-area', 'aria-live': 'polite' });
  const test = h('button', { type: 'button', class: 'button secondary' }, 'Test');
  test.addEventListener('click', () => busy(test, async () => {
    testArea.replaceChildren(h('p', { class: 'loading' }, 'Testing the connection…'));
    try {
      const answer = await post(`${path}/test`);
      testArea.replaceChildren(connectionResult(answer));
      Object.assign(integration, answer.integration);
      overviewSlot.replaceChildren(overview(integration, clientName));
    } catch (error) {
      testArea.replaceChildren();
      notify(error.message, 'error');
    }
  }));
  const overviewSlot = h('div', {}, overview(integration, clientName));
  const needsReconnect = integration.health.state === 'needs_reconnect';
  const oauth = integration.auth_scheme === 'oauth';
  const actions = [
    canAct ? test : null,
    admin ? h('button', {
      type: 'button', class: needsReconnect ? 'button' : 'button secondary',
      onclick: () => (oauth ? reconnectWithStripe(integration) : reconnect(integration, rerender)),
    }, 'Reconnect') : null,
    admin ? linkButton(`#${path}/edit`, 'Edit', 'secondary') : null,
    admin ? h('button', {
      type: 'button', class: 'button danger-outline',
      onclick: async () => {
        if (await deleteIntegration(integration)) {
          flash('Integration deleted');
          navigate(integration.client_id ? `/clients/${encodeURIComponent(integration.client_id)}` : '/integrations');
        }
      },
    }, 'Delete') : null,
  ];
  const back = integration.client_id
    ? h('a', { href: `#/clients/${encodeURIComponent(integration.client_id)}`, class: 'back' }, `← ${clientName ?? 'Client'}: Data Sources`)
    : admin ? h('a', { href: '#/integrations', class: 'back' }, '← External Integrations') : null;
  return h('section', {},
    back,
    pageHeader(integration.name, ...actions),
    needsReconnect ? h('div', { class: 'message message-error', role: 'alert' },
      h('p', {}, `Stripe refuses this connection: ${integration.health.reason || 'the key is no longer accepted'}. `,
        admin ? `Reconnect it ${oauth ? 'with Stripe' : 'with a new key'}; synced data is kept.` : 'Ask an administrator to reconnect it.')) : null,
    testArea,
    h('section', { class: 'card', 'aria-labelledby': 'overview-heading' },
      h('h2', { id: 'overview-heading' }, 'Details'), overviewSlot),
    syncSection(id, status, canAct),
    auditSection(audit.data));
}
