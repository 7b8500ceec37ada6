// Settings › Devices: where this account is signed in and when each was last used; rename one,
// sign one out, or everywhere.

import { api, messageFor } from '../api.js';
import { signOut } from '../auth.js';
import { confirmDialog, fill, h } from '../dom.js';
import { labelLength, when } from '../format.js';
import { toast } from '../toast.js';
import { errorBox, field } from './form-parts.js';

const NAME_MAX = 64;

/** Asks for a device's new name; resolves true once the server has it. */
function renameDialog(device) {
  return new Promise((resolve) => {
    const error = errorBox();
    const input = h('input', { type: 'text', required: true, maxlength: 256, autocomplete: 'off', value: device.name });
    const save = h('button', { type: 'submit', class: 'btn primary', text: 'Save' });
    let saved = false;
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'rename-title' },
      h('form', { class: 'stack', novalidate: true, onsubmit: async (e) => {
        e.preventDefault();
        const name = input.value.trim();
        if (!name) return error.show('Give the device a name.');
        if (labelLength(name) > NAME_MAX) return error.show(`The name can be at most ${NAME_MAX} characters.`);
        save.disabled = true;
        try {
          await api(`user/devices/${device.id}`, { method: 'PATCH', body: { name } });
          saved = true;
          dialog.close();
        } catch (err) {
          error.show(messageFor(err));
          save.disabled = false;
        }
      } },
      h('h2', { id: 'rename-title', class: 'dialog-title', text: 'Rename this device' }),
      field('device-name', 'Name', input, `As you will recognise it, such as “Maria's phone”. Up to ${NAME_MAX} characters.`),
      error,
      h('div', { class: 'row end' },
        h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: () => dialog.close() }),
        save)));
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(saved);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.select();
  });
}

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
        h('button', { type: 'button', class: 'btn small', text: 'Rename', 'aria-label': `Rename ${d.name}${d.current ? ' (this device)' : ''}`, onclick: async () => {
          if (await renameDialog(d)) {
            toast('Device renamed.');
            reload();
          }
        } }),
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
