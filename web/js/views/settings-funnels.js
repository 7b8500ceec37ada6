// Settings › Funnels: create, edit, reorder (move up / down), delete.

import { api, messageFor } from '../api.js';
import { fill, h } from '../dom.js';
import { moneyShort, showLabel } from '../format.js';
import * as store from '../store.js';
import { toast } from '../toast.js';
import { downIcon, upIcon } from './icons.js';
import { openFunnelForm } from './funnel-form.js';

export function funnelSection() {
  const list = h('ul', { class: 'list' });
  const section = h('section', { class: 'card', 'aria-labelledby': 'funnels-title' },
    h('div', { class: 'row' },
      h('h2', { id: 'funnels-title', class: 'grow', text: 'Funnels' }),
      h('button', { type: 'button', class: 'btn small primary', text: 'New funnel', onclick: () => edit(null) })),
    list);

  const role = () => store.state.household?.role;
  const me = () => store.state.overview?.username;
  const canEdit = (f) => f.owner === me() || (f.shared && role() === 'owner');

  async function edit(funnel) {
    const canShare = !funnel || funnel.owner === me() || role() === 'owner';
    const usedColors = (store.state.overview?.funnels || []).filter((f) => f !== funnel).map((f) => f.color);
    if (await openFunnelForm(funnel, { canShare, usedColors })) {
      await store.loadOverview().catch(() => {});
      toast(funnel ? 'Funnel saved.' : 'Funnel created.');
    }
  }

  async function move(index, by, focusClass) {
    const ids = store.state.overview.funnels.map((f) => f.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id);
    try {
      await api('funnel/order', { method: 'PUT', body: { ids } });
      await store.loadOverview();
      const again = list.querySelector(`[data-id="${id}"] .${focusClass}:not(:disabled)`) || list.querySelector(`[data-id="${id}"] button:not(:disabled)`);
      again?.focus();
    } catch (err) {
      toast(messageFor(err), { tone: 'bad' });
    }
  }

  function render() {
    const funnels = store.state.overview?.funnels || [];
    fill(list, ...funnels.map((f, i) => {
      const swatch = showLabel(h('span', { class: 'swatch', 'aria-hidden': 'true' }), f.emoji);
      swatch.style.setProperty('--funnel', f.color);
      const details = [moneyShort(f.limit), f.shared ? 'shared' : 'personal', f.owner !== me() ? `by ${f.owner}` : ''].filter(Boolean).join(' · ');
      return h('li', { class: 'list-row', 'data-id': f.id },
        swatch,
        h('span', { class: 'grow' }, h('span', { class: 'strong', text: f.name }), h('span', { class: 'hint block', text: details })),
        h('button', { type: 'button', class: 'icon-btn move-up', 'aria-label': `Move ${f.name} up`, disabled: i === 0, onclick: () => move(i, -1, 'move-up') }, upIcon()),
        h('button', { type: 'button', class: 'icon-btn move-down', 'aria-label': `Move ${f.name} down`, disabled: i === funnels.length - 1, onclick: () => move(i, 1, 'move-down') }, downIcon()),
        canEdit(f)
          ? h('button', { type: 'button', class: 'btn small', text: 'Edit', 'aria-label': `Edit ${f.name}`, onclick: () => edit(f) })
          : h('span', { class: 'btn small ghost', text: 'Edit', 'aria-hidden': 'true' }));
    }));
    if (!funnels.length) list.append(h('li', { class: 'muted', text: 'No funnels yet.' }));
  }

  return { el: section, render };
}
