// Pieces shared by the forms: the brand header of the sign-in screens, labelled fields, the code box, error boxes.

import { h } from '../dom.js';

export function brand(subtitle) {
  return h('header', { class: 'brand' },
    h('img', { src: 'icons/icon.svg', alt: '', width: 56, height: 56 }),
    h('h1', { text: 'STracker' }),
    h('p', { class: 'muted', text: subtitle }));
}

export function field(id, label, input, hint) {
  input.id = id;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' },
    h('label', { for: id, text: label }),
    input,
    hint && h('p', { id: `${id}-hint`, class: 'hint', text: hint }));
}

/** The 6-digit code box: numeric keypad, one-time-code autofill, calls `complete` at the 6th digit. */
export function codeInput(complete) {
  const input = h('input', {
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]*',
    maxlength: 6,
    required: true,
    class: 'code',
    spellcheck: false,
  });
  input.addEventListener('input', () => {
    const digits = input.value.replace(/\D/g, '').slice(0, 6);
    if (digits !== input.value) input.value = digits;
    if (digits.length === 6) complete(digits);
  });
  return input;
}

/** A live region for a form's error; `show('')` hides it. */
export function errorBox() {
  const box = h('p', { class: 'form-error', role: 'alert', hidden: true });
  box.show = (text) => {
    box.textContent = text;
    box.hidden = !text;
  };
  return box;
}
