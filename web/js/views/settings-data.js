// Settings › Your data: download every spending as a CSV file, import one (the app's own export,
// or another app's with the same column names), after saying what it would add.

import { api, ApiError, messageFor } from '../api.js';
import { confirmDialog, h } from '../dom.js';
import { plural } from '../format.js';
import * as store from '../store.js';
import { toast } from '../toast.js';

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, class: 'offscreen' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The server's 422 as at most three lines a person can act on. */
function problems(error) {
  if (!(error instanceof ApiError) || !Array.isArray(error.detail)) return messageFor(error);
  const lines = error.detail.map((d) => d.msg);
  return lines.slice(0, 3).join('\n') + (lines.length > 3 ? `\n…and ${lines.length - 3} more` : '');
}

export function dataSection() {
  const file = h('input', { type: 'file', accept: '.csv,text/csv', class: 'offscreen', id: 'import-file', 'aria-label': 'CSV file to import' });
  const status = h('p', { class: 'hint', role: 'status', id: 'import-status' });

  const exportButton = h('button', { type: 'button', class: 'btn', id: 'export-csv', text: 'Download CSV', onclick: async () => {
    exportButton.disabled = true;
    try {
      const blob = await api('export.csv', { blob: true });
      download(blob, `stracker-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (err) {
      toast(messageFor(err), { tone: 'bad' });
    } finally {
      exportButton.disabled = false;
    }
  } });

  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    file.value = '';
    if (!chosen) return;
    status.textContent = `Reading ${chosen.name}…`;
    status.classList.remove('bad');
    const send = (query) => api(`import?create_funnels=1${query}`, { method: 'POST', body: chosen, contentType: 'text/csv' });
    try {
      const plan = await send('&dry_run=1');
      status.textContent = '';
      if (plan.created === 0) {
        toast(plan.duplicates ? `Nothing new: all ${plural(plan.duplicates, 'spending')} are already here.` : 'The file has no spendings.');
        return;
      }
      const detail = [
        plan.duplicates ? `${plural(plan.duplicates, 'row')} already here will be skipped.` : '',
        plan.funnels_created.length ? `New ${plan.funnels_created.length === 1 ? 'funnel' : 'funnels'}: ${plan.funnels_created.join(', ')}.` : '',
      ].filter(Boolean).join(' ');
      if (!await confirmDialog(`Import ${plural(plan.created, 'spending')}?`, { detail, confirm: 'Import', danger: false })) return;
      const done = await send('');
      toast(`Imported ${plural(done.created, 'spending')}.`);
      store.loadOverview().catch(() => {});
    } catch (err) {
      status.textContent = `${chosen.name} was not imported:\n${problems(err)}`;
      status.classList.add('bad');
    }
  });

  const section = h('section', { class: 'card', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title', text: 'Your data' }),
    h('p', { class: 'hint', text: 'Every spending you can see, as a CSV file for a spreadsheet or a backup. Import takes the same columns (date, amount, funnel; currency, who and note if you have them) and skips rows already here.' }),
    h('div', { class: 'row two' },
      exportButton,
      h('label', { class: 'btn', for: 'import-file', text: 'Import CSV…' }), file),
    status);
  return { el: section };
}
