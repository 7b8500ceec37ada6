// The everyday screen: type an amount, tap a funnel (two taps), undo for a few seconds; for an
// earlier day, tap "Yesterday" (or pick a day) first; every funnel's allowance for today,
// previewed while typing; recent spendings of the household, each changed by tapping it and
// deleted with an undo.

import { messageFor } from '../api.js';
import { confirmDialog, fill, h } from '../dom.js';
import { currencySymbol, day, fractionDigits, fromMinor, money, moneyMinor, parseAmount, periodRange, plural, toMinor } from '../format.js';
import { live } from '../live.js';
import { announceWhenSent, discard, discardLater, flush, record, whenSent } from '../offline-queue.js';
import * as store from '../store.js';
import { DRAFT } from '../storage-keys.js';
import { toast } from '../toast.js';
import { funnelCard } from './funnel-card.js';
import { daysBefore, instantAt, wallClock } from '../wall-clock.js';
import { installHint } from './install-hint.js';
import { editSpending } from './spending-edit.js';
import { spendingList } from './spending-list.js';

// While the live stream is down (a proxy that cuts it, an old server), the figures are polled.
const REFRESH_MS = 60000;
// How long a new spending may take to reach the server before the toast says it waits on the phone.
const SENT_WAIT_MS = 1500;
// How long a deleted spending can be brought back (the toast's Undo) before the delete is sent.
const UNDO_MS = 6000;

function readDraft() {
  try {
    return JSON.parse(localStorage.getItem(DRAFT)) || {};
  } catch {
    return {};
  }
}

export function mount(root) {
  const draft = readDraft();
  const title = h('h1', { class: 'household' });
  const period = h('p', { class: 'period muted' });
  const symbol = h('span', { class: 'currency', 'aria-hidden': 'true' });
  const amount = h('input', {
    id: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off', enterkeyhint: 'done',
    placeholder: '0.00', 'aria-describedby': 'amount-hint', value: draft.amount || '',
  });
  const note = h('input', { id: 'note', type: 'text', autocomplete: 'off', maxlength: 500, placeholder: 'Note (optional)', 'aria-label': 'Note (optional)', value: draft.note || '' });
  const hint = h('p', { id: 'amount-hint', class: 'hint', 'aria-live': 'polite' });
  // The day the next spending is for: today unless chosen (it goes back to today once recorded).
  let onDay = '';
  const dayButton = (text, value) => h('button', { type: 'button', class: 'chip', 'data-day': value, text, onclick: () => chooseDay(value) });
  const dayChips = [dayButton('Today', ''), dayButton('Yesterday', 'yesterday'), dayButton('Other day…', 'other')];
  const otherDay = h('input', { type: 'date', id: 'entry-day', 'aria-label': 'Day of the spending', hidden: true });
  const dayRow = h('div', { class: 'chips day-chips', role: 'group', 'aria-label': 'Day of the spending' }, dayChips, otherDay);
  const grid = h('ul', { class: 'funnels', 'aria-label': 'Funnels' });
  const empty = h('p', { class: 'muted', hidden: true });
  const recentList = h('div');
  const cards = new Map();
  let suggested = draft.funnel || '';

  const form = h('form', { class: 'entry', onsubmit: (e) => {
    e.preventDefault();
    const first = grid.querySelector(suggested ? `[data-id="${CSS.escape(suggested)}"]` : '.funnel');
    if (first) first.focus();
  } },
  h('label', { for: 'amount', class: 'entry-label', text: 'Amount' }),
  h('div', { class: 'amount-field' }, symbol, amount),
  note,
  dayRow,
  hint);

  function chooseDay(value) {
    onDay = value;
    if (value === 'other') {
      const today = wallClock(Date.now()).date;
      otherDay.max = today;
      if (!otherDay.value) otherDay.value = wallClock(daysBefore(Date.now(), 2)).date;
    }
    showDay();
    if (value === 'other') otherDay.focus();
  }

  function showDay() {
    for (const chip of dayChips) chip.setAttribute('aria-pressed', String(chip.dataset.day === onDay));
    otherDay.hidden = onDay !== 'other';
    typed();
  }

  /** When the spending being recorded happened: now, or this time of day on the chosen day. */
  function chosenTimestamp() {
    const now = Date.now();
    if (onDay === 'yesterday') return daysBefore(now, 1);
    if (onDay !== 'other' || !otherDay.value) return now;
    const at = instantAt(otherDay.value, wallClock(now).time);
    return at === null ? now : Math.min(at, now);
  }

  /** " for yesterday", " for 3 Dec": what the hint and the toast add for an earlier day. */
  function dayWords() {
    if (onDay === 'yesterday') return ' for yesterday';
    if (onDay === 'other' && otherDay.value && otherDay.value !== wallClock(Date.now()).date) return ` for ${day(chosenTimestamp())}`;
    return '';
  }

  const install = installHint();
  root.append(h('section', { class: 'dash' },
    h('header', { class: 'dash-head' }, title, period),
    form,
    h('h2', { class: 'visually-hidden', text: 'Funnels' }),
    grid,
    empty,
    install.el,
    h('section', { class: 'recent', 'aria-labelledby': 'recent-title' },
      h('h2', { id: 'recent-title', text: 'Recent spendings' }),
      recentList)));

  function saveDraft() {
    const value = { amount: amount.value, note: note.value, funnel: suggested };
    if (value.amount || value.note || value.funnel) localStorage.setItem(DRAFT, JSON.stringify(value));
    else localStorage.removeItem(DRAFT);
  }

  /** The typed amount in minor units, or 0; shows what is wrong with it. */
  function typed({ strict = false } = {}) {
    const parsed = parseAmount(amount.value);
    amount.setAttribute('aria-invalid', parsed.error ? 'true' : 'false');
    if (parsed.error) hint.textContent = parsed.error;
    else if (parsed.empty) hint.textContent = strict ? 'Type an amount first, then tap a funnel.' : 'Type an amount, then tap a funnel to record it.';
    else hint.textContent = parsed.minor < 0 ? `Refund of ${moneyMinor(-parsed.minor)}: tap a funnel to record it${dayWords()}.` : `Tap a funnel to record it${dayWords()}.`;
    hint.classList.toggle('bad', !!parsed.error || (strict && !!parsed.empty));
    return parsed.minor || 0;
  }

  async function pick(funnel) {
    const minor = typed({ strict: true });
    if (!minor) return amount.focus();
    // More than the funnel may spend in a whole period is more often a slip (a digit too many)
    // than a purchase: ask before storing it.
    const limit = toMinor(funnel.limit);
    if (limit > 0 && minor > limit) {
      const ok = await confirmDialog(`Record ${moneyMinor(minor)} in ${funnel.emoji} ${funnel.name}?`, {
        detail: `That is more than the funnel's whole limit of ${money(funnel.limit)} for a period.`,
        confirm: 'Record it',
        cancel: 'Change the amount',
        danger: false,
      });
      if (!ok) return amount.focus();
    }
    let spending;
    const forDay = dayWords();
    try {
      spending = await record({ amount: fromMinor(minor), funnel_id: funnel.id, note: note.value.trim(), timestamp: chosenTimestamp() });
    } catch {
      toast('This device could not store the spending. Please try again.', { tone: 'bad' });
      return;
    }
    amount.value = note.value = '';
    suggested = '';
    onDay = '';
    showDay();
    saveDraft();
    render();
    const where = `${funnel.emoji} ${funnel.name}${forDay}`;
    const undo = { action: 'Undo', duration: 6000, onAction: () => discard(spending).then(() => toast('Spending removed.')) };
    // "Recorded" only once the server has it; until then the phone says where it is.
    if (await whenSent(spending.id, SENT_WAIT_MS)) {
      toast(`${moneyMinor(minor)} recorded in ${where}.`, undo);
      return;
    }
    const what = `${moneyMinor(minor)} for ${where}`;
    announceWhenSent(spending.id, what);
    const until = store.state.online ? 'as soon as the server answers' : 'when you are back online';
    toast(`${what} saved on this phone; it will be sent ${until}.`, undo);
  }

  function render() {
    const view = store.view();
    symbol.textContent = currencySymbol();
    amount.placeholder = new Intl.NumberFormat(undefined, { minimumFractionDigits: fractionDigits() }).format(0);
    const preview = typed();
    if (!view) {
      title.textContent = 'STracker';
      period.textContent = store.state.error ? messageFor(store.state.error) : 'Loading…';
      empty.hidden = true;
      return;
    }
    title.textContent = view.household;
    const days = view.period.days_after_today + 1;
    period.textContent = `${periodRange(view.period.start, view.period.end)} · ${plural(days, 'day')} left`;
    const seen = new Set();
    view.funnels.forEach((f, index) => {
      let card = cards.get(f.id);
      if (!card) {
        card = funnelCard(pick);
        cards.set(f.id, card);
      }
      card.update(f, preview, view.period);
      card.button.classList.toggle('suggested', f.id === suggested);
      if (grid.children[index] !== card.el) grid.insertBefore(card.el, grid.children[index] || null);
      seen.add(f.id);
    });
    for (const [id, card] of cards) {
      if (!seen.has(id)) {
        card.el.remove();
        cards.delete(id);
      }
    }
    empty.hidden = view.funnels.length > 0;
    fill(empty, 'No funnels yet. ', h('a', { href: '#/settings', text: 'Create one in Settings' }), '.');
    const funnels = new Map(view.funnels.map((f) => [f.id, f]));
    fill(recentList, spendingList(view.recent, {
      funnels,
      me: view.username,
      canDelete: (s) => s.user === view.username || store.state.household?.role === 'owner',
      onDelete: (s) => {
        const deletion = discardLater(s, UNDO_MS);
        toast(`Deleted ${money(s.amount)}.`, { action: 'Undo', duration: UNDO_MS, onAction: () => {
          if (deletion.undo()) toast(`${money(s.amount)} is back.`);
        } });
      },
      onEdit: async (s) => {
        if (await editSpending(s, { funnels: view.funnels })) {
          toast('Spending changed.');
          store.reloadOverview().catch(() => {});
        }
      },
      onReceiptChange: () => store.reloadOverview().catch(() => {}),
      empty: 'No spendings yet this period.',
    }));
  }

  // Enter (the keypad's "done") moves on to the funnels: the next tap or Enter records. The key
  // press is cancelled here: left alone, its keypress would land on the funnel just focused and
  // press it, recording the spending in a funnel nobody chose.
  for (const field of [amount, note]) {
    field.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.isComposing) return;
      e.preventDefault();
      form.requestSubmit();
    });
  }
  otherDay.addEventListener('change', showDay);
  showDay();
  amount.addEventListener('input', () => {
    saveDraft();
    render();
  });
  note.addEventListener('input', saveDraft);

  const unsubscribe = store.subscribe(render);
  render();
  store.loadOverview().catch(() => {});
  if (!store.state.household) store.loadHousehold().catch(() => {});
  flush();
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible' && !live.connected) store.loadOverview().catch(() => {});
  }, REFRESH_MS);
  const onVisible = () => {
    if (document.visibilityState === 'visible') store.loadOverview().catch(() => {});
  };
  document.addEventListener('visibilitychange', onVisible);
  if (suggested) {
    requestAnimationFrame(() => grid.querySelector(`[data-id="${CSS.escape(suggested)}"]`)?.scrollIntoView({ block: 'nearest' }));
  } else if (!amount.value && matchMedia('(hover: hover)').matches) {
    amount.focus();
  }
  return () => {
    unsubscribe();
    install.unmount();
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}
