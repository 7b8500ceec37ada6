// A funnel on the dashboard: a button that records the typed amount into it, showing today's
// allowance (and, while an amount is typed, the allowance after it, the old one struck through)
// and what is left of the limit as a bar. Updated in place so focus and layout stay put.

import { fill, h } from '../dom.js';
import { fromMinor, labelLength, money, moneyShort as compact, showLabel, toMinor } from '../format.js';

// Names longer than this are set smaller, so that one of 64 characters takes four lines, not six.
const LONG_NAME = 24;

export function funnelCard(onPick) {
  const emoji = h('span', { class: 'f-emoji', 'aria-hidden': 'true' });
  const name = h('span', { class: 'f-name' });
  const shared = h('span', { class: 'f-shared', text: 'shared' });
  const daily = h('span', { class: 'f-daily num' });
  const sub = h('span', { class: 'f-sub num' });
  const barFill = h('span', { class: 'f-fill' });
  const left = h('span', { class: 'f-left num' });
  // The name has the head's whole width and wraps (names run to 64 characters); "shared" sits
  // on the line below, where it cannot cut the name short.
  const button = h('button', { type: 'button', class: 'funnel' },
    h('span', { class: 'f-head' }, emoji, name),
    h('span', { class: 'f-label-row' }, h('span', { class: 'f-label', text: 'Today' }), shared),
    daily,
    sub,
    h('span', { class: 'f-bar', 'aria-hidden': 'true' }, barFill),
    left);
  let funnel = null;
  button.addEventListener('click', () => onPick(funnel, button));

  function update(f, previewMinor) {
    funnel = f;
    button.dataset.id = f.id;
    button.style.setProperty('--funnel', f.color);
    showLabel(emoji, f.emoji);
    name.textContent = f.name;
    if (labelLength(f.name) > LONG_NAME) name.dataset.long = '';
    else delete name.dataset.long;
    shared.hidden = !f.shared;
    const after = previewMinor ? fromMinor(toMinor(f.daily) - previewMinor) : f.daily;
    daily.textContent = money(after);
    daily.classList.toggle('negative', after < 0);
    button.classList.toggle('previewing', !!previewMinor);
    if (previewMinor) {
      fill(sub, h('span', { class: 'visually-hidden', text: 'instead of ' }), h('s', { text: money(f.daily) }));
    } else {
      sub.textContent = `avg ${money(f.per_day)}/day`;
    }
    const ratio = f.limit > 0 ? Math.min(Math.max(f.remaining / f.limit, 0), 1) : 0;
    barFill.style.width = `${(ratio * 100).toFixed(1)}%`;
    left.textContent = f.remaining < 0
      ? `${money(-f.remaining)} over ${compact(f.limit)}`
      : `${money(f.remaining)} of ${compact(f.limit)} left`;
    left.classList.toggle('negative', f.remaining < 0);
    const action = previewMinor ? `Record ${money(fromMinor(previewMinor))} here; today’s allowance becomes ${money(after)}.` : 'Type an amount first to record it here.';
    button.setAttribute('aria-label',
      `${f.name}${f.shared ? ' (shared)' : ''}: ${money(f.daily)} for today, ${left.textContent}. ${action}`);
  }

  return { el: h('li', {}, button), button, update };
}
