// The Layers demo's plans compared (compare.js), as a panel: a button that trains them all over
// the seeds, the progress, then a table of each arm's median validation loss and accuracy with
// how it fared against one rate for all seed by seed, and the discriminative claim's finding.
import { h } from '../../dom.js';
import { formatRate, formatTick } from '../../format.js';
import { SCRATCH_CANDIDATES, SEEDS } from './options.js';

/** Returns { element, update({ busy, running, progress, view, scratchLr, epochs }) }; `onCompare()` when the button is pressed. */
export function comparisonPanel({ onCompare }) {
  const button = h('button', { type: 'button', 'data-testid': 'layers-compare', onclick: () => onCompare() }, 'Compare every plan');
  const status = h('span', { class: 'counter', 'data-testid': 'layers-compare-status', role: 'status' });
  const table = h('table', { class: 'readout layers-comparison', 'data-testid': 'layers-comparison' });
  const finding = h('p', { class: 'layers-verdict', 'data-testid': 'layers-compare-finding' });
  const element = h(
    'div',
    {},
    h('p', { class: 'layers-caption' }, `Every plan fine-tunes each seed’s pretrained body on task B (${SEEDS} seeds at once, seed k of every plan on the same head and batches), beside the network from scratch at its own tuned rate; each plan for the epochs set above (fine_tune adds its frozen epoch). The plans run at their presets’ rates, fastai’s usual ones, untuned (slice and one rate for all both peak at 1e-2 for the head). Does a rate per layer group beat one rate for all on this network?`),
    h('div', { class: 'toolbar' }, button, status),
    h('div', { class: 'layers-comparison-scroll' }, table),
    finding,
  );

  return {
    element,
    update({ busy, running, progress, view, scratchLr, epochs }) {
      button.disabled = busy || running;
      status.textContent = running ? progressText(progress) : view ? `${epochs} epochs, ${SEEDS} seeds` : '';
      table.replaceChildren(...(view ? tableRows(view, scratchLr) : []));
      finding.textContent = view?.sentence ?? '';
    },
  };
}

function progressText(progress) {
  if (progress?.stage === 'training') return `training every plan: step ${progress.done} of ${progress.total}…`;
  return `tuning the from-scratch rate (${SCRATCH_CANDIDATES.length} rates, ${SEEDS} seeds)…`;
}

function tableRows({ rows }, scratchLr) {
  const head = h('tr', {}, ['Plan', 'Steps', 'Validation loss, median (range)', 'Accuracy, median', 'Against one rate for all'].map((t) => h('th', { scope: 'col' }, t)));
  const body = rows.map((row) =>
    h(
      'tr',
      { 'data-arm': row.id },
      h('th', { scope: 'row' }, row.id === 'scratch' && scratchLr !== null ? `${row.label} (one cycle to ${formatRate(scratchLr)}, tuned)` : row.label),
      h('td', {}, String(row.steps)),
      h('td', {}, row.loss === null ? '–' : `${formatTick(row.loss)} (${row.lossRange.map(formatTick).join('–')})`),
      h('td', {}, Number.isFinite(row.accuracy) ? `${(row.accuracy * 100).toFixed(1)}%` : '–'),
      h('td', {}, against(row.against)),
    ),
  );
  return [h('thead', {}, head), h('tbody', {}, body)];
}

// "lower in 5 of 5 seeds: better", "lower in 3 of 5 seeds: within seed noise".
function against(verdict) {
  if (!verdict) return 'the baseline';
  const { counts, n, winner } = verdict;
  const outcome = winner === 'a' ? 'better' : winner === 'b' ? 'worse' : 'within seed noise';
  return `lower in ${counts.wins} of ${n} seeds: ${outcome}`;
}
