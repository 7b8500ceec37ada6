// Spent against limit per period as an SVG bar chart: one column per period, the spent amount
// stacked by funnel color, the limit as a dashed mark. Columns are buttons (tap, Enter, Space).
//
// The drawing is as wide in its units as it is on screen (`width`, the box's CSS pixels), so its
// text is the CSS size (12 px) on every phone: a fixed 360-unit drawing scaled its labels down
// to 9 px on a 390 px screen.

import { svg } from './dom.js';

const H = 200;
const TOP = 34; // the chosen period's total is written above the plot, clear of every mark
const TICK = 16; // from the plot's bottom to the month's baseline
const SUBTICK = 14; // from the month to the year under it
const SIDE = 2;

/**
 * columns: [{label, sublabel?, caption?, title, segments: [{value, color}], limit}], selected:
 * index (its caption, the period's total, is written over it), onSelect(index, focus),
 * format(value) for the axis label, width in CSS pixels.
 */
export function barChart({ columns, selected, onSelect, format, description, width = 360 }) {
  const W = Math.max(200, Math.round(width));
  const bottom = TICK + 8 + (columns.some((c) => c.sublabel) ? SUBTICK : 0);
  const max = Math.max(1, ...columns.map((c) => Math.max(c.limit, c.segments.reduce((s, x) => s + Math.max(x.value, 0), 0)))) * 1.08;
  const plot = H - TOP - bottom;
  const step = (W - SIDE * 2) / columns.length;
  const barWidth = Math.min(28, step * 0.62);
  const y = (value) => TOP + plot - (value / max) * plot;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'group', 'aria-label': description });
  root.append(svg('line', { x1: 0, x2: W, y1: y(max / 1.08), y2: y(max / 1.08), class: 'grid' }));
  columns.forEach((column, i) => {
    const cx = SIDE + step * i + step / 2;
    const group = svg('g', {
      class: `column${i === selected ? ' selected' : ''}`,
      tabindex: 0,
      role: 'button',
      'aria-pressed': String(i === selected),
      'aria-label': column.title,
    });
    group.append(svg('rect', { x: cx - step / 2, y: 0, width: step, height: H, class: 'hit' }));
    let base = 0;
    for (const segment of column.segments) {
      if (segment.value <= 0) continue;
      const top = y(base + segment.value);
      group.append(svg('rect', { x: cx - barWidth / 2, y: top, width: barWidth, height: Math.max(y(base) - top, 0.5), fill: segment.color, class: 'bar' }));
      base += segment.value;
    }
    if (column.limit > 0) {
      group.append(svg('line', { x1: cx - barWidth / 2 - 4, x2: cx + barWidth / 2 + 4, y1: y(column.limit), y2: y(column.limit), class: `limit${base > column.limit ? ' over' : ''}` }));
    }
    const baseline = TOP + plot + TICK;
    group.append(svg('text', { x: cx, y: baseline, 'text-anchor': 'middle', class: 'tick', text: column.label }));
    if (column.sublabel) {
      group.append(svg('text', { x: cx, y: baseline + SUBTICK, 'text-anchor': 'middle', class: 'tick year', text: column.sublabel }));
    }
    group.addEventListener('click', () => onSelect(i));
    group.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(i);
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        const next = Math.min(Math.max(i + (e.key === 'ArrowLeft' ? -1 : 1), 0), columns.length - 1);
        onSelect(next, true);
      }
    });
    root.append(group);
  });
  // Drawn last, so that no column's highlight or bar covers them.
  root.append(
    svg('line', { x1: 0, x2: W, y1: y(0), y2: y(0), class: 'axis' }),
    svg('text', { x: 0, y: y(max / 1.08) - 5, class: 'axis-label', text: format(max / 1.08) }));
  const chosen = columns[selected];
  if (chosen?.caption) {
    const cx = SIDE + step * selected + step / 2;
    // Kept inside the drawing at both ends.
    const anchor = cx < 40 ? 'start' : cx > W - 40 ? 'end' : 'middle';
    const x = anchor === 'start' ? cx - step / 2 : anchor === 'end' ? cx + step / 2 : cx;
    root.append(svg('text', { x, y: 14, 'text-anchor': anchor, class: 'caption', text: chosen.caption }));
  }
  return root;
}
