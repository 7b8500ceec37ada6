// Tiny DOM helpers: elements are built node by node; nothing from the server is parsed as HTML.

const SVG_NS = 'http://www.w3.org/2000/svg';
const READ_ONLY = new Set(['list', 'form']); // properties that only reflect their attribute

function apply(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key in el && !READ_ONLY.has(key) && !key.includes('-') && !(el instanceof SVGElement)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h('button', {class: 'x', onclick: f}, 'text', child, [more]) */
export function h(tag, attrs, ...children) {
  return append(apply(document.createElement(tag), attrs), children);
}

export function svg(tag, attrs, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Replaces el's children the way h() appends them: null, undefined and false are skipped (the
 * DOM's own replaceChildren would write them as the text "undefined" or "false"). */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** A modal <dialog> asking to confirm; resolves true or false. */
export function confirmDialog(message, { confirm = 'Delete', cancel = 'Cancel', danger = true, detail = '' } = {}) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' },
      h('form', { method: 'dialog' },
        h('p', { id: 'dialog-title', class: 'dialog-title', text: message }),
        detail && h('p', { class: 'muted', text: detail }),
        h('div', { class: 'row end' },
          h('button', { value: 'cancel', class: 'btn', text: cancel }),
          h('button', { value: 'ok', class: danger ? 'btn danger' : 'btn primary', text: confirm }))));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector('button[value=cancel]').focus();
  });
}

/** Copies text; falls back to a selection for pages that are not a secure context. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { value: text, readOnly: true, class: 'offscreen' });
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
