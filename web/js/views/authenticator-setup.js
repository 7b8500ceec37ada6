// The screen that puts a new secret into an authenticator app and proves it with a first
// code: QR code, the key in groups of four (with Copy), the otpauth link, the code box. Used
// at sign-up and when someone who lost their authenticator sets up a new one.

import { copyText, fill, h } from '../dom.js';
import { brand, codeInput, errorBox, field } from './form-parts.js';

/**
 * Fills `section`. `submit(code)` resolves with '' when done, or the message to show (the code
 * box is then emptied for the next code); `back`, when given, is a Back button.
 */
export function authenticatorSetup(section, { greeting, heading, secret, uri, qr_svg, button, submit, back }) {
  const error = errorBox();
  const grouped = secret.replace(/(.{4})(?=.)/g, '$1 ');
  const copied = h('span', { class: 'hint', role: 'status' });
  const submitButton = h('button', { type: 'submit', class: 'btn primary block', text: button });
  const code = codeInput(() => send());
  let busy = false;

  async function send() {
    if (busy) return;
    if (!/^\d{6}$/.test(code.value)) {
      error.show('Enter the 6-digit code your authenticator app shows for STracker.');
      return code.focus();
    }
    busy = submitButton.disabled = true;
    error.show('');
    const problem = await submit(code.value);
    if (!problem) return;
    busy = submitButton.disabled = false;
    code.value = '';
    error.show(problem);
    code.focus();
  }

  const qr = h('img', {
    class: 'qr',
    src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr_svg)}`,
    alt: 'QR code of your new sign-in key. Scan it with your authenticator app.',
    width: 200,
    height: 200,
  });
  fill(section,
    brand(greeting),
    h('form', { class: 'card stack', novalidate: true, onsubmit: (e) => { e.preventDefault(); send(); } },
      h('h2', { text: heading }),
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
      submitButton,
      back && h('button', { type: 'button', class: 'btn link', text: 'Back', onclick: back })));
  window.scrollTo(0, 0);
}

/** The code box's message for a refused code. */
export const WRONG_CODE = 'That code does not match. Make sure you added this key (not an older one) and that the phone’s clock is right, then type the current code.';
