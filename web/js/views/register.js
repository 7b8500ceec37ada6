// Create an account: choose a username (and maybe an invite code) → add the secret to an
// authenticator app (QR code, grouped key, otpauth link) → prove it with the first code.
// The invite code is checked with the first step, so a wrong one never leaves an entry in the
// authenticator that cannot sign in; a new household takes this phone's time zone.

import { api, ApiError, messageFor } from '../api.js';
import { signIn } from '../auth.js';
import { deviceName } from '../device-name.js';
import { copyText, fill, h } from '../dom.js';
import { phoneTimeZone } from '../time-zone.js';
import { brand, codeInput, errorBox, field } from './form-parts.js';

const INVITE_INVALID = 'Invite code is invalid or expired';
const INVITE_REQUIRED = 'Registration on this server needs an invite code';

/** Whether the server refused the request's time_zone field (its zone database lacks it). */
const refusedZone = (err) => err instanceof ApiError && Array.isArray(err.detail) && err.detail.some((d) => (d.loc || []).includes('time_zone'));

export function mount(root, params) {
  const section = h('section', { class: 'auth' });
  root.append(section);
  let username = '';
  let invite = params.get('invite') || '';
  let zone = phoneTimeZone();
  chooseName('');

  /** The first step's answer: a secret, after the server checked the invite code and zone. */
  async function newSecret() {
    const body = { username };
    if (invite) body.invite = invite;
    else if (zone) body.time_zone = zone;
    try {
      return await api('user/generate-otp-secret', { method: 'POST', auth: false, body });
    } catch (err) {
      // A zone this server does not know: the household starts in the server's, changeable later.
      if (!refusedZone(err)) throw err;
      zone = '';
      return newSecret();
    }
  }

  function chooseName(message, focusInvite = false) {
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
        showSecret(await newSecret());
      } catch (err) {
        button.disabled = false;
        const detail = err instanceof ApiError ? err.detail : '';
        if (detail === INVITE_INVALID || detail === INVITE_REQUIRED) {
          error.show(detail === INVITE_INVALID
            ? 'That invite code is invalid, used or expired. Ask for a new one, or leave it empty to start your own household.'
            : 'This server needs an invite code. Ask a family member for one: Settings › Household › Create invite code.');
          return inviteInput.focus();
        }
        error.show(detail === 'Username already taken'
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
    (focusInvite ? inviteInput : nameInput).focus();
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
        else if (zone) body.time_zone = zone;
        signIn(await api('user/', { method: 'POST', auth: false, body }));
      } catch (err) {
        busy = button.disabled = false;
        code.value = '';
        const detail = err instanceof ApiError ? err.detail : '';
        // Checked at the first step, so only a code used or expired in between lands here.
        if (detail === INVITE_INVALID) return chooseName('That invite code was used or expired in the meantime. Ask for a new one, or leave it empty.', true);
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
