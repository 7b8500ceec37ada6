// Settings › Household: name, currency, period start day, time zone (owner); invite code;
// members (the owner removes one); leave.

import { api, messageFor } from '../api.js';
import { confirmDialog, copyText, fill, h } from '../dom.js';
import { dayWithYear, time } from '../format.js';
import * as store from '../store.js';
import { knownTimeZones, phoneTimeZone, sameTimeZone } from '../time-zone.js';
import { toast } from '../toast.js';
import { errorBox, field } from './form-parts.js';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'CAD', 'AUD', 'JPY'];

export function householdSection() {
  const body = h('div', { class: 'stack' }, h('p', { class: 'muted', text: 'Loading…' }));
  const section = h('section', { class: 'card', 'aria-labelledby': 'household-title' },
    h('h2', { id: 'household-title', text: 'Household' }), body);

  async function reload() {
    try {
      render(await store.loadHousehold());
    } catch (err) {
      if (store.state.household) render(store.state.household);
      else fill(body, h('p', { class: 'muted', text: messageFor(err) }));
    }
  }

  function render(household) {
    const owner = household.role === 'owner';
    const me = store.state.overview?.username;
    const error = errorBox();
    const name = h('input', { type: 'text', maxlength: 64, required: true, value: household.name });
    const currency = h('input', { type: 'text', maxlength: 3, autocapitalize: 'characters', list: 'currency-list', value: household.currency });
    const day = h('select', {}, Array.from({ length: 28 }, (_, i) => h('option', { value: i + 1, text: String(i + 1), selected: i + 1 === household.period_start_day })));
    const zone = h('input', { type: 'text', list: 'zone-list', autocomplete: 'off', spellcheck: false, value: household.time_zone });
    const save = h('button', { type: 'submit', class: 'btn primary', text: 'Save household' });
    // A household made before the app sent the phone's zone has the server's: say so, with a fix.
    const here = phoneTimeZone();
    const zoneHint = h('div', { class: 'row zone-hint' });
    const showZoneHint = () => {
      const differs = Boolean(owner && here && !sameTimeZone(zone.value.trim(), here));
      fill(zoneHint, differs && h('span', { class: 'hint grow', text: `This phone is in ${here}.` }),
        differs && h('button', { type: 'button', class: 'btn small', text: 'Use this zone', onclick: () => {
          zone.value = here;
          showZoneHint();
          zone.focus();
        } }));
      zoneHint.hidden = !differs;
    };
    zone.addEventListener('input', showZoneHint);
    showZoneHint();
    const settings = h('form', { class: 'stack', novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      save.disabled = true;
      error.show('');
      try {
        const updated = await api('household', {
          method: 'PATCH',
          body: { name: name.value.trim(), currency: currency.value.trim().toUpperCase(), period_start_day: Number(day.value), time_zone: zone.value.trim() },
        });
        store.setHousehold(updated);
        await store.loadOverview().catch(() => {});
        toast('Household saved.');
      } catch (err) {
        error.show(messageFor(err));
      } finally {
        save.disabled = false;
      }
    } },
    h('fieldset', { disabled: !owner, class: 'stack plain' },
      h('legend', { class: 'visually-hidden', text: 'Household settings' }),
      field('hh-name', 'Name', name),
      h('div', { class: 'row two' },
        field('hh-currency', 'Currency', currency),
        field('hh-day', 'Period start day', day)),
      field('hh-zone', 'Time zone', zone, 'Periods start at midnight in this zone.'),
      zoneHint,
      h('datalist', { id: 'currency-list' }, CURRENCIES.map((c) => h('option', { value: c }))),
      h('datalist', { id: 'zone-list' }, knownTimeZones().map((z) => h('option', { value: z })))),
    owner ? null : h('p', { class: 'hint', text: 'Only the household owner can change these.' }),
    error,
    owner && h('div', { class: 'row end' }, save));

    const invite = h('div', { class: 'stack' });
    const inviteButton = h('button', { type: 'button', class: 'btn', text: 'Create invite code', onclick: async () => {
      try {
        const { code, expires_at } = await api('household/invite', { method: 'POST' });
        const link = `${location.origin}${location.pathname}#/register?invite=${encodeURIComponent(code)}`;
        const status = h('span', { class: 'hint', role: 'status' });
        fill(invite,
          h('p', {}, 'Give this code to the person joining (it works once, until ', `${dayWithYear(expires_at)} ${time(expires_at)}`, '):'),
          h('code', { class: 'secret', text: code }),
          h('div', { class: 'row' },
            h('button', { type: 'button', class: 'btn small', text: 'Copy code', onclick: async () => { status.textContent = (await copyText(code)) ? 'Code copied.' : 'Copy failed.'; } }),
            h('button', { type: 'button', class: 'btn small', text: 'Copy link', onclick: async () => { status.textContent = (await copyText(link)) ? 'Link copied.' : 'Copy failed.'; } }),
            status));
      } catch (err) {
        toast(messageFor(err), { tone: 'bad' });
      }
    } });
    invite.append(inviteButton);

    const members = h('ul', { class: 'list' }, household.members.map((m) => h('li', { class: 'list-row wrap member-row' },
      h('span', { class: 'grow' },
        h('span', { class: 'strong', text: m.username === me ? `${m.username} (you)` : m.username }),
        h('span', { class: 'hint block', text: `${m.role === 'owner' ? 'Owner' : 'Member'} · joined ${dayWithYear(m.joined_at)}` })),
      owner && m.username !== me && h('button', { type: 'button', class: 'btn small', text: 'Sign-in link', 'aria-label': `Make a sign-in link for ${m.username}`, onclick: () => enrolmentLink(m.username) }),
      owner && m.username !== me && h('button', { type: 'button', class: 'btn small danger-text', text: 'Remove', 'aria-label': `Remove ${m.username} from the household`, onclick: async () => {
        if (!await confirmDialog(`Remove ${m.username} from the household?`, { detail: 'Their personal funnels are deleted; what they spent in shared funnels stays.', confirm: 'Remove' })) return;
        try {
          await api(`household/members/${encodeURIComponent(m.username)}`, { method: 'DELETE' });
          toast(`${m.username} was removed.`);
          reload();
        } catch (err) {
          toast(messageFor(err), { tone: 'bad' });
        }
      } }))));

    // For a member who lost their authenticator and their recovery codes: a link that works
    // once, for a day, to set up a new one (their other devices are then signed out).
    const linkBox = h('div', { class: 'stack enrolment-link', hidden: true });
    async function enrolmentLink(username) {
      try {
        const { code, expires_at } = await api(`household/members/${encodeURIComponent(username)}/enrolment`, { method: 'POST' });
        const link = `${location.origin}${location.pathname}#/enrol?code=${encodeURIComponent(code)}`;
        const status = h('span', { class: 'hint', role: 'status' });
        fill(linkBox,
          h('h3', { text: `Sign-in link for ${username}` }),
          h('p', {}, `Send it to ${username} only: it lets them set up a new authenticator once, until ${dayWithYear(expires_at)} ${time(expires_at)}, and signs their other devices out. A newer link replaces it.`),
          h('code', { class: 'secret link-text', text: link }),
          h('div', { class: 'row' },
            h('button', { type: 'button', class: 'btn small', text: 'Copy link', onclick: async () => { status.textContent = (await copyText(link)) ? 'Link copied.' : 'Copy failed.'; } }),
            status));
        linkBox.hidden = false;
        linkBox.scrollIntoView({ block: 'nearest' });
      } catch (err) {
        toast(messageFor(err), { tone: 'bad' });
      }
    }

    const leave = household.members.length > 1 && h('button', { type: 'button', class: 'btn danger-text', text: 'Leave this household', onclick: async () => {
      if (!await confirmDialog('Leave this household?', { detail: 'You get a household of your own with the default funnels. You no longer see the shared funnels here.', confirm: 'Leave' })) return;
      try {
        await api('household/leave', { method: 'POST' });
        store.loadOverview().catch(() => {});
        reload();
      } catch (err) {
        toast(messageFor(err), { tone: 'bad' });
      }
    } });

    fill(body, settings,
      h('h3', { text: 'Members' }), members, linkBox,
      owner && h('h3', { text: 'Invite someone' }), owner && invite,
      leave);
  }

  return { el: section, reload };
}
