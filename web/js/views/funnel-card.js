// A funnel on the dashboard: a button that records the typed amount into it. One number answers
// "how much can I spend today" (never below zero: a day spent past its share says so in words,
// with what each later day keeps); while an amount is typed, the figures after it, the old one
// struck through; what is left of the limit as a bar. Updated in place so focus and layout stay put.

import { afterSpending } from '../allowance.js';
import { fill, h } from '../dom.js';
import { day, labelLength, money, moneyMinor, moneyShort as compact, plural, showLabel, toMinor } from '../format.js';

// Names longer than this are set smaller, so that one of 64 characters takes four lines, not six.
const LONG_NAME = 24;

/**
 * What the card says about today, from the server's figures (adjusted by afterSpending):
 * {value, tone: '' | 'ahead' | 'over', note}.
 */
export function todayFigures(f, period) {
  const daysAfter = period.days_after_today;
  if (toMinor(f.remaining) <= 0) {
    return { value: money(0), tone: 'over', note: `Limit used up · new period ${day(period.end)}` };
  }
  if (daysAfter === 0) return { value: money(f.daily), tone: '', note: 'Last day of this period' };
  const daily = toMinor(f.daily);
  if (daily > 0) return { value: money(f.daily), tone: '', note: `or ${money(f.per_day)}/day for ${plural(daysAfter + 1, 'day')}` };
  const tomorrow = `${money(f.per_day_from_tomorrow)}/day from tomorrow`;
  return { value: money(0), tone: 'ahead', note: daily < 0 ? `${money(-f.daily)} ahead of plan · ${tomorrow}` : `On plan · ${tomorrow}` };
}

export function funnelCard(onPick) {
  const emoji = h('span', { class: 'f-emoji', 'aria-hidden': 'true' });
  const name = h('span', { class: 'f-name' });
  const shared = h('span', { class: 'f-shared', text: 'shared' });
  const daily = h('span', { class: 'f-daily num' });
  const sub = h('span', { class: 'f-sub num' });
  const barFill = h('span', { class: 'f-fill' });
  const left = h('span', { class: 'f-left num' });
  // The name has the head's width beside the emoji and wraps (names run to 64 characters);
  // "shared" sits under it, where it cannot cut the name short.
  const button = h('button', { type: 'button', class: 'funnel' },
    h('span', { class: 'f-head' }, emoji, h('span', { class: 'f-title' }, name, shared)),
    h('span', { class: 'f-label', text: 'Can spend today' }),
    daily,
    sub,
    h('span', { class: 'f-bar', 'aria-hidden': 'true' }, barFill),
    left);
  let funnel = null;
  button.addEventListener('click', () => onPick(funnel, button));

  /** `period`: the overview's ({end, days_after_today}); `previewMinor`: the amount being typed. */
  function update(f, previewMinor, period) {
    funnel = f;
    button.dataset.id = f.id;
    button.style.setProperty('--funnel', f.color);
    showLabel(emoji, f.emoji);
    name.textContent = f.name;
    if (labelLength(f.name) > LONG_NAME) name.dataset.long = '';
    else delete name.dataset.long;
    shared.hidden = !f.shared;
    const now = todayFigures(f, period);
    const after = previewMinor ? todayFigures(afterSpending(f, previewMinor, period.days_after_today), period) : now;
    daily.textContent = after.value;
    daily.dataset.tone = after.tone;
    button.classList.toggle('previewing', !!previewMinor);
    if (previewMinor && after.tone === '') {
      fill(sub, h('span', { class: 'visually-hidden', text: 'instead of ' }), h('s', { text: now.value }));
    } else {
      sub.textContent = after.note;
    }
    sub.dataset.tone = after.tone;
    const ratio = f.limit > 0 ? Math.min(Math.max(f.remaining / f.limit, 0), 1) : 0;
    barFill.style.width = `${(ratio * 100).toFixed(1)}%`;
    left.textContent = f.remaining < 0
      ? `${money(-f.remaining)} over ${compact(f.limit)}`
      : `${money(f.remaining)} of ${compact(f.limit)} left`;
    left.classList.toggle('negative', f.remaining < 0);
    const action = previewMinor
      ? `Record ${moneyMinor(previewMinor)} here; then ${after.value} can be spent today (${after.note}).`
      : 'Type an amount first to record it here.';
    button.setAttribute('aria-label',
      `${f.name}${f.shared ? ' (shared)' : ''}: ${now.value} can be spent today, ${now.note}; ${left.textContent}. ${action}`);
  }

  return { el: h('li', {}, button), button, update };
}
