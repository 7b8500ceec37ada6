// History: spent against limit for the last 12 periods (all funnels or one), and a chosen
// period's figures and spendings.

import { api, messageFor } from '../api.js';
import { currentUser } from '../auth.js';
import { barChart } from '../chart.js';
import { fill, h } from '../dom.js';
import { money, monthShort, moneyShort, periodRange, toMinor, fromMinor } from '../format.js';
import { discard } from '../offline-queue.js';
import * as store from '../store.js';
import { historyKey } from '../storage-keys.js';
import { toast } from '../toast.js';
import { spendingList } from './spending-list.js';

const cacheKey = () => historyKey(currentUser());

export function mount(root) {
  const chartBox = h('div', { class: 'chart-box' }, h('p', { class: 'muted', text: 'Loading…' }));
  const filters = h('div', { class: 'chips', role: 'group', 'aria-label': 'Show funnel' });
  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' });
  const detail = h('section', { class: 'card', 'aria-live': 'polite' });
  root.append(h('section', { class: 'history stack' },
    h('h1', { text: 'History' }),
    h('section', { class: 'card' }, filters, chartBox, legend),
    detail));

  let data = null;
  let selected = -1;
  let only = '';
  let alive = true;

  const funnels = () => new Map((store.state.overview?.funnels || []).map((f) => [f.id, f]));

  function render(focusColumn = false) {
    if (!data) return;
    const known = funnels();
    const visible = (id) => known.has(id) && (!only || only === id);
    fill(filters,
      h('button', { type: 'button', class: 'chip', 'aria-pressed': String(!only), text: 'All', onclick: () => { only = ''; render(); showPeriod(); } }),
      ...[...known.values()].map((f) => h('button', { type: 'button', class: 'chip', 'aria-pressed': String(only === f.id), text: `${f.emoji} ${f.name}`, onclick: () => { only = f.id; render(); showPeriod(); } })));
    const columns = data.periods.map((p) => {
      const rows = p.funnels.filter((f) => visible(f.id));
      const spent = fromMinor(rows.reduce((s, f) => s + toMinor(f.spent), 0));
      const limit = fromMinor(rows.reduce((s, f) => s + toMinor(f.limit), 0));
      return {
        label: monthShort(p.start),
        title: `${periodRange(p.start, p.end)}: spent ${money(spent)} of ${money(limit)}`,
        limit,
        segments: rows.map((f) => ({ value: f.spent, color: known.get(f.id).color })),
      };
    });
    fill(chartBox, barChart({
      columns,
      selected,
      format: moneyShort,
      description: 'Spent per period; the dashed mark is the limit. Choose a period to see its spendings.',
      onSelect: (i, focus) => {
        selected = i;
        render(!!focus);
        showPeriod();
      },
    }));
    if (focusColumn) chartBox.querySelectorAll('.column')[selected]?.focus();
    fill(legend, ...[...known.values()].filter((f) => visible(f.id)).map((f) => {
      const dot = h('span', { class: 'dot' });
      dot.style.background = f.color;
      return h('li', {}, dot, `${f.emoji} ${f.name}`);
    }));
  }

  async function showPeriod() {
    const period = data.periods[selected];
    const known = funnels();
    const rows = period.funnels.filter((f) => known.has(f.id) && (!only || only === f.id));
    const list = h('div', {}, h('p', { class: 'muted', text: 'Loading spendings…' }));
    const table = h('ul', { class: 'list' }, rows.map((row) => {
      const f = known.get(row.id);
      const ratio = row.limit > 0 ? Math.min(row.spent / row.limit, 1) : 0;
      const barFill = h('span', { class: 'f-fill' });
      barFill.style.width = `${(ratio * 100).toFixed(1)}%`;
      const bar = h('span', { class: 'f-bar', 'aria-hidden': 'true' }, barFill);
      bar.style.setProperty('--funnel', f.color);
      return h('li', { class: 'list-row wrap' },
        h('span', { class: 'grow strong', text: `${f.emoji} ${f.name}` }),
        h('span', { class: `num${row.spent > row.limit ? ' negative' : ''}`, text: `${money(row.spent)} of ${moneyShort(row.limit)}` }),
        bar);
    }));
    fill(detail, h('h2', { text: periodRange(period.start, period.end) }), table, h('h3', { text: 'Spendings' }), list);
    try {
      // Both bounds are exclusive (the old API's rule): one millisecond outside the period on each side.
      const query = new URLSearchParams({ timestamp_from: period.start - 1, timestamp_to: period.end, limit: 500 });
      if (only) query.set('funnel_id', only);
      const spendings = await api(`spending/?${query}`);
      if (!alive || data.periods[selected] !== period) return;
      const me = store.state.overview?.username;
      fill(list, spendingList(spendings, {
        funnels: known,
        me,
        canDelete: (s) => s.user === me || store.state.household?.role === 'owner',
        onDelete: async (s) => {
          await discard(s);
          toast(`Deleted ${money(s.amount)}.`);
          setTimeout(load, 800);
        },
        onReceiptChange: () => showPeriod(),
        empty: 'No spendings in this period.',
      }));
    } catch (err) {
      fill(list, h('p', { class: 'muted', text: messageFor(err) }));
    }
  }

  async function load() {
    try {
      if (!store.state.overview) await store.loadOverview();
      data = await api('history?periods=12');
      localStorage.setItem(cacheKey(), JSON.stringify(data));
    } catch (err) {
      try {
        data = data || JSON.parse(localStorage.getItem(cacheKey()));
      } catch {
        data = null;
      }
      if (!data) {
        fill(chartBox, h('p', { class: 'muted', text: messageFor(err) }));
        return;
      }
    }
    if (!alive) return;
    if (selected < 0 || selected >= data.periods.length) selected = data.periods.length - 1;
    render();
    showPeriod();
  }

  load();
  // A spending recorded or changed on another phone: the chart and the list follow.
  const onChanged = (event) => {
    if (event.detail.kinds.some((k) => !k.startsWith('members.'))) load();
  };
  window.addEventListener('stracker:changed', onChanged);
  return () => {
    alive = false;
    window.removeEventListener('stracker:changed', onChanged);
  };
}
