// The everyday screen: type an amount, tap a funnel (two taps), undo for a few seconds; every
// funnel's allowance for today, previewed while typing; recent spendings of the household.

import { messageFor } from '../api.js';
import { confirmDialog, fill, h } from '../dom.js';
import { currencySymbol, fractionDigits, fromMinor, money, moneyMinor, parseAmount, periodRange, plural, toMinor } from '../format.js';
import { live } from '../live.js';
import { announceWhenSent, discard, flush, record, whenSent } from '../offline-queue.js';
import * as store from '../store.js';
import { DRAFT } from '../storage-keys.js';
import { toast } from '../toast.js';
import { funnelCard } from './funnel-card.js';
import { installHint } from './install-hint.js';
import { spendingList } from './spending-list.js';

// While the live stream is down (a proxy that cuts it, an old server), the figures are polled.
const REFRESH_MS = 60000;
// How long a new spending may take to reach the server before the toast says it waits on the phone.
const SENT_WAIT_MS = 1500;

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
  hint);

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
    else hint.textContent = parsed.minor < 0 ? `Refund of ${moneyMinor(-parsed.minor)}: tap a funnel to record it.` : 'Tap a funnel to record it.';
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
    try {
      spending = await record({ amount: fromMinor(minor), funnel_id: funnel.id, note: note.value.trim() });
    } catch {
      toast('This device could not store the spending. Please try again.', { tone: 'bad' });
      return;
    }
    amount.value = note.value = '';
    suggested = '';
    saveDraft();
    render();
    const where = `${funnel.emoji} ${funnel.name}`;
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
      onDelete: (s) => discard(s).then(() => toast(`Deleted ${money(s.amount)}.`)),
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
