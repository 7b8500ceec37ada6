// Sign in: username + the current code of the authenticator app.

import { api, ApiError, messageFor } from '../api.js';
import { lastUser, signIn, takeSignOutReason } from '../auth.js';
import { deviceName } from '../device-name.js';
import { h } from '../dom.js';
import { duration } from '../format.js';
import { brand, codeInput, errorBox, field } from './form-parts.js';

let lockedUntil = 0; // survives re-rendering this screen

export function mount(root) {
  const error = errorBox();
  const username = h('input', { type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: false, required: true, value: lastUser() });
  const code = codeInput(() => submit());
  const button = h('button', { type: 'submit', class: 'btn primary block', text: 'Sign in' });
  let busy = false;
  let countdown = null;

  function lockout() {
    clearInterval(countdown);
    const tick = () => {
      const left = (lockedUntil - Date.now()) / 1000;
      if (left <= 0) {
        clearInterval(countdown);
        code.disabled = button.disabled = false;
        error.show('You can try again now.');
        return;
      }
      code.disabled = button.disabled = true;
      error.show(`Too many wrong codes. For your safety, sign-in is paused: try again in ${duration(left)}.`);
    };
    tick();
    countdown = setInterval(tick, 1000);
  }

  async function submit() {
    if (busy || Date.now() < lockedUntil) return;
    const name = username.value.trim();
    if (!name) {
      error.show('Enter your username.');
      return username.focus();
    }
    if (!/^\d{6}$/.test(code.value)) {
      error.show('Enter the 6-digit code from your authenticator app.');
      return code.focus();
    }
    busy = true;
    button.disabled = true;
    error.show('');
    try {
      const body = { username: name, otp: code.value, device_name: await deviceName() };
      signIn(await api('user/login', { method: 'POST', auth: false, body }));
    } catch (e) {
      code.value = '';
      if (e instanceof ApiError && e.status === 429) {
        lockedUntil = Date.now() + Number(e.headers.get('Retry-After') || 60) * 1000;
        lockout();
      } else if (e instanceof ApiError && e.status === 403) {
        error.show('That code did not work for this username. Codes change every 30 seconds and each one works once: wait for the next code and try again.');
        code.focus();
      } else {
        error.show(messageFor(e));
      }
    } finally {
      busy = false;
      if (Date.now() >= lockedUntil) button.disabled = false;
    }
  }

  const form = h('form', { class: 'card stack', novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(); } },
    h('h2', { text: 'Sign in' }),
    field('login-username', 'Username', username),
    field('login-code', 'Code from your authenticator app', code, 'Six digits; we sign you in as soon as you type the last one.'),
    error,
    button);

  root.append(h('section', { class: 'auth' },
    brand('Your family budget, two taps a day.'),
    form,
    h('p', { class: 'center' }, h('a', { href: '#/recover', text: 'Lost your authenticator?' })),
    h('p', { class: 'center' }, 'New here? ', h('a', { href: '#/register', text: 'Create an account' }))));

  const reason = takeSignOutReason();
  if (reason) error.show(reason);
  if (Date.now() < lockedUntil) lockout();
  (username.value ? code : username).focus();
  return () => clearInterval(countdown);
}
