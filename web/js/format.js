// Money and dates for people: Intl in the household's currency and time zone.
// Amounts are handled in integer minor units inside the app; the API speaks decimal numbers.

let currency = 'EUR';
let timeZone;
let moneyFormat;
const DAY = 86400000;

export function setCurrency(code) {
  if (!code || code === currency && moneyFormat) return;
  try {
    moneyFormat = new Intl.NumberFormat(undefined, { style: 'currency', currency: code });
    currency = code;
  } catch {
    moneyFormat = undefined;
  }
}

export function setTimeZone(zone) {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    timeZone = zone;
  } catch {
    timeZone = undefined;
  }
}

export const getCurrency = () => currency;
/** The household's IANA zone the dates are shown in (undefined: the phone's). */
export const getTimeZone = () => timeZone;

function formatter() {
  if (!moneyFormat) setCurrency(currency);
  return moneyFormat || new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** Digits after the decimal separator in this currency (2 for EUR, 0 for JPY). */
export function fractionDigits() {
  return formatter().resolvedOptions().maximumFractionDigits;
}

export const toMinor = (value) => Math.round(Number(value) * 10 ** fractionDigits());
export const fromMinor = (minor) => minor / 10 ** fractionDigits();

/** "€1,234.50" from a decimal number as the API sends it. */
export const money = (value) => formatter().format(value);
export const moneyMinor = (minor) => money(fromMinor(minor));

/** Like money() but without the decimals of a whole amount: "€2,000". */
export function moneyShort(value) {
  if (!Number.isInteger(value)) return money(value);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(value);
  } catch {
    return money(value);
  }
}

/** "€1.9K" (or "€150.50" below a thousand): a figure that fits over one column of a chart. */
export function moneyCompact(value) {
  if (Math.abs(value) < 1000) return money(value);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(value);
  } catch {
    return moneyShort(Math.round(value));
  }
}

/** The currency symbol as the locale writes it ("€", "US$"). */
export function currencySymbol() {
  const part = formatter().formatToParts(0).find((p) => p.type === 'currency');
  return part ? part.value : currency;
}

/**
 * What the user typed → integer minor units, or an error message. Accepts "12.5", "12,50",
 * "1 234,50", "1,234.50", "1.234.567", "-3" (a refund). A separator written once, after any
 * other, is the decimal separator; the other one (or one written several times) groups
 * thousands, in groups of three digits. Anything else ("12.5.3", "1,2.3,4") is refused, never
 * guessed.
 */
export function parseAmount(text) {
  let s = String(text || '').replace(/[\s\u00a0\u202f']/g, '');
  if (!s) return { empty: true };
  const negative = /^[-−]/.test(s);
  s = s.replace(/^[-−+]/, '');
  const notOne = { error: 'Enter one amount, such as 12.50' };
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return notOne;
  let whole = s;
  let frac = '';
  let grouping = '';
  const last = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  if (last >= 0) {
    const sep = s[last];
    const other = sep === '.' ? ',' : '.';
    const once = s.indexOf(sep) === last;
    if (once && s.lastIndexOf(other) < last) {
      whole = s.slice(0, last);
      frac = s.slice(last + 1);
      grouping = other;
    } else if (!once && !s.includes(other)) {
      grouping = sep;
    } else {
      return notOne;
    }
  }
  if (grouping && whole.includes(grouping)) {
    const groups = whole.split(grouping);
    if (!/^\d{1,3}$/.test(groups[0]) || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return notOne;
    whole = groups.join('');
  }
  if (!/^\d*$/.test(whole) || !/^\d*$/.test(frac)) return notOne;
  const digits = fractionDigits();
  if (frac.length > digits) {
    return { error: digits ? `At most ${digits} digits after the decimal separator` : 'Whole amounts only in this currency' };
  }
  const minor = Number(whole || '0') * 10 ** digits + Number((frac + '0'.repeat(digits)).slice(0, digits) || '0');
  if (!Number.isSafeInteger(minor) || minor >= 1e13) return { error: 'That amount is too large' };
  if (minor === 0) return { error: 'The amount cannot be zero' };
  return { minor: negative ? -minor : minor };
}

function dateFormat(options) {
  return new Intl.DateTimeFormat(undefined, { timeZone, ...options });
}

/** The local calendar day of an instant in the household's zone, as a comparable number. */
function dayNumber(ms) {
  const parts = dateFormat({ year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(ms);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return Date.UTC(get('year'), get('month') - 1, get('day')) / DAY;
}

export const time = (ms) => dateFormat({ hour: 'numeric', minute: '2-digit' }).format(ms);
export const day = (ms) => dateFormat({ day: 'numeric', month: 'short' }).format(ms);
export const dayWithYear = (ms) => dateFormat({ day: 'numeric', month: 'short', year: 'numeric' }).format(ms);
export const monthShort = (ms) => dateFormat({ month: 'short' }).format(ms);
export const monthYear = (ms) => dateFormat({ month: 'long', year: 'numeric' }).format(ms);
export const yearOf = (ms) => dateFormat({ year: 'numeric' }).format(ms);
/** The month of an instant in the household's zone, 1 to 12. */
export const monthOf = (ms) => Number(new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric' }).format(ms));

/** "14:05", "Yesterday 14:05", "3 Nov 14:05" */
export function when(ms, now = Date.now()) {
  const diff = dayNumber(now) - dayNumber(ms);
  if (diff === 0) return time(ms);
  if (diff === 1) return `Yesterday ${time(ms)}`;
  return `${day(ms)} ${time(ms)}`;
}

/** "1 Nov – 30 Nov" for a period whose `end` is the start of the next one. */
export function periodRange(start, end) {
  return `${day(start)} – ${day(end - 1)}`;
}

export function plural(n, one, many = one + 's') {
  return `${n} ${n === 1 ? one : many}`;
}

/** "4 min 10 s" for a wait in seconds. */
export function duration(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// A funnel's label is an emoji or up to 8 characters ("🍕🍔", "Food $"): how much room it needs,
// as the data-label attribute the stylesheet sizes it by (absent for a single emoji).
const graphemes = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
export const labelLength = (text) => (graphemes ? [...graphemes.segment(text || '')].length : [...(text || '')].length);
export function labelSize(text) {
  const count = labelLength(text);
  return count <= 1 ? null : count <= 3 ? 'short' : 'long';
}

// Puts a funnel's label into `element`, sized by its length.
export function showLabel(element, text) {
  element.textContent = text;
  const size = labelSize(text);
  if (size) element.dataset.label = size;
  else delete element.dataset.label;
  return element;
}
