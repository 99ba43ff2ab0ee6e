// Pieces of an integration that several pages show: its account and mode, its active switch,
// the Delete dialog, and the outcome of a connection Test.
import { post, del } from '../api.js';
import { h, notify, confirmDialog, badge, uniqueId } from '../dom.js';

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

// What to grant, for each read permission a restricted key may lack (rak_payout_read: the
// key's "payout" resource set to Read).
function permissionAdvice(permission) {
  const resource = permission.replace(/^rak_/, '').replace(/_read$/, '').replace(/_/g, ' ');
  return `in Stripe, edit the restricted key and set “${resource}” to Read.`;
}

// The outcome of a Test, as a block the page shows under the form.
export function connectionResult(check) {
  const missing = check.missing_permissions ?? [];
  if (check.available) {
    const account = check.account;
    return h('div', { class: `test-result ${missing.length ? 'warn' : 'ok'}`, role: 'status' },
      h('p', { class: 'test-title' }, check.message),
      account?.id ? h('p', {}, `${account.name || account.id} (${account.id}), ${account.livemode ? 'live' : 'test'} mode`) : null,
      missing.length ? missingPermissions(missing) : null);
  }
  return h('div', { class: 'test-result bad', role: 'status' },
    h('p', { class: 'test-title' }, check.message),
    missing.length ? missingPermissions(missing) : null);
}

function missingPermissions(missing) {
  return h('div', { class: 'missing-permissions' },
    h('p', {}, 'Missing permissions — grant these to the restricted key in the Stripe Dashboard (Developers → API keys):'),
    h('ul', {}, missing.map((p) => h('li', {}, h('code', {}, p), ` — ${permissionAdvice(p)}`))));
}
