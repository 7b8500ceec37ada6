// Recovery codes: right after sign-up (or a new authenticator) the app makes 10 and shows them
// once, to write down or save; later this screen says how many are left and makes a new set.
// A code signs in once, on the sign-in screen's "Lost your authenticator?".

import { api, messageFor } from '../api.js';
import { confirmDialog, copyText, fill, h } from '../dom.js';
import { dayWithYear, plural } from '../format.js';
import { toast } from '../toast.js';

// Codes made in this tab and not yet confirmed as saved: a second mount (the route is rendered
// again after sign-in) shows the same ones instead of making others.
let fresh = null; // Promise of {codes, created_at}
let wanted = false;

/** The next mount of this screen makes and shows a new set (after sign-up or re-enrolment). */
export function showRecoveryCodesNext() {
  wanted = true;
  location.replace('#/recovery-codes');
}

function codesText(codes, username) {
  return [`STracker recovery codes for ${username} (${location.host})`, 'Each works once, on the sign-in screen under "Lost your authenticator?".', '', ...codes, ''].join('\n');
}

export function mount(root) {
  const section = h('section', { class: 'auth stack' });
  root.append(section);
  if (wanted) {
    wanted = false;
    fresh = api('user/recovery-codes', { method: 'POST' });
  }
  if (fresh) showFresh(fresh, true);
  else showStatus();

  async function showStatus() {
    fill(section, h('h1', { text: 'Recovery codes' }), h('p', { class: 'muted', text: 'Loading…' }));
    let status;
    try {
      status = await api('user/recovery-codes');
    } catch (err) {
      fill(section, h('h1', { text: 'Recovery codes' }), h('p', { class: 'muted', text: messageFor(err) }));
      return;
    }
    const make = h('button', { type: 'button', class: 'btn primary', text: 'Make new codes', onclick: async () => {
      if (status.remaining && !await confirmDialog('Make new recovery codes?', {
        detail: `The ${plural(status.remaining, 'code')} you have now stop working.`, confirm: 'Make new codes', danger: false,
      })) return;
      fresh = api('user/recovery-codes', { method: 'POST' });
      showFresh(fresh, false);
    } });
    const made = status.created_at ? ` (made ${dayWithYear(status.created_at)})` : '';
    fill(section,
      h('h1', { text: 'Recovery codes' }),
      h('div', { class: 'card stack' },
        h('p', { class: 'strong', text: status.created_at ? `${status.remaining} of 10 codes left${made}.` : 'You have no recovery codes yet.' }),
        h('p', { class: 'hint', text: 'If you lose your phone or authenticator app, a recovery code signs you in once and lets you set up a new one. Keep them somewhere other than this phone.' }),
        h('div', { class: 'row end' }, h('a', { class: 'btn', href: '#/settings', text: 'Back' }), make)));
  }

  async function showFresh(promise, afterSignUp) {
    fill(section, h('h1', { text: 'Your recovery codes' }), h('p', { class: 'muted', text: 'Making your codes…' }));
    let answer;
    try {
      answer = await promise;
    } catch (err) {
      fresh = null;
      fill(section, h('h1', { text: 'Your recovery codes' }),
        h('p', { class: 'muted', text: `${messageFor(err)} You can make them later in Settings › Recovery codes.` }),
        h('a', { class: 'btn primary block', href: '#/', text: 'Continue' }));
      return;
    }
    const username = (await api('user/decode').catch(() => ({}))).username || '';
    const text = codesText(answer.codes, username);
    const status = h('span', { class: 'hint', role: 'status' });
    const download = h('a', {
      class: 'btn small', text: 'Download',
      href: `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`, download: 'stracker-recovery-codes.txt',
    });
    fill(section,
      h('h1', { text: 'Your recovery codes' }),
      h('div', { class: 'card stack' },
        h('p', { text: 'If you lose this phone or your authenticator app, each of these codes signs you in once and lets you set up a new authenticator. Write them down or save them somewhere other than this phone: they are shown only now.' }),
        h('ol', { class: 'recovery-codes', 'aria-label': 'Recovery codes' }, answer.codes.map((code) => h('li', { class: 'num', text: code }))),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn small', text: 'Copy all', onclick: async () => { status.textContent = (await copyText(text)) ? 'Codes copied.' : 'Copy failed: select them instead.'; } }),
          download,
          status),
        h('button', { type: 'button', class: 'btn primary block', text: 'I have saved them', onclick: () => {
          fresh = null;
          if (!afterSignUp) toast('New recovery codes made; the old ones no longer work.');
          location.hash = afterSignUp ? '#/' : '#/settings';
        } })));
  }
}
