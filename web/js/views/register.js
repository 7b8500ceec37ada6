// Create an account: choose a username (and maybe an invite code) → add the secret to an
// authenticator app (QR code, grouped key, otpauth link) → prove it with the first code.
// The invite code is checked with the first step, so a wrong one never leaves an entry in the
// authenticator that cannot sign in; a new household takes this phone's time zone.

import { api, ApiError, messageFor } from '../api.js';
import { signIn } from '../auth.js';
import { deviceName } from '../device-name.js';
import { fill, h } from '../dom.js';
import { phoneTimeZone } from '../time-zone.js';
import { authenticatorSetup, WRONG_CODE } from './authenticator-setup.js';
import { brand, errorBox, field } from './form-parts.js';
import { showRecoveryCodesNext } from './recovery-codes.js';

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

  function showSecret(answer) {
    authenticatorSetup(section, {
      ...answer,
      greeting: `Welcome, ${username}!`,
      heading: 'Add STracker to your authenticator app',
      button: 'Create account',
      back: () => chooseName(''),
      submit: async (code) => {
        try {
          const body = { username, otp_secret: answer.secret, otp_example: code, device_name: await deviceName() };
          if (invite) body.invite = invite;
          else if (zone) body.time_zone = zone;
          const pair = await api('user/', { method: 'POST', auth: false, body });
          showRecoveryCodesNext();
          signIn(pair);
          return '';
        } catch (err) {
          const detail = err instanceof ApiError ? err.detail : '';
          // Checked at the first step, so only a code used or expired in between lands here.
          if (detail === INVITE_INVALID) {
            chooseName('That invite code was used or expired in the meantime. Ask for a new one, or leave it empty.', true);
            return '';
          }
          if (detail === 'Username already taken') {
            chooseName(`“${username}” is already taken. Please choose another username.`);
            return '';
          }
          return detail === 'Invalid OTP' ? WRONG_CODE : messageFor(err);
        }
      },
    });
  }
}
