// A list of spendings: which funnel, who, when, how much; pending ones marked; a receipt's
// thumbnail or a button to add one; tap one to change it; delete after a confirmation.

import { confirmDialog, h } from '../dom.js';
import { money, showLabel, when } from '../format.js';
import { trashIcon } from './icons.js';
import { receiptControl } from './receipts.js';

export function spendingList(spendings, { funnels, me, canDelete = () => false, onDelete, onEdit, onReceiptChange, empty = 'Nothing here.' }) {
  if (!spendings.length) return h('p', { class: 'muted empty', text: empty });
  return h('ul', { class: 'spendings' }, spendings.map((s) => {
    const f = funnels.get(s.funnel_id);
    const name = f ? f.name : 'Deleted funnel';
    const who = s.user === me ? 'You' : s.user;
    const status = s.pending ? 'Waiting to be sent' : '';
    const label = `${money(s.amount)} in ${name}, ${who}, ${when(s.timestamp)}`;
    // What was recorded is changed by tapping it; one still on this phone only once it is sent.
    const editable = onEdit && !s.pending && canDelete(s);
    const main = [
      h('span', { class: 's-title' }, name, s.note ? h('span', { class: 's-note', text: ` · ${s.note}` }) : null),
      h('span', { class: 's-meta' }, `${who} · ${when(s.timestamp)}`, status && h('span', { class: 'badge', text: status })),
    ];
    return h('li', { class: `spending${s.pending ? ' pending' : ''}`, 'data-id': s.id },
      showLabel(h('span', { class: 's-emoji', 'aria-hidden': 'true' }), f ? f.emoji : '•'),
      editable
        ? h('button', { type: 'button', class: 's-main s-edit', 'aria-label': `Change ${label}`, onclick: () => onEdit(s) }, ...main)
        : h('span', { class: 's-main' }, ...main),
      h('span', { class: `s-amount num${s.amount < 0 ? ' refund' : ''}`, text: money(s.amount) }),
      receiptControl(s, { label, canEdit: canDelete(s), onChange: onReceiptChange }),
      canDelete(s) && onDelete
        ? h('button', {
          type: 'button',
          class: 'icon-btn spending-delete',
          'aria-label': `Delete ${label}`,
          onclick: async () => {
            if (await confirmDialog(`Delete ${money(s.amount)} in ${name}?`, { detail: `${who} · ${when(s.timestamp)}${s.note ? ` · ${s.note}` : ''}` })) onDelete(s);
          },
        }, trashIcon())
        : h('span', { class: 'icon-btn-space', 'aria-hidden': 'true' }));
  }));
}
