// Create or edit a funnel in a dialog: emoji, name, color, limit, shared; delete with a warning.

import { api, messageFor } from '../api.js';
import { confirmDialog, h } from '../dom.js';
import { fromMinor, labelLength, parseAmount } from '../format.js';
import { errorBox, field } from './form-parts.js';

const PALETTE = ['#ffa500', '#48d1cc', '#e4572e', '#6a4c93', '#1982c4', '#8ac926', '#ff595e', '#f4a261'];
const EMOJIS = ['🍞', '🛍️', '🏠', '🚗', '🎉', '💊', '👶', '🐶', '🎁', '✈️'];

/** Opens the dialog; resolves true when something was saved or deleted. */
export function openFunnelForm(funnel, { canShare = true } = {}) {
  return new Promise((resolve) => {
    const editing = !!funnel;
    const error = errorBox();
    // maxlength counts UTF-16 units: 8 clusters such as family emoji need far more than 16; the
  // 8-character rule is checked on save, as the server checks it.
  const emoji = h('input', { type: 'text', required: true, maxlength: 64, autocomplete: 'off', class: 'emoji-input', value: funnel?.emoji || '🛒' });
    const name = h('input', { type: 'text', required: true, maxlength: 64, autocomplete: 'off', value: funnel?.name || '' });
    const limit = h('input', { type: 'text', inputmode: 'decimal', required: true, autocomplete: 'off', value: funnel ? String(funnel.limit) : '' });
    const color = h('input', { type: 'color', value: funnel?.color || PALETTE[Math.floor(Math.random() * PALETTE.length)] });
    const shared = h('input', { type: 'checkbox', id: 'funnel-shared', checked: funnel ? funnel.shared : true, disabled: !canShare });
    let changed = false;

    const dialog = h('dialog', { class: 'dialog sheet', 'aria-labelledby': 'funnel-form-title' });
    const close = () => dialog.close();
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(changed);
    });

    async function save(e) {
      e.preventDefault();
      const parsed = parseAmount(limit.value);
      if (!name.value.trim()) return error.show('Give the funnel a name.');
      if (!emoji.value.trim()) return error.show('Choose an emoji or type a short label.');
      if (labelLength(emoji.value.trim()) > 8) return error.show('The label can be at most 8 characters.');
      if (parsed.error && !/zero/.test(parsed.error)) return error.show(`Limit: ${parsed.error}`);
      if (parsed.empty || parsed.minor < 0) return error.show('Limit: enter the amount for one period, such as 400.');
      const body = { emoji: emoji.value.trim(), name: name.value.trim(), limit: fromMinor(parsed.minor || 0), color: color.value, shared: shared.checked };
      if (editing && funnel.shared && !shared.checked) {
        const ok = await confirmDialog(`Make ${funnel.emoji} ${funnel.name} personal?`, {
          detail: 'Only its creator will see it from now on. Spendings other members recorded in it leave their lists and totals. (Only the household owner can do this once others have recorded in it.)',
          confirm: 'Make personal',
        });
        if (!ok) return;
      }
      submit.disabled = true;
      try {
        await api(editing ? `funnel/${funnel.id}` : 'funnel/', { method: editing ? 'PATCH' : 'POST', body });
        changed = true;
        close();
      } catch (err) {
        error.show(messageFor(err));
        submit.disabled = false;
      }
    }

    async function remove() {
      const ok = await confirmDialog(`Delete ${funnel.emoji} ${funnel.name}?`, {
        detail: funnel.shared
          ? 'All its spendings, in this period and every earlier one, are deleted with it, including those other members recorded. This cannot be undone.'
          : 'All its spendings, in this period and every earlier one, are deleted with it. This cannot be undone.',
        confirm: 'Delete funnel and spendings',
      });
      if (!ok) return;
      try {
        await api(`funnel/${funnel.id}`, { method: 'DELETE' });
        changed = true;
        close();
      } catch (err) {
        error.show(messageFor(err));
      }
    }

    const submit = h('button', { type: 'submit', class: 'btn primary', text: editing ? 'Save' : 'Create funnel' });
    dialog.append(h('form', { class: 'stack', novalidate: true, onsubmit: save },
      h('h2', { id: 'funnel-form-title', text: editing ? `Edit ${funnel.name}` : 'New funnel' }),
      h('div', { class: 'row two' },
        field('funnel-emoji', 'Emoji or label', emoji),
        field('funnel-color', 'Color', color)),
      h('div', { class: 'chips', role: 'group', 'aria-label': 'Suggested emoji' },
        EMOJIS.map((e) => h('button', { type: 'button', class: 'chip', text: e, 'aria-label': `Use ${e}`, onclick: () => { emoji.value = e; } }))),
      field('funnel-name', 'Name', name),
      field('funnel-limit', 'Limit per period', limit, 'What this funnel may spend from one period start to the next.'),
      h('div', { class: 'check' }, shared,
        h('label', { for: 'funnel-shared', text: 'Shared with the household' }),
        h('p', { class: 'hint', text: canShare ? 'Everyone in the household sees it and records into it. Otherwise only you do.' : 'Only the household owner can change this.' })),
      error,
      h('div', { class: 'row end' },
        editing && h('button', { type: 'button', class: 'btn danger-text', text: 'Delete', onclick: remove }),
        h('span', { class: 'grow' }),
        h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: close }),
        submit)));
    document.body.append(dialog);
    dialog.showModal();
    (editing ? name : emoji).focus();
  });
}
