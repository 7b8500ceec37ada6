// History: spent against limit per period (all funnels or one), from the first period with
// data; a chosen period's total, its funnels (shared ones split by who recorded) and spendings.

import { api, messageFor } from '../api.js';
import { currentUser } from '../auth.js';
import { barChart } from '../chart.js';
import { fill, h } from '../dom.js';
import { money, moneyCompact, monthOf, monthShort, monthYear, moneyShort, periodRange, toMinor, fromMinor, yearOf } from '../format.js';
import { discard } from '../offline-queue.js';
import * as store from '../store.js';
import { historyKey } from '../storage-keys.js';
import { toast } from '../toast.js';
import { spendingList } from './spending-list.js';

const cacheKey = () => historyKey(currentUser());

// A period is named by the month holding its middle: with a start day of 28, Nov 28 – Dec 27 is
// December's budget.
const middle = (period) => Math.floor((period.start + period.end) / 2);

/** The sum of decimal amounts, exact in minor units. */
const sum = (values) => fromMinor(values.reduce((s, v) => s + toMinor(v), 0));

/** "You €12.50 · jonas €3.00": who recorded how much, the person looking first. */
function whoSpent(members, me) {
  const ordered = [...members.filter((m) => m.user === me), ...members.filter((m) => m.user !== me)];
  // A name and its amount are never split over two lines.
  return ordered.map((m) => `${m.user === me ? 'You' : m.user}\u00a0${money(m.spent).replace(/ /g, '\u00a0')}`).join(' · ');
}

export function mount(root) {
  const chartBox = h('div', { class: 'chart-box' }, h('p', { class: 'muted', text: 'Loading…' }));
  const summary = h('p', { class: 'period-summary', 'aria-live': 'polite' });
  const filters = h('div', { class: 'chips', role: 'group', 'aria-label': 'Show funnel' });
  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' });
  const detail = h('section', { class: 'card', 'aria-live': 'polite' });
  root.append(h('section', { class: 'history stack' },
    h('h1', { text: 'History' }),
    h('section', { class: 'card' }, filters, chartBox, summary, legend),
    detail));

  let data = null;
  let selected = -1;
  let only = '';
  let alive = true;
  let drawnWidth = 0;

  const funnels = () => new Map((store.state.overview?.funnels || []).map((f) => [f.id, f]));
  const me = () => store.state.overview?.username;

  /** The funnels of a period this view shows (the filter, and funnels this member still sees). */
  function rowsOf(period, known = funnels()) {
    return period.funnels.filter((f) => known.has(f.id) && (!only || only === f.id));
  }

  /**
   * The periods worth a column, by their index in the answer: from the first in which a shown
   * funnel existed or had spendings (the server lists a funnel from then on), to the current one.
   */
  function shownPeriods() {
    const known = funnels();
    const first = data.periods.findIndex((p) => rowsOf(p, known).length > 0);
    return first < 0 ? [] : data.periods.slice(first).map((_, i) => first + i);
  }

  function totals(period) {
    const rows = rowsOf(period);
    return { spent: sum(rows.map((f) => f.spent)), limit: sum(rows.map((f) => f.limit)) };
  }

  const isCurrent = (period) => period.end > Date.now();

  function render(focusColumn = false) {
    if (!data) return;
    const known = funnels();
    fill(filters,
      h('button', { type: 'button', class: 'chip', 'aria-pressed': String(!only), text: 'All', onclick: () => choose('') }),
      ...[...known.values()].map((f) => h('button', { type: 'button', class: 'chip', 'aria-pressed': String(only === f.id), text: `${f.emoji} ${f.name}`, onclick: () => choose(f.id) })));
    const shown = shownPeriods();
    if (!shown.length) {
      fill(chartBox, h('p', { class: 'muted empty', text: 'Nothing to show yet: the history begins with the first funnel.' }));
      fill(summary);
      fill(legend);
      return;
    }
    if (!shown.includes(selected)) selected = shown[shown.length - 1];
    const columns = shown.map((index, column) => {
      const p = data.periods[index];
      const { spent, limit } = totals(p);
      const next = data.periods[shown[column + 1]];
      // The year under the first column and under each January (not twice side by side).
      const firstOfYear = column === 0 ? !(next && monthOf(middle(next)) === 1) : monthOf(middle(p)) === 1;
      return {
        label: monthShort(middle(p)),
        sublabel: firstOfYear ? yearOf(middle(p)) : undefined,
        caption: moneyCompact(spent),
        title: `${monthYear(middle(p))}${isCurrent(p) ? ' so far' : ''}: spent ${money(spent)} of ${money(limit)}`,
        limit,
        segments: rowsOf(p, known).map((f) => ({ value: f.spent, color: known.get(f.id).color })),
      };
    });
    drawnWidth = chartBox.clientWidth;
    fill(chartBox, barChart({
      columns,
      selected: shown.indexOf(selected),
      format: moneyShort,
      width: drawnWidth || 360,
      description: 'Spent per period; the dashed mark is the limit. Choose a period to see its spendings.',
      onSelect: (column, focus) => {
        selected = shown[column];
        render(!!focus);
        showPeriod();
      },
    }));
    if (focusColumn) chartBox.querySelectorAll('.column')[shown.indexOf(selected)]?.focus();
    const period = data.periods[selected];
    const { spent, limit } = totals(period);
    fill(summary,
      h('strong', { text: `${monthYear(middle(period))}${isCurrent(period) ? ' so far' : ''}` }),
      h('span', { class: `num${spent > limit ? ' negative' : ''}`, text: `${money(spent)} of ${moneyShort(limit)}` }));
    fill(legend, ...[...known.values()].filter((f) => !only || only === f.id).map((f) => {
      const dot = h('span', { class: 'dot' });
      dot.style.background = f.color;
      return h('li', {}, dot, `${f.emoji} ${f.name}`);
    }));
  }

  function choose(id) {
    only = id;
    render();
    showPeriod();
  }

  async function showPeriod() {
    if (!shownPeriods().includes(selected)) {
      fill(detail);
      return;
    }
    const period = data.periods[selected];
    const known = funnels();
    const rows = rowsOf(period, known);
    const list = h('div', {}, h('p', { class: 'muted', text: 'Loading spendings…' }));
    const table = h('ul', { class: 'list' }, rows.map((row) => {
      const f = known.get(row.id);
      const ratio = row.limit > 0 ? Math.min(row.spent / row.limit, 1) : 0;
      const barFill = h('span', { class: 'f-fill' });
      barFill.style.width = `${(ratio * 100).toFixed(1)}%`;
      const bar = h('span', { class: 'f-bar', 'aria-hidden': 'true' }, barFill);
      bar.style.setProperty('--funnel', f.color);
      const members = row.members?.length ? h('span', { class: 'members', text: whoSpent(row.members, me()) }) : null;
      return h('li', { class: 'list-row wrap' },
        h('span', { class: 'grow strong', text: `${f.emoji} ${f.name}` }),
        h('span', { class: `num${row.spent > row.limit ? ' negative' : ''}`, text: `${money(row.spent)} of ${moneyShort(row.limit)}` }),
        bar,
        members);
    }));
    // All shared funnels' spendings of the period by who recorded them: when more than one
    // person recorded, in more than one funnel (else the funnel's own line says it all).
    const byMember = new Map();
    const split = rows.filter((row) => row.members?.length);
    for (const row of split) {
      for (const m of row.members) byMember.set(m.user, (byMember.get(m.user) || 0) + toMinor(m.spent));
    }
    const shared = byMember.size > 1 && split.length > 1
      ? h('p', { class: 'members', text: `Shared funnels: ${whoSpent([...byMember].map(([user, minor]) => ({ user, spent: fromMinor(minor) })), me())}` })
      : null;
    fill(detail, h('h2', { text: periodRange(period.start, period.end) }), shared, table, h('h3', { text: 'Spendings' }), list);
    try {
      // Both bounds are exclusive (the old API's rule): one millisecond outside the period on each side.
      const query = new URLSearchParams({ timestamp_from: period.start - 1, timestamp_to: period.end, limit: 500 });
      if (only) query.set('funnel_id', only);
      const spendings = await api(`spending/?${query}`);
      if (!alive || data.periods[selected] !== period) return;
      fill(list, spendingList(spendings, {
        funnels: known,
        me: me(),
        canDelete: (s) => s.user === me() || store.state.household?.role === 'owner',
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
  // Turned sideways or resized: drawn again at the new width, so its text stays 12 px.
  const resized = new ResizeObserver(() => {
    if (data && Math.abs(chartBox.clientWidth - drawnWidth) > 1) render();
  });
  resized.observe(chartBox);
  // A spending recorded or changed on another phone: the chart and the list follow.
  const onChanged = (event) => {
    if (event.detail.kinds.some((k) => !k.startsWith('members.'))) load();
  };
  window.addEventListener('stracker:changed', onChanged);
  return () => {
    alive = false;
    resized.disconnect();
    window.removeEventListener('stracker:changed', onChanged);
  };
}
