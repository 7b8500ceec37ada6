// Dates and times as the household's clock on the wall shows them (its time zone, which may
// not be the phone's), for the date and time fields of a spending: an instant to "2026-12-07"
// and "14:05", and back. Intl knows the zone's rules; the offset at an instant is read from it.

import { getTimeZone } from './format.js';

const MINUTE = 60000;
const DAY = 86400000;

function parts(ms) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: getTimeZone(), hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const get = (type) => Number(format.formatToParts(ms).find((p) => p.type === type).value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** How far the household's wall clock is ahead of UTC at `ms`, in ms (to the second). */
function offsetAt(ms) {
  const p = parts(ms);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** `{date: "2026-12-07", time: "14:05"}` of an instant, as <input type=date/time> take them. */
export function wallClock(ms) {
  const p = parts(ms);
  return { date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/**
 * The instant the household's clock shows `date` ("2026-12-07") at `time` ("14:05"); null when
 * either is not a valid value. A time that does not exist (skipped when clocks go forward) is
 * read with the offset before the change, so it lands just after the gap; a time that exists
 * twice (clocks go back) is its first occurrence.
 */
export function instantAt(date, time) {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  const t = /^(\d{2}):(\d{2})$/.exec(time || '');
  if (!d || !t) return null;
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  if (Number.isNaN(wall) || Number(d[2]) < 1 || Number(d[2]) > 12 || Number(d[3]) < 1 || new Date(wall).getUTCDate() !== Number(d[3])) return null;
  if (Number(t[1]) > 23 || Number(t[2]) > 59) return null;
  // Try the offsets in force a day before and a day after; the earliest that reads back as
  // the asked wall time wins (the first occurrence), else the offset before the change.
  const before = offsetAt(wall - DAY);
  const after = offsetAt(wall + DAY);
  const candidates = [wall - before, wall - after].sort((a, b) => a - b);
  const exact = candidates.find((ms) => { const w = wallClock(ms); return w.date === date && w.time === time; });
  return exact ?? wall - before;
}

/** The same wall-clock time `days` days before `ms` (yesterday at this time, for days = 1). */
export function daysBefore(ms, days) {
  const { date, time } = wallClock(ms);
  const [y, m, d] = date.split('-').map(Number);
  const earlier = new Date(Date.UTC(y, m - 1, d - days));
  const day = `${pad(earlier.getUTCFullYear(), 4)}-${pad(earlier.getUTCMonth() + 1)}-${pad(earlier.getUTCDate())}`;
  return instantAt(day, time) + (ms % MINUTE);
}
