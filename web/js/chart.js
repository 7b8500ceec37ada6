// Spent against limit per period as an SVG bar chart: one column per period, the spent amount
// stacked by funnel color, the limit as a dashed mark. Columns are buttons (tap, Enter, Space).

import { svg } from './dom.js';

const W = 360;
const H = 200;
const TOP = 12;
const BOTTOM = 24;
const LEFT = 4;

/**
 * columns: [{label, title, segments: [{value, color}], limit}], selected: index,
 * onSelect(index), format(value) for the axis label.
 */
export function barChart({ columns, selected, onSelect, format, description }) {
  const max = Math.max(1, ...columns.map((c) => Math.max(c.limit, c.segments.reduce((s, x) => s + Math.max(x.value, 0), 0)))) * 1.08;
  const plot = H - TOP - BOTTOM;
  const step = (W - LEFT * 2) / columns.length;
  const barWidth = Math.min(22, step * 0.62);
  const y = (value) => TOP + plot - (value / max) * plot;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'group', 'aria-label': description });
  root.append(svg('line', { x1: 0, x2: W, y1: y(max / 1.08), y2: y(max / 1.08), class: 'grid' }));
  columns.forEach((column, i) => {
    const cx = LEFT + step * i + step / 2;
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
    group.append(svg('text', { x: cx, y: H - 8, 'text-anchor': 'middle', class: 'tick', text: column.label }));
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
  // Drawn last, so that no column's highlight covers them.
  root.append(
    svg('line', { x1: 0, x2: W, y1: y(0), y2: y(0), class: 'axis' }),
    svg('text', { x: 0, y: y(max / 1.08) - 4, class: 'axis-label', text: format(max / 1.08) }));
  return root;
}
