// Small line icons drawn as SVG (decorative: the buttons carry the labels).

import { svg } from '../dom.js';

function icon(d) {
  return svg('svg', { viewBox: '0 0 24 24', width: 20, height: 20, 'aria-hidden': 'true', focusable: 'false', class: 'icon' },
    svg('path', { d, fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
}

export const trashIcon = () => icon('M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3');
export const upIcon = () => icon('M12 19V5M5 12l7-7 7 7');
export const downIcon = () => icon('M12 5v14M19 12l-7 7-7-7');
export const copyIcon = () => icon('M9 9h11v11H9zM5 15H4V4h11v1');
export const cameraIcon = () => icon('M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z');
