// Create an account: choose a username (and maybe an invite code) → add the secret to an
// authenticator app (QR code, grouped key, otpauth link) → prove it with the first code.

import { api, ApiError, messageFor } from '../api.js';
import { signIn } from '../auth.js';
import { deviceName } from '../device-name.js';
import { copyText, fill, h } from '../dom.js';
import { brand, codeInput, errorBox, field } from './form-parts.js';

export function mount(root, params) {
  const section = h('section', { class: 'auth' });
  root.append(section);
  let username = '';
  let invite = params.get('invite') || '';
  chooseName('');

  function chooseName(message) {
    const error = errorBox();
    const nameInput = h('input', { type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: false, required: true, maxlength: 64, value: username });
    const inviteInput = h('input', { type: 'text', autocapitalize: 'characters', spellcheck: false, autocomplete: 'off', value: invite });
    const button = h('button', { type: 'submit', class: 'btn primary block', text: 'Continue' });
    const form = h('form', { class: 'card stack', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      username = nameInput.value.trim();
      invite = inviteInput.value.trim();
      if (!username) {
        error.show('Choose a username.');
        return nameInput.focus();
      }
      button.disabled = true;
      error.show('');
      try {
        const secret = await api('user/generate-otp-secret', { method: 'POST', auth: false, body: { username } });
        showSecret(secret);
      } catch (err) {
        button.disabled = false;
        error.show(err instanceof ApiError && err.detail === 'Username already taken'
          ? `“${username}” is already taken. Please choose another username.` : messageFor(err));
        nameInput.focus();
      }
    } },
    h('h2', { text: 'Create an account' }),
    field('reg-username', 'Choose a username', nameInput, 'Your family sees this name next to your spendings.'),
    field('reg-invite', 'Invite code (optional)', inviteInput, 'To join a household that already uses STracker. Without a code you start a household of your own.'),
    error,
    button);
    fill(section,
      brand('No password to remember: you sign in with a code from an authenticator app.'),
      form,
      h('p', { class: 'center' }, 'Already have an account? ', h('a', { href: '#/login', text: 'Sign in' })));
    error.show(message);
    nameInput.focus();
  }

  function showSecret({ secret, uri, qr_svg }) {
    const error = errorBox();
    const grouped = secret.replace(/(.{4})(?=.)/g, '$1 ');
    const copied = h('span', { class: 'hint', role: 'status' });
    const button = h('button', { type: 'submit', class: 'btn primary block', text: 'Create account' });
    const code = codeInput(() => submit());
    let busy = false;

    async function submit() {
      if (busy) return;
      if (!/^\d{6}$/.test(code.value)) {
        error.show('Enter the 6-digit code your authenticator app shows for STracker.');
        return code.focus();
      }
      busy = button.disabled = true;
      error.show('');
      try {
        const body = { username, otp_secret: secret, otp_example: code.value, device_name: await deviceName() };
        if (invite) body.invite = invite;
        signIn(await api('user/', { method: 'POST', auth: false, body }));
      } catch (err) {
        busy = button.disabled = false;
        code.value = '';
        const detail = err instanceof ApiError ? err.detail : '';
        if (detail === 'Invite code is invalid or expired') return chooseName('That invite code is invalid or has expired. Ask for a new one, or leave it empty.');
        if (detail === 'Username already taken') return chooseName(`“${username}” is already taken. Please choose another username.`);
        error.show(detail === 'Invalid OTP'
          ? 'That code does not match. Make sure you added this key (not an older one) and that the phone’s clock is right, then type the current code.'
          : messageFor(err));
        code.focus();
      }
    }

    const qr = h('img', {
      class: 'qr',
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr_svg)}`,
      alt: 'QR code of your new sign-in key. Scan it with your authenticator app.',
      width: 200,
      height: 200,
    });
    fill(section,
      brand(`Welcome, ${username}!`),
      h('form', { class: 'card stack', novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(); } },
        h('h2', { text: 'Add STracker to your authenticator app' }),
        h('p', { text: 'Scan the code with an authenticator app (Aegis, Google Authenticator, 1Password, …) or open it on this phone.' }),
        qr,
        h('a', { class: 'btn block', href: uri, text: 'Open in authenticator app' }),
        h('div', { class: 'secret-box' },
          h('p', { class: 'hint', id: 'secret-label', text: 'Or type this key:' }),
          h('code', { class: 'secret', 'aria-labelledby': 'secret-label', text: grouped }),
          h('div', { class: 'row' },
            h('button', { type: 'button', class: 'btn small', text: 'Copy key', onclick: async () => {
              copied.textContent = (await copyText(secret)) ? 'Key copied.' : 'Copy failed: select the key instead.';
            } }),
            copied)),
        field('reg-code', 'Then type the 6-digit code it shows', code),
        error,
        button,
        h('button', { type: 'button', class: 'btn link', text: 'Back', onclick: () => chooseName('') })));
    window.scrollTo(0, 0);
  }
}
