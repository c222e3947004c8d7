// Train's view of ReduceLROnPlateau runs: per such run, the scheduler as the validation loss
// feeds it every eval_every steps — its rate, the best loss so far, the patience counter
// (bad evaluations of `patience`; one more cuts the rate) and the cooldown after a cut.
import { h } from '../../dom.js';
import { formatRate } from '../../format.js';
import { formatNumber } from './tables.js';

/** Meters drawn as pips up to this many; a longer count is a bar. */
const MAX_PIPS = 12;

/**
 * Returns { element, update(report, labels, colors) }: `report` is Session.evaluate()'s, whose
 * runs in a ReduceLROnPlateau phase carry `plateau`. Hidden while no run has one.
 */
export function plateauPanel() {
  const element = h('section', { class: 'plateau-panel', 'data-testid': 'plateau-panel', hidden: true });
  return {
    element,
    update(report, labels, colors) {
      const runs = (report ?? []).flatMap((run, i) => (run.plateau ? [{ plateau: run.plateau, i }] : []));
      element.hidden = runs.length === 0;
      if (element.hidden) return;
      element.replaceChildren(
        h('h3', {}, 'ReduceLROnPlateau'),
        ...runs.map(({ plateau, i }) => runCard(plateau, labels[i], colors[i], i)),
      );
    },
  };
}

function runCard(p, label, color, i) {
  const cooling = p.cooldown_counter > 0;
  return h(
    'div',
    { class: 'plateau-run', style: `--series-color: ${color}`, 'data-testid': `plateau-run-${i}` },
    h('div', { class: 'plateau-title' }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), ` ${label}`),
    h(
      'dl',
      {},
      h('dt', {}, 'rate'),
      h('dd', { 'data-testid': `plateau-lr-${i}` }, formatRate(p.lr)),
      h('dt', {}, 'best validation loss'),
      h('dd', { 'data-testid': `plateau-best-${i}` }, p.best == null ? 'none yet' : formatNumber(p.best)),
      h('dt', {}, 'patience'),
      h('dd', {}, meter(p.num_bad_epochs, p.patience, `plateau-patience-${i}`, `${p.num_bad_epochs} of ${p.patience} evaluations without improvement`, !cooling)),
      h('dt', {}, 'cooldown'),
      h('dd', {}, meter(p.cooldown_counter, p.cooldown, `plateau-cooldown-${i}`, cooling ? `${p.cooldown_counter} of ${p.cooldown} evaluations left` : 'not cooling down', cooling)),
      h('dt', {}, 'evaluations'),
      h('dd', {}, `${p.evaluations}, next at step ${p.next_evaluation}`),
    ),
  );
}

// `count` of `max` as filled pips (or a bar for long counts), with the words beside it.
function meter(count, max, testid, words, active) {
  const pips =
    max <= MAX_PIPS
      ? Array.from({ length: max }, (_, k) => h('span', { class: k < count ? 'pip filled' : 'pip' }))
      : [h('span', { class: 'bar', style: `--fill: ${max ? (100 * count) / max : 0}%` })];
  return h('span', { class: active ? 'meter active' : 'meter', 'data-testid': testid, title: words }, ...pips, h('span', { class: 'meter-words' }, words));
}
