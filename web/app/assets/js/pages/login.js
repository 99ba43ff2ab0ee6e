// Sign in: email and password; a session cookie comes back, with the CSRF token the page sends
// on every change.
import { post } from '../api.js';
import { h, field, busy } from '../dom.js';
import { signedIn } from '../session.js';

export function loginPage({ next }) {
  const email = field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'username' });
  const password = field({ label: 'Password', name: 'password', type: 'password', required: true,
    autocomplete: 'current-password' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Sign in');
  const form = h('form', { class: 'card login-card', novalidate: true },
    h('div', { class: 'login-brand' }, h('img', { src: '/assets/icon.svg', alt: '', width: 40, height: 40 }),
      h('span', {}, 'Stripeline')),
    h('h1', { tabindex: '-1' }, 'Sign in'),
    email.wrapper, password.wrapper, error,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!email.input.value.trim() || !password.input.value) {
      error.textContent = 'Enter your email and password.';
      error.hidden = false;
      return;
    }
    await busy(submit, async () => {
      try {
        const answer = await post('/auth/login',
          { email: email.input.value.trim(), password: password.input.value });
        signedIn(answer.user, answer.csrf_token, next);
      } catch (failure) {
        error.textContent = failure.message;
        error.hidden = false;
        password.input.select();
      }
    });
  });
  return h('section', { class: 'login' }, form);
}
