// A lost authenticator: "#/recover" takes the username and one recovery code; "#/enrol?code=…"
// is the one-time link a household owner made. Either leads to setting up a new authenticator
// (every other device is then signed out) and to a new set of recovery codes.

import { api, ApiError, messageFor } from '../api.js';
import { signIn } from '../auth.js';
import { deviceName } from '../device-name.js';
import { fill, h } from '../dom.js';
import { dayWithYear, time } from '../format.js';
import { authenticatorSetup, WRONG_CODE } from './authenticator-setup.js';
import { brand, errorBox, field } from './form-parts.js';
import { showRecoveryCodesNext } from './recovery-codes.js';

const LINK_INVALID = 'Enrolment link is invalid or expired';

export function mount(root, params) {
  const section = h('section', { class: 'auth' });
  root.append(section);
  const link = params.get('code');
  if (link) openLink(link);
  else askForCode('');

  function askForCode(message) {
    const error = errorBox();
    const username = h('input', { type: 'text', autocomplete: 'username', autocapitalize: 'none', spellcheck: false, required: true, maxlength: 64 });
    const code = h('input', { type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: false, required: true, maxlength: 20, class: 'recovery-input' });
    const button = h('button', { type: 'submit', class: 'btn primary block', text: 'Continue' });
    fill(section,
      brand('Lost your phone or authenticator app? One of your recovery codes lets you in once.'),
      h('form', { class: 'card stack', novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        if (!username.value.trim() || !code.value.trim()) {
          error.show('Enter your username and one of your recovery codes.');
          return (username.value.trim() ? code : username).focus();
        }
        button.disabled = true;
        error.show('');
        try {
          setUp(await api('user/recover', { method: 'POST', auth: false, body: { username: username.value.trim(), recovery_code: code.value } }));
        } catch (err) {
          button.disabled = false;
          error.show(err instanceof ApiError && err.detail === 'Invalid recovery code'
            ? 'That code does not work for this username: it is mistyped or was used before. Each code works once.'
            : messageFor(err));
          code.focus();
        }
      } },
      h('h2', { text: 'Sign in with a recovery code' }),
      field('recover-username', 'Username', username),
      field('recover-code', 'Recovery code', code, 'One of the 10 codes you saved at sign-up, such as K7QF-3MZP-XA9T.'),
      error,
      button),
      h('p', { class: 'center hint', text: 'No codes? The owner of your household can make you a sign-in link in Settings › Household.' }),
      h('p', { class: 'center' }, h('a', { href: '#/login', text: 'Back to sign in' })));
    error.show(message);
    username.focus();
  }

  async function openLink(ticket) {
    fill(section, brand('Setting up a new authenticator'), h('p', { class: 'muted center', text: 'Checking the link…' }));
    try {
      setUp(await api('user/enrolment', { method: 'POST', auth: false, body: { enrolment: ticket } }));
    } catch (err) {
      fill(section,
        brand('Setting up a new authenticator'),
        h('div', { class: 'card stack' },
          h('p', { role: 'alert', text: err instanceof ApiError && err.detail === LINK_INVALID
            ? 'This link was used, replaced by a newer one, or has expired. Ask the owner of your household for a new one.'
            : messageFor(err) })),
        h('p', { class: 'center' }, h('a', { href: '#/login', text: 'Back to sign in' })));
    }
  }

  function setUp(answer) {
    authenticatorSetup(section, {
      ...answer,
      greeting: `Hello again, ${answer.username}!`,
      heading: 'Add STracker to your new authenticator app',
      button: 'Sign in',
      back: link ? null : () => askForCode(''),
      submit: async (code) => {
        try {
          const body = { enrolment: answer.enrolment, otp_secret: answer.secret, otp_example: code, device_name: await deviceName() };
          const pair = await api('user/enrol', { method: 'POST', auth: false, body });
          showRecoveryCodesNext();
          signIn(pair);
          return '';
        } catch (err) {
          const detail = err instanceof ApiError ? err.detail : '';
          if (detail === LINK_INVALID) {
            return `This step has expired (it lasts until ${dayWithYear(answer.expires_at)} ${time(answer.expires_at)}). Start again from the sign-in screen.`;
          }
          return detail === 'Invalid OTP' ? WRONG_CODE : messageFor(err);
        }
      },
    });
  }
}
