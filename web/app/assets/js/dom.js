// Building the page: h() makes elements from data with text nodes only (never HTML from data),
// plus the shared pieces every page uses — messages, confirmation dialogs, badges, times.

// h('a', {href: '#/x', class: 'button', onclick: fn}, 'text', child, [more])
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (['value', 'checked', 'disabled', 'hidden', 'selected', 'required'].includes(name)) {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let nextId = 0;
export const uniqueId = (prefix) => `${prefix}-${++nextId}`;

// A labelled form field with its help and an error slot tied to it by aria-describedby.
// Returns {wrapper, input, showError(text), clearError()}.
export function field({ label, name, type = 'text', value = '', required = false, help = '',
  autocomplete = 'off', placeholder = '' }) {
  const id = uniqueId(name);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const input = h('input', {
    id, name, type, value, required, autocomplete, placeholder: placeholder || null,
    spellcheck: type === 'password' ? 'false' : null,
    'aria-describedby': [help ? helpId : '', errorId].filter(Boolean).join(' '),
  });
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const wrapper = h('div', { class: 'field' },
    h('label', { for: id }, label, required ? null : h('span', { class: 'optional' }, ' (optional)')),
    input,
    help ? h('p', { class: 'help', id: helpId }, help) : null,
    error);
  return {
    wrapper, input,
    showError(text) {
      error.textContent = text;
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      error.hidden = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    },
  };
}

// A labelled <select> of [value, text] options (an option may be [value, text, group] to sit in
// an <optgroup> of that name). Returns {wrapper, input}.
export function selectField({ label, name, options, value, help = '' }) {
  const id = uniqueId(name);
  const helpId = `${id}-help`;
  const option = ([optionValue, text]) => h('option', { value: optionValue, selected: optionValue === value }, text);
  const groups = [];
  for (const entry of options) {
    const group = entry[2] ?? null;
    if (!groups.length || groups.at(-1).group !== group) groups.push({ group, entries: [] });
    groups.at(-1).entries.push(entry);
  }
  const select = h('select', { id, name, 'aria-describedby': help ? helpId : null },
    groups.map(({ group, entries }) => (group
      ? h('optgroup', { label: group }, entries.map(option))
      : entries.map(option))));
  return {
    input: select,
    wrapper: h('div', { class: 'field' }, h('label', { for: id }, label), select,
      help ? h('p', { class: 'help', id: helpId }, help) : null),
  };
}

// An on/off switch: a checkbox with role="switch" and a visible label.
export function switchField({ label, checked, name = 'active', onchange }) {
  const id = uniqueId(name);
  const input = h('input', { id, name, type: 'checkbox', role: 'switch', checked, onchange });
  return {
    wrapper: h('div', { class: 'field switch-field' }, input, h('label', { for: id }, label)),
    input,
  };
}

// ---- Messages: confirmations and errors above the page. ----

let carried = [];

function messagesRegion() {
  return document.getElementById('messages');
}

function messageElement(text, kind, details = []) {
  const item = h('div', { class: `message message-${kind}`, role: kind === 'error' ? 'alert' : null },
    h('p', {}, text),
    details.length ? h('ul', {}, details.map((d) => h('li', {}, d))) : null,
    h('button', {
      type: 'button', class: 'message-close', 'aria-label': 'Dismiss message',
      onclick: () => item.remove(),
    }, '×'));
  return item;
}

// Shows a message now (kind: success, warning, error, info), in place of the previous action's.
export function notify(text, kind = 'success', details = []) {
  messagesRegion().replaceChildren(messageElement(text, kind, details));
}

// Shows a message on the next page (after a navigation that follows an action).
export function flash(text, kind = 'success', details = []) {
  carried.push([text, kind, details]);
}

// On each navigation: old messages go, carried ones appear.
export function resetMessages() {
  messagesRegion().replaceChildren(...carried.map(([text, kind, details]) => messageElement(text, kind, details)));
  carried = [];
}

// ---- Dialogs ----

// A modal confirmation (native <dialog>: focus is trapped, Escape dismisses). Resolves to
// {confirmed, form} where form holds the dialog's extra inputs.
export function confirmDialog({ title, body, confirmLabel, danger = false, extra = null }) {
  return new Promise((resolve) => {
    const titleId = uniqueId('dialog-title');
    const cancel = h('button', { type: 'button', class: 'button secondary' }, 'Cancel');
    const confirm = h('button', { type: 'submit', class: danger ? 'button danger' : 'button' }, confirmLabel);
    const form = h('form', { method: 'dialog' },
      h('h2', { id: titleId }, title),
      Array.isArray(body) ? body.map((p) => h('p', {}, p)) : h('p', {}, body),
      extra,
      h('div', { class: 'actions' }, confirm, cancel));
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
    let confirmed = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      confirmed = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve({ confirmed, form });
    });
    document.body.append(dialog);
    dialog.showModal();
    (danger ? cancel : confirm).focus();
  });
}

// ---- Small views ----

const HEALTH = {
  ok: ['OK', 'ok'],
  needs_reconnect: ['Needs reconnect', 'bad'],
  missing_permissions: ['Missing permissions', 'warn'],
  unavailable: ['Unavailable', 'bad'],
  unknown: ['Not checked', 'neutral'],
};

export function healthBadge(health) {
  const [label, tone] = HEALTH[health?.state] ?? [health?.state ?? 'Unknown', 'neutral'];
  return h('span', { class: `badge badge-${tone}`, title: health?.reason || null }, label);
}

export function badge(text, tone = 'neutral') {
  return h('span', { class: `badge badge-${tone}` }, text);
}

export function formatTime(unixSeconds) {
  if (!unixSeconds) return 'Never';
  const date = new Date(unixSeconds * 1000);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function timeElement(unixSeconds) {
  if (!unixSeconds) return h('span', { class: 'muted' }, 'Never');
  return h('time', { datetime: new Date(unixSeconds * 1000).toISOString() }, formatTime(unixSeconds));
}

export function lastSyncText(lastSync) {
  if (!lastSync) return h('span', { class: 'muted' }, 'Never');
  const status = { succeeded: 'Succeeded', succeeded_with_errors: 'Succeeded with errors',
    failed: 'Failed', running: 'Running', paused: 'Paused' }[lastSync.status] ?? lastSync.status;
  return h('span', {}, `${status} · `, timeElement(lastSync.finished_at ?? lastSync.started_at));
}

// A page heading that receives focus after navigation (for keyboard and screen reader users).
export function pageHeader(title, ...actions) {
  return h('div', { class: 'page-header' },
    h('h1', { tabindex: '-1' }, title),
    actions.length ? h('div', { class: 'actions' }, actions) : null);
}

export function linkButton(href, text, kind = '') {
  return h('a', { href, class: `button ${kind}`.trim() }, text);
}

// Where keyboard focus is, in a form that finds the same control once `root` is redrawn: its
// accessible name, else its name attribute, else its text (ids of fields change on every draw).
// null when the focus is not inside `root`.
export function focusKey(root, element = document.activeElement) {
  if (!element || element === document.body || !root.contains(element)) return null;
  const tag = element.tagName.toLowerCase();
  const label = element.getAttribute('aria-label');
  if (label) return `${tag}[aria-label="${CSS.escape(label)}"]`;
  if (element.name) return `${tag}[name="${CSS.escape(element.name)}"]`;
  return { tag, text: element.textContent.trim() };
}

// The control of the redrawn `root` that `key` names, when it is there and enabled.
export function findByFocusKey(root, key) {
  if (!key) return null;
  const found = typeof key === 'string'
    ? root.querySelector(key)
    : [...root.querySelectorAll(key.tag)].find((e) => e.textContent.trim() === key.text);
  return found && !found.disabled ? found : null;
}

// The control that had the keyboard when busy() disabled it (a disabled control loses focus),
// so a redraw of the page after its action can give focus back to the same control.
let focusBeforeBusy = null;
export function takeFocusBeforeBusy() {
  const element = focusBeforeBusy;
  focusBeforeBusy = null;
  return element;
}

// Disables a button while `work` runs and marks it busy.
export async function busy(button, work) {
  if (document.activeElement === button) focusBeforeBusy = button;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
