// Receipts on spendings: a camera button on a spending without one (the phone offers the camera
// or its files), a thumbnail on one that has it, and a sheet to see, replace or remove it. The
// pictures are fetched with the token (an <img src> could not send it) and kept as object URLs
// until a change elsewhere may have replaced them.

import { api, messageFor } from '../api.js';
import { confirmDialog, h } from '../dom.js';
import { money } from '../format.js';
import { toast } from '../toast.js';
import { cameraIcon } from './icons.js';

const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif';
const MAX_BYTES = 5 * 1024 * 1024;
const pictures = new Map(); // spending id → Promise of an object URL

function forget(id) {
  const url = pictures.get(id);
  pictures.delete(id);
  url?.then((u) => URL.revokeObjectURL(u)).catch(() => {});
}

window.addEventListener('stracker:changed', (event) => {
  if (event.detail.kinds.some((k) => k.startsWith('spending.') || k === 'reset' || k === 'changes')) {
    for (const id of [...pictures.keys()]) forget(id);
  }
});

function picture(id) {
  if (!pictures.has(id)) {
    const loading = api(`spending/${encodeURIComponent(id)}/receipt`, { blob: true }).then((blob) => URL.createObjectURL(blob));
    loading.catch(() => pictures.delete(id));
    pictures.set(id, loading);
  }
  return pictures.get(id);
}

/** An <img> of the receipt, or a plain receipt sign where the browser cannot draw it (HEIC). */
function image(id, className, alt) {
  const img = h('img', { class: className, alt, decoding: 'async' });
  const fallback = () => img.replaceWith(h('span', { class: `${className} no-preview`, role: 'img', 'aria-label': alt, text: '🧾' }));
  img.addEventListener('error', fallback);
  picture(id).then((url) => { img.src = url; }, fallback);
  return img;
}

function choose(s, onChange) {
  const input = h('input', { type: 'file', accept: ACCEPT, class: 'offscreen', 'aria-hidden': 'true', tabindex: '-1' });
  input.addEventListener('change', async () => {
    const file = input.files[0];
    input.remove();
    if (!file) return;
    if (file.size > MAX_BYTES) {
      toast(`That picture is ${(file.size / 1024 / 1024).toFixed(1)} MB; a receipt can be at most 5 MB.`, { tone: 'bad', duration: 6000 });
      return;
    }
    try {
      await api(`spending/${encodeURIComponent(s.id)}/receipt`, { method: 'PUT', body: file, contentType: file.type || 'application/octet-stream' });
      forget(s.id);
      toast(`Receipt kept with ${money(s.amount)}.`);
      onChange?.();
    } catch (error) {
      toast(`The receipt was not saved: ${messageFor(error)}`, { tone: 'bad', duration: 6000 });
    }
  });
  document.body.append(input);
  input.click();
}

function openSheet(s, { label, canEdit, onChange }) {
  const dialog = h('dialog', { class: 'dialog sheet receipt-sheet', 'aria-label': `Receipt of ${label}` },
    h('form', { method: 'dialog' },
      h('p', { class: 'dialog-title', text: `Receipt · ${money(s.amount)}` }),
      image(s.id, 'receipt-full', `Receipt of ${label}`),
      h('div', { class: 'row end' },
        canEdit && h('button', {
          type: 'button', class: 'btn danger', text: 'Remove',
          onclick: async () => {
            dialog.close();
            if (!await confirmDialog('Remove this receipt?', { confirm: 'Remove' })) return;
            try {
              await api(`spending/${encodeURIComponent(s.id)}/receipt`, { method: 'DELETE' });
              forget(s.id);
              toast('Receipt removed.');
              onChange?.();
            } catch (error) {
              toast(`The receipt was not removed: ${messageFor(error)}`, { tone: 'bad', duration: 6000 });
            }
          },
        }),
        canEdit && h('button', { type: 'button', class: 'btn', text: 'Replace', onclick: () => { dialog.close(); choose(s, onChange); } }),
        h('button', { value: 'close', class: 'btn primary', text: 'Close' }))));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

/**
 * The receipt control of a spending row: its thumbnail (opens the sheet), a camera button for
 * whoever may change it, or nothing (pending spendings have no id on the server yet).
 */
export function receiptControl(s, { label, canEdit, onChange }) {
  if (s.pending) return null;
  if (s.has_receipt) {
    return h('button', { type: 'button', class: 'receipt-thumb', 'aria-label': `Receipt of ${label}`, onclick: () => openSheet(s, { label, canEdit, onChange }) },
      image(s.id, 'receipt-mini', ''));
  }
  if (!canEdit) return null;
  return h('button', { type: 'button', class: 'icon-btn receipt-add', 'aria-label': `Add a receipt to ${label}`, onclick: () => choose(s, onChange) }, cameraIcon());
}
