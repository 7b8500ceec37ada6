// Change a spending in a dialog: amount, funnel, note, date and time (the household's clock).
// Only what changed is sent (PATCH); the server checks who may change it and answers the list
// anew through the overview. A spending still waiting on this phone is not editable here: it
// has not reached the server yet.

import { api, messageFor } from '../api.js';
import { h } from '../dom.js';
import { fractionDigits, fromMinor, money, parseAmount, toMinor } from '../format.js';
import { instantAt, wallClock } from '../wall-clock.js';
import { errorBox, field } from './form-parts.js';

const amountText = (value) => new Intl.NumberFormat(undefined, { minimumFractionDigits: fractionDigits(), maximumFractionDigits: fractionDigits(), useGrouping: false }).format(value);

/** Opens the dialog for `spending`; resolves true when a change was saved. `funnels`: the ones
 * the person can record into, in their order. */
export function editSpending(spending, { funnels }) {
  return new Promise((resolve) => {
    const error = errorBox();
    const at = wallClock(spending.timestamp);
    const amount = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', required: true, value: amountText(spending.amount) });
    const choices = funnels.some((f) => f.id === spending.funnel_id) ? funnels : [{ id: spending.funnel_id, emoji: '•', name: 'Deleted funnel' }, ...funnels];
    const funnel = h('select', {}, choices.map((f) => h('option', { value: f.id, text: `${f.emoji} ${f.name}`, selected: f.id === spending.funnel_id })));
    const note = h('input', { type: 'text', maxlength: 500, autocomplete: 'off', value: spending.note || '' });
    const date = h('input', { type: 'date', required: true, value: at.date, max: wallClock(Date.now()).date });
    const time = h('input', { type: 'time', required: true, value: at.time });
    const submit = h('button', { type: 'submit', class: 'btn primary', text: 'Save' });
    let saved = false;

    const dialog = h('dialog', { class: 'dialog sheet', 'aria-labelledby': 'spending-edit-title' });
    const close = () => dialog.close();
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(saved);
    });

    /** The fields that differ from the spending, as the API takes them; or a message. */
    function changes() {
      const parsed = parseAmount(amount.value);
      if (parsed.empty) return { error: 'Enter an amount.', focus: amount };
      if (parsed.error) return { error: parsed.error, focus: amount };
      const timestamp = instantAt(date.value, time.value);
      if (timestamp === null) return { error: 'Enter a date and a time.', focus: date.value ? time : date };
      if (timestamp > Date.now() + 60000) return { error: 'That is in the future: a spending is recorded when it happened.', focus: date };
      const body = {};
      if (parsed.minor !== toMinor(spending.amount)) body.amount = fromMinor(parsed.minor);
      if (funnel.value !== spending.funnel_id) body.funnel_id = funnel.value;
      if (note.value.trim() !== (spending.note || '')) body.note = note.value.trim();
      // The fields show minutes: the timestamp changes only when the minute shown did.
      const unchanged = wallClock(spending.timestamp);
      if (date.value !== unchanged.date || time.value !== unchanged.time) body.timestamp = timestamp;
      return { body };
    }

    async function save(e) {
      e.preventDefault();
      const { body, error: problem, focus } = changes();
      amount.setAttribute('aria-invalid', String(focus === amount));
      if (problem) {
        error.show(problem);
        return focus.focus();
      }
      if (!Object.keys(body).length) return close();
      submit.disabled = true;
      error.show('');
      try {
        await api(`spending/${spending.id}`, { method: 'PATCH', body });
        saved = true;
        close();
      } catch (err) {
        submit.disabled = false;
        error.show(messageFor(err));
      }
    }

    dialog.append(h('form', { class: 'stack', novalidate: true, onsubmit: save },
      h('h2', { id: 'spending-edit-title', text: `Change ${money(spending.amount)}` }),
      field('edit-amount', 'Amount', amount, 'A minus sign records a refund.'),
      field('edit-funnel', 'Funnel', funnel),
      field('edit-note', 'Note', note),
      h('div', { class: 'row two' },
        field('edit-date', 'Date', date),
        field('edit-time', 'Time', time)),
      error,
      h('div', { class: 'row end' },
        h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: close }),
        submit)));
    document.body.append(dialog);
    dialog.showModal();
    amount.focus();
  });
}
