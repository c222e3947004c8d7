// The Train demo's experiment: the presets as links (#demo=train&preset=<id>), what the shown one
// asks the reader to look for, and, once the runs have trained, what happened, in sentences
// computed from them (findings.js).
import { h } from '../../dom.js';
import { PRESETS } from './presets.js';

/** Returns { presets, findings (elements), show({ preset, sentences, seeds, done }) }. */
export function experimentView() {
  const look = h('p', { class: 'preset-look', 'data-testid': 'preset-look' });
  const links = PRESETS.map((p) => h('a', { href: `#demo=train&preset=${p.id}`, 'data-testid': `preset-${p.id}` }, p.title));
  const presets = h('nav', { class: 'presets', 'aria-label': 'Experiments from the post' }, h('span', { class: 'presets-label' }, 'Experiments:'), links, look);
  const list = h('ul', { 'data-testid': 'findings-list' });
  const status = h('p', { class: 'findings-status' });
  const findings = h('section', { class: 'findings', 'data-testid': 'findings', 'aria-live': 'polite' }, h('h3', {}, 'What happened'), status, list);
  return {
    presets,
    findings,
    show({ preset, sentences, seeds, done }) {
      links.forEach((link, i) => link.setAttribute('aria-current', String(PRESETS[i] === preset)));
      look.textContent = preset ? `${preset.title}: ${preset.look}` : '';
      look.hidden = !preset;
      status.textContent = done
        ? seeds === 1
          ? 'One seed per run: a single run cannot tell a difference from luck. Set seeds above 1, or open one of the experiments above.'
          : `Over ${seeds} seeds per run, compared seed by seed (the same initial weights and batch order in every run).`
        : 'Train to the end to see what happened.';
      list.replaceChildren(...(done ? sentences : []).map((text) => h('li', {}, text)));
    },
  };
}
