// The suggestions as a table: each method's rate (or why there is none), its spread across seeds,
// a choice of which one to use, and links that hand the chosen rate to the Train and Schedules demos.
import { h } from '../../dom.js';
import { METHODS } from './options.js';
import { formatRate } from '../../format.js';
import { readable } from '../../messages.js';

const ABOUT = {
  valley: "fastai's default: the middle of the longest descent",
  slide: "fastai: walks back from the end while the slope stays small",
  minimum: "fastai: a tenth of the rate at the loss's minimum",
  steep: "fastai: where the loss falls fastest against log(lr)",
  steepest: "torch-lr-finder: the steepest descent of the smoothed loss, by index",
};

/**
 * `onPick(method)` when another suggestion is chosen. `links(rate)` -> { train, schedules }: the
 * hrefs handing `rate` on. Returns { element, update(result | null, pick) }.
 */
export function suggestionTable({ onPick, links, newTab }) {
  const rows = new Map(
    METHODS.map((name) => {
      const radio = h('input', { type: 'radio', name: 'find-pick', value: name, 'data-testid': `pick-${name}`, onchange: () => onPick(name) });
      const cells = { lr: h('td', { 'data-testid': `suggestion-${name}` }), spread: h('td', { 'data-testid': `spread-${name}` }) };
      const row = h('tr', {}, h('td', {}, h('label', { title: ABOUT[name] }, radio, ` ${name === 'minimum' ? 'minimum ÷ 10' : name}`)), cells.lr, cells.spread);
      return [name, { row, radio, cells }];
    }),
  );
  const target = newTab ? '_blank' : null;
  const trainLink = h('a', { class: 'handoff', 'data-testid': 'use-in-train', target });
  const schedulesLink = h('a', { class: 'handoff', 'data-testid': 'use-in-schedules', target });
  const handoff = h('p', { class: 'handoff-links', hidden: true }, 'Use this rate: ', trainLink, ' ', schedulesLink);
  const table = h(
    'table',
    { class: 'find-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'suggestion'), h('th', {}, 'lr'), h('th', { title: 'The lowest and highest rate the seeds suggest one by one' }, 'across seeds'))),
    h('tbody', {}, [...rows.values()].map((r) => r.row)),
  );
  const element = h(
    'div',
    { class: 'find-suggestions', 'data-testid': 'suggestions' },
    table,
    handoff,
  );

  return {
    element,
    update(result, pick) {
      // One run has no spread across seeds: no column for it.
      table.classList.toggle('one-run', !result?.band);
      for (const [name, { radio, cells }] of rows) {
        const suggestion = result?.suggestions?.[name];
        radio.checked = name === pick;
        radio.disabled = !Number.isFinite(suggestion?.lr);
        cells.lr.textContent = !result ? '' : Number.isFinite(suggestion?.lr) ? formatRate(suggestion.lr) : `none: ${readable(suggestion?.reason ?? 'not given')}`;
        cells.spread.textContent = spreadText(result?.band?.spread?.[name], result?.runs.length);
      }
      const rate = result?.suggestions?.[pick]?.lr;
      handoff.hidden = !Number.isFinite(rate);
      if (handoff.hidden) return;
      const { train, schedules } = links(rate);
      trainLink.href = train;
      trainLink.textContent = `Train with one-cycle to ${formatRate(rate)}`;
      schedulesLink.href = schedules;
      schedulesLink.textContent = 'See the schedule';
    },
  };
}

// The lowest and highest rate the seeds suggest one by one (the engine's band.spread), and how
// many seeds made a suggestion at all when some did not.
function spreadText(spread, runs) {
  if (!spread || spread.count === 0) return '';
  const range = spread.min === spread.max ? formatRate(spread.min) : `${formatRate(spread.min)} – ${formatRate(spread.max)}`;
  return spread.count < runs ? `${range} (${spread.count} of ${runs})` : range;
}
