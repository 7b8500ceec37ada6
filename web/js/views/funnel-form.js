// Create or edit a funnel in a dialog: emoji or short label (picker or free text), name, color,
// limit, shared; delete with a warning.

import { api, ApiError, messageFor } from '../api.js';
import { confirmDialog, h } from '../dom.js';
import { fromMinor, labelLength, parseAmount } from '../format.js';
import { errorBox, field } from './form-parts.js';

const PALETTE = ['#ffa500', '#48d1cc', '#e4572e', '#6a4c93', '#1982c4', '#8ac926', '#ff595e', '#f4a261'];
// Common budget categories, in the order a family's funnels usually come.
const EMOJIS = ['🛒', '🍞', '🍽️', '☕', '🏠', '💡', '📱', '🚗', '⛽', '🚌', '✈️', '💊', '👶', '🐶', '👕', '🎓', '📚', '🎮', '🏋️', '🎁', '🎉', '🧾', '💰', '🌱'];
const NAME_MAX = 64; // characters as people count them (grapheme clusters), as the server counts
const NAME_COUNT_FROM = 48; // the counter appears this close to the limit
const LABEL_MAX = 8;
// What the server refuses in a label: control characters, line breaks and direction marks.
const REFUSED_IN_LABEL = /[\p{Cc}\p{Zl}\p{Zp}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u;
// The server's answer for a field, in the words of this form.
const FIELD_PROBLEMS = {
  emoji: `The label must be one emoji or up to ${LABEL_MAX} letters, digits or symbols.`,
  name: `The name must be 1 to ${NAME_MAX} characters, without control characters.`,
  limit: 'The limit must be an amount of 0 or more, such as 400.',
  color: 'Choose another color.',
};

/** The first palette color no funnel uses yet; when all are taken, the least used one. */
export function unusedColor(used) {
  const counts = new Map(PALETTE.map((c) => [c, 0]));
  for (const color of used) {
    const key = String(color).toLowerCase();
    if (counts.has(key)) counts.set(key, counts.get(key) + 1);
  }
  let best = PALETTE[0];
  for (const color of PALETTE) if (counts.get(color) < counts.get(best)) best = color;
  return best;
}

/** Opens the dialog; resolves true when something was saved or deleted. `usedColors`: the
 * colors of the household's funnels, so that a new one gets a color of its own. */
export function openFunnelForm(funnel, { canShare = true, usedColors = [] } = {}) {
  return new Promise((resolve) => {
    const editing = !!funnel;
    const error = errorBox();
    // maxlength counts UTF-16 units, not characters (a family emoji is 11 of them): lengths are
    // counted as people count them, and shown, instead of cutting what was typed or pasted.
    const emoji = h('input', { type: 'text', required: true, maxlength: 64, autocomplete: 'off', class: 'emoji-input', 'aria-describedby': 'funnel-emoji-hint', value: funnel?.emoji || '' });
    const name = h('input', { type: 'text', required: true, maxlength: 256, autocomplete: 'off', value: funnel?.name || '' });
    const nameField = field('funnel-name', 'Name', name, `Up to ${NAME_MAX} characters.`);
    const nameHint = nameField.querySelector('.hint');
    nameHint.setAttribute('aria-live', 'polite');
    const limit = h('input', { type: 'text', inputmode: 'decimal', required: true, autocomplete: 'off', value: funnel ? String(funnel.limit) : '' });
    const color = h('input', { type: 'color', value: funnel?.color || unusedColor(usedColors) });
    const shared = h('input', { type: 'checkbox', id: 'funnel-shared', checked: funnel ? funnel.shared : true, disabled: !canShare });
    const fields = { emoji, name, limit, color };
    let changed = false;

    const dialog = h('dialog', { class: 'dialog sheet', 'aria-labelledby': 'funnel-form-title' });
    const close = () => dialog.close();
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(changed);
    });

    function showNameLength() {
      const count = labelLength(name.value.trim());
      const over = count - NAME_MAX;
      nameHint.textContent = over > 0
        ? `${count} of ${NAME_MAX} characters: ${over} too many.`
        : count >= NAME_COUNT_FROM ? `${count} of ${NAME_MAX} characters.` : `Up to ${NAME_MAX} characters.`;
      nameHint.classList.toggle('bad', over > 0);
      name.setAttribute('aria-invalid', String(over > 0));
    }

    const picks = EMOJIS.map((e) => h('button', { type: 'button', class: 'chip emoji-chip', text: e, 'aria-label': `Use ${e}`, onclick: () => {
      emoji.value = e;
      showPicked();
    } }));
    function showPicked() {
      for (const pick of picks) pick.setAttribute('aria-pressed', String(pick.textContent === emoji.value.trim()));
    }

    /** [field, message] for a problem the form can name before asking the server, or null. */
    function problem() {
      const label = emoji.value.trim();
      if (!label) return ['emoji', 'Choose an emoji below or type a short label.'];
      if (labelLength(label) > LABEL_MAX) return ['emoji', `The label can be at most ${LABEL_MAX} characters; the name can say more.`];
      if (REFUSED_IN_LABEL.test(label)) return ['emoji', FIELD_PROBLEMS.emoji];
      if (!name.value.trim()) return ['name', 'Give the funnel a name.'];
      if (labelLength(name.value.trim()) > NAME_MAX) return ['name', `The name can be at most ${NAME_MAX} characters.`];
      const parsed = parseAmount(limit.value);
      if (parsed.error && !/zero/.test(parsed.error)) return ['limit', `Limit: ${parsed.error}`];
      if (parsed.empty || parsed.minor < 0) return ['limit', 'Limit: enter the amount for one period, such as 400.'];
      return null;
    }

    function showProblem(key, text) {
      for (const [k, input] of Object.entries(fields)) input.setAttribute('aria-invalid', String(k === key));
      error.show(text);
      fields[key]?.focus();
    }

    /** The server's refusal in the form's words: each field it names, else its own message. */
    function serverProblem(err) {
      const keys = err instanceof ApiError && Array.isArray(err.detail)
        ? err.detail.map((d) => (d.loc || []).find((part) => part in FIELD_PROBLEMS)).filter(Boolean) : [];
      if (!keys.length) return error.show(messageFor(err));
      showProblem(keys[0], [...new Set(keys)].map((k) => FIELD_PROBLEMS[k]).join(' '));
    }

    async function save(e) {
      e.preventDefault();
      error.show('');
      const found = problem();
      if (found) return showProblem(...found);
      const parsed = parseAmount(limit.value);
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
        serverProblem(err);
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
      h('div', { class: 'chips emoji-picker', role: 'group', 'aria-label': 'Common emoji' }, picks),
      h('p', { id: 'funnel-emoji-hint', class: 'hint', text: `Tap an emoji, or type your own or a label of up to ${LABEL_MAX} characters (“Food $”).` }),
      nameField,
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
    name.addEventListener('input', showNameLength);
    emoji.addEventListener('input', showPicked);
    showNameLength();
    showPicked();
    document.body.append(dialog);
    dialog.showModal();
    (editing ? name : emoji).focus();
  });
}
