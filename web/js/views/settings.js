// Settings: funnels, household, devices, your data, appearance, account.

import { api } from '../api.js';
import { signOut } from '../auth.js';
import { confirmDialog, h } from '../dom.js';
import { plural } from '../format.js';
import { waitingEntries } from '../offline-queue.js';
import * as store from '../store.js';
import { getTheme, setTheme } from '../theme.js';
import { dataSection } from './settings-data.js';
import { devicesSection } from './settings-devices.js';
import { funnelSection } from './settings-funnels.js';
import { householdSection } from './settings-household.js';

function appearanceSection() {
  const current = getTheme();
  const options = [['system', 'System'], ['light', 'Light'], ['dark', 'Dark']];
  return h('section', { class: 'card', 'aria-labelledby': 'appearance-title' },
    h('h2', { id: 'appearance-title', text: 'Appearance' }),
    h('div', { class: 'segmented', role: 'radiogroup', 'aria-labelledby': 'appearance-title' },
      options.map(([value, label]) => h('label', {},
        h('input', { type: 'radio', name: 'theme', value, checked: value === current, onchange: () => setTheme(value) }),
        h('span', { text: label })))));
}

function recoverySection() {
  const status = h('p', { class: 'grow', text: 'Loading…' });
  const section = h('section', { class: 'card', 'aria-labelledby': 'recovery-title' },
    h('h2', { id: 'recovery-title', text: 'Recovery codes' }),
    h('div', { class: 'row' }, status, h('a', { class: 'btn', href: '#/recovery-codes', text: 'Manage' })),
    h('p', { class: 'hint', text: 'They sign you in if you lose your phone or authenticator app.' }));
  api('user/recovery-codes').then((s) => {
    status.textContent = s.created_at ? `${s.remaining} of 10 left` : 'None yet: make a set.';
    status.classList.toggle('negative', s.remaining <= 2);
  }).catch(() => { status.textContent = 'Not available offline.'; });
  return section;
}

function accountSection() {
  const user = store.state.overview?.username || '';
  return h('section', { class: 'card', 'aria-labelledby': 'account-title' },
    h('h2', { id: 'account-title', text: 'Account' }),
    h('div', { class: 'row' },
      h('p', { class: 'grow' }, 'Signed in as ', h('strong', { text: user })),
      h('button', { type: 'button', id: 'sign-out', class: 'btn', text: 'Sign out', onclick: async () => {
        const waiting = waitingEntries().length;
        if (waiting && !await confirmDialog(`${plural(waiting, 'spending')} not sent yet`, {
          detail: 'They stay on this device and are sent the next time you sign in here.', confirm: 'Sign out anyway', danger: false,
        })) return;
        await api('user/logout', { method: 'POST' }).catch(() => {});
        store.clearCache();
        signOut();
      } })));
}

export function mount(root) {
  const funnels = funnelSection();
  const household = householdSection();
  const devices = devicesSection();
  root.append(h('section', { class: 'settings stack' },
    h('h1', { text: 'Settings' }),
    funnels.el, household.el, devices.el, recoverySection(), dataSection().el, appearanceSection(), accountSection()));
  const unsubscribe = store.subscribe(funnels.render);
  funnels.render();
  store.loadOverview().catch(() => {});
  household.reload();
  devices.reload();
  return unsubscribe;
}
