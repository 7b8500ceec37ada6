// Settings › Devices: where this account is signed in; sign one out, or everywhere.

import { api, messageFor } from '../api.js';
import { signOut } from '../auth.js';
import { confirmDialog, fill, h } from '../dom.js';
import { when } from '../format.js';
import { toast } from '../toast.js';

export function devicesSection() {
  const list = h('ul', { class: 'list' }, h('li', { class: 'muted', text: 'Loading…' }));
  const section = h('section', { class: 'card', 'aria-labelledby': 'devices-title' },
    h('h2', { id: 'devices-title', text: 'Devices' }),
    list,
    h('div', { class: 'row end' },
      h('button', { type: 'button', class: 'btn danger-text', text: 'Sign out everywhere', onclick: async () => {
        if (!await confirmDialog('Sign out on every device?', { detail: 'This one included. Each device then needs a code from the authenticator app.', confirm: 'Sign out everywhere' })) return;
        try {
          await api('user/devices', { method: 'DELETE' });
          signOut('You were signed out on every device.');
        } catch (err) {
          toast(messageFor(err), { tone: 'bad' });
        }
      } })));

  async function reload() {
    try {
      const devices = await api('user/devices');
      fill(list, ...devices.map((d) => h('li', { class: 'list-row' },
        h('span', { class: 'grow' },
          h('span', { class: 'strong', text: d.name }, d.current ? h('span', { class: 'badge', text: 'this device' }) : null),
          h('span', { class: 'hint block', text: `Active ${when(d.last_seen_at)} · since ${when(d.created_at)}` })),
        h('button', { type: 'button', class: 'btn small', text: 'Sign out', 'aria-label': `Sign out ${d.name}${d.current ? ' (this device)' : ''}`, onclick: async () => {
          if (!await confirmDialog(`Sign out ${d.name}?`, { confirm: 'Sign out', detail: d.current ? 'That is this device.' : '' })) return;
          try {
            await api(`user/devices/${d.id}`, { method: 'DELETE' });
            if (d.current) signOut();
            else reload();
          } catch (err) {
            toast(messageFor(err), { tone: 'bad' });
          }
        } }))));
    } catch (err) {
      fill(list, h('li', { class: 'muted', text: messageFor(err) }));
    }
  }

  return { el: section, reload };
}
