// One short message at the bottom, optionally with an action (Undo). Announced politely.

import { fill, h } from './dom.js';

let timer = null;

export function toast(message, { action, onAction, duration = 4000, tone = '' } = {}) {
  const box = document.getElementById('toast');
  clearTimeout(timer);
  const close = () => {
    box.hidden = true;
    box.replaceChildren();
  };
  box.className = `toast ${tone}`;
  // DOM's replaceChildren writes an undefined argument as the text "undefined": pass only nodes.
  const children = [h('span', { class: 'toast-text', text: message })];
  if (action) {
    children.push(h('button', {
      type: 'button',
      class: 'toast-action',
      text: action,
      onclick: () => {
        close();
        onAction();
      },
    }));
  }
  fill(box, ...children);
  box.hidden = false;
  timer = setTimeout(close, duration);
  return close;
}
