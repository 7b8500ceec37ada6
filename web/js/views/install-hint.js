// The dashboard's offer to install the app (install.js decides whether there is one): an
// Install button where the browser can prompt, the Share › Add to Home Screen steps on iPhone.

import { fill, h } from '../dom.js';
import { dismissInstall, installOffer, onInstallChange, promptInstall } from '../install.js';
import { toast } from '../toast.js';

export function installHint() {
  const el = h('section', { class: 'card install-hint', 'aria-labelledby': 'install-title', hidden: true });

  function render() {
    const offer = installOffer();
    el.hidden = !offer;
    if (!offer) {
      fill(el);
      return;
    }
    const how = offer === 'prompt'
      ? 'It opens full screen like an app and works without a connection.'
      : 'In Safari, tap Share, then “Add to Home Screen”. It opens full screen like an app and works without a connection.';
    fill(el,
      h('div', { class: 'row nowrap' },
        h('img', { src: 'icons/icon.svg', alt: '', width: 40, height: 40 }),
        h('div', { class: 'grow' },
          h('h2', { id: 'install-title', text: 'Put STracker on your home screen' }),
          h('p', { class: 'hint', text: how }))),
      h('div', { class: 'row end' },
        h('button', { type: 'button', class: 'btn small', text: 'Not now', onclick: dismissInstall }),
        offer === 'prompt' && h('button', { type: 'button', class: 'btn small primary', text: 'Install', onclick: async () => {
          if (await promptInstall()) toast('STracker is on your home screen.');
        } })));
  }

  const unsubscribe = onInstallChange(render);
  render();
  return { el, unmount: unsubscribe };
}
