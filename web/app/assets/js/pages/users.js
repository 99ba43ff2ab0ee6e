// Users (admins): add a user with a role and a first password, change a role, disable or enable;
// and the signed-in user's API tokens, each shown once when created.
import { get, post, patch, del } from '../api.js';
import { h, notify, field, pageHeader, busy, uniqueId, confirmDialog, timeElement } from '../dom.js';
import { currentUser } from '../session.js';

const ROLES = [['admin', 'Administrator'], ['member', 'Member'], ['viewer', 'Viewer']];

function roleSelect(id, value, attrs = {}) {
  return h('select', { id, ...attrs }, ROLES.map(([role, text]) => h('option', { value: role, selected: role === value }, text)));
}

function addUserForm(rerender) {
  const email = field({ label: 'Email', name: 'new_email', type: 'email', required: true });
  const password = field({ label: 'First password', name: 'new_password', type: 'password', required: true,
    autocomplete: 'new-password', help: 'At least 8 characters. Give it to the user; they can change it with `stripeline users set-password`.' });
  const roleId = uniqueId('role');
  const role = roleSelect(roleId, 'member', { name: 'role' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Add user');
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'add-user-heading' },
    h('h2', { id: 'add-user-heading' }, 'Add user'),
    email.wrapper,
    h('div', { class: 'field' }, h('label', { for: roleId }, 'Role'), role),
    password.wrapper, error,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      error.hidden = true;
      email.clearError();
      password.clearError();
      try {
        const answer = await post('/users', { email: email.input.value.trim(), role: role.value, password: password.input.value });
        password.input.value = '';
        notify(answer.message);
        rerender({ refresh: true });
      } catch (failure) {
        password.input.value = '';
        if (failure.code === 'invalid_email' || failure.code === 'user_exists') email.showError(failure.message);
        else if (failure.code === 'weak_password') password.showError(failure.message);
        else {
          error.textContent = failure.message;
          error.hidden = false;
        }
      }
    });
  });
  return form;
}

function userRow(user, rerender) {
  const self = user.id === currentUser()?.id;
  const roleId = uniqueId('user-role');
  const role = roleSelect(roleId, user.role, { disabled: self, 'aria-label': `Role of ${user.email}` });
  role.addEventListener('change', async () => {
    try {
      const answer = await patch(`/users/${encodeURIComponent(user.id)}`, { role: role.value });
      notify(answer.message);
      user.role = role.value;
    } catch (error) {
      role.value = user.role;
      notify(error.message, 'error');
    }
  });
  const toggle = h('button', {
    type: 'button', class: user.disabled ? 'button secondary small' : 'button danger-outline small',
    disabled: self, 'aria-label': `${user.disabled ? 'Enable' : 'Disable'} ${user.email}`,
  }, user.disabled ? 'Enable' : 'Disable');
  toggle.addEventListener('click', async () => {
    if (!user.disabled) {
      const { confirmed } = await confirmDialog({
        title: 'Disable user?', body: `${user.email} will be signed out and can no longer sign in or use API tokens.`,
        confirmLabel: 'Disable', danger: true,
      });
      if (!confirmed) return;
    }
    try {
      const answer = await patch(`/users/${encodeURIComponent(user.id)}`, { disabled: !user.disabled });
      notify(answer.message);
      rerender({ refresh: true });
    } catch (error) {
      notify(error.message, 'error');
    }
  });
  return h('tr', { 'data-user-id': user.id },
    h('th', { scope: 'row', 'data-label': 'Email' }, user.email, self ? h('span', { class: 'muted' }, ' (you)') : null),
    h('td', { 'data-label': 'Role' }, role),
    h('td', { 'data-label': 'Status' }, user.disabled ? 'Disabled' : 'Active'),
    h('td', { 'data-label': 'Added' }, timeElement(user.created_at)),
    h('td', { class: 'row-actions' }, toggle));
}

function tokensSection(tokens, rerender) {
  const name = field({ label: 'Token name', name: 'token_name', required: true, help: 'What the token is for, e.g. “warehouse loader”.' });
  const submit = h('button', { type: 'submit', class: 'button secondary' }, 'Create token');
  const shown = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', novalidate: true }, name.wrapper, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      name.clearError();
      try {
        const answer = await post('/tokens', { name: name.input.value.trim() });
        name.input.value = '';
        // Shown here once; it is not kept anywhere the page could show it again.
        shown.replaceChildren(h('div', { class: 'token-once message message-warning' },
          h('p', {}, answer.message),
          h('code', { class: 'token-value' }, answer.token)));
        tokenList.replaceChildren(...(await get('/tokens')).data.map(tokenItem));
      } catch (error) {
        name.showError(error.message);
      }
    });
  });
  const tokenItem = (t) => h('li', {},
    h('span', {}, h('strong', {}, t.name || 'Unnamed'), ' ', h('code', {}, `${t.prefix}…`),
      h('span', { class: 'muted small' }, ' created ', timeElement(t.created_at), ' · last used ', timeElement(t.last_used_at))),
    t.revoked ? h('span', { class: 'badge badge-neutral' }, 'Revoked') : h('button', {
      type: 'button', class: 'button secondary small', 'aria-label': `Revoke token ${t.name}`,
      onclick: async () => {
        const { confirmed } = await confirmDialog({ title: 'Revoke token?', body: `Programs using “${t.name}” will be refused from now on.`, confirmLabel: 'Revoke', danger: true });
        if (!confirmed) return;
        try {
          notify((await del(`/tokens/${encodeURIComponent(t.id)}`)).message);
          rerender({ refresh: true });
        } catch (error) {
          notify(error.message, 'error');
        }
      },
    }, 'Revoke'));
  const tokenList = h('ul', { class: 'token-list' }, tokens.map(tokenItem));
  return h('section', { class: 'card', 'aria-labelledby': 'tokens-heading' },
    h('h2', { id: 'tokens-heading' }, 'Your API tokens'),
    h('p', { class: 'muted' }, 'For programs: send as Authorization: Bearer <token>. A token is shown once, when it is created.'),
    tokenList, form, shown);
}

export async function usersPage({ rerender }) {
  const [users, tokens] = await Promise.all([get('/users'), get('/tokens')]);
  return h('section', {},
    pageHeader('Users'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'list' },
      h('caption', { class: 'visually-hidden' }, 'Users'),
      h('thead', {}, h('tr', {}, ['Email', 'Role', 'Status', 'Added'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, users.data.map((u) => userRow(u, rerender))))),
    addUserForm(rerender),
    tokensSection(tokens.data, rerender));
}
