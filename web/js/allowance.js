// The server's allowance rules (Sources/Budget/Allowance.swift) for a change it has not counted
// yet: a spending waiting on this phone, or the amount being typed. Only the differences are
// computed here, in minor units and rounded as the server rounds (toward negative infinity), so
// that the figures shown before and after the server has the spending are the same.

import { fromMinor, toMinor } from './format.js';

const floorDivide = (a, b) => Math.floor(a / b);

/** The funnel's figures after `deltaMinor` more is spent (negative: less), `daysAfterToday` as
 * the overview's period says. `daily` moves by the amount itself: the share kept for later days
 * depends on the limit only. */
export function afterSpending(funnel, deltaMinor, daysAfterToday) {
  if (!deltaMinor) return funnel;
  const remaining = toMinor(funnel.remaining) - deltaMinor;
  const adjusted = {
    ...funnel,
    spent: fromMinor(toMinor(funnel.spent) + deltaMinor),
    remaining: fromMinor(remaining),
    daily: fromMinor(toMinor(funnel.daily) - deltaMinor),
    per_day: fromMinor(floorDivide(remaining, daysAfterToday + 1)),
  };
  if (daysAfterToday > 0) adjusted.per_day_from_tomorrow = fromMinor(floorDivide(remaining, daysAfterToday));
  else delete adjusted.per_day_from_tomorrow;
  return adjusted;
}
