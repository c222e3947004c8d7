// The recipe as a guided panel: its settings, the eight steps each with what it did and what it
// cost, buttons to run, skip or redo it, and one to run them all. What it shows comes from the
// Recipe's view (recipe.js); clicks go back through the callbacks.
import { h } from '../../dom.js';
import { formatTick } from '../../format.js';
import { numberInput } from './number-input.js';
import { RECIPE_SETTINGS, STEPS } from './recipe.js';
import { readable } from '../../messages.js';

const LABELS = { factor: 'Rate factor (step 6)', headEpochs: 'Head epochs (step 3)', headCycles: 'Head cycles (step 4)', maxCycles: 'Most SGDR cycles (step 8)' };

/** Returns { element, update(view | null, { busy }) }. */
export function recipePanel({ settings, onRun, onSkip, onAll, onRestart, onSetting }) {
  const inputs = Object.entries(RECIPE_SETTINGS).map(([name, s]) =>
    numberInput({ label: LABELS[name], min: s.min, max: s.max, integer: name !== 'factor', step: name === 'factor' ? 0.5 : 1, value: settings[name], testid: `recipe-${name}`, title: s.describe, onValue: (v) => onSetting(name, v) }),
  );
  const allButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'recipe-all', onclick: onAll }, 'Run the whole recipe');
  const restartButton = h('button', { type: 'button', 'data-testid': 'recipe-restart', onclick: onRestart }, 'Start again');
  const rows = STEPS.map((step, i) => {
    const state = h('span', { class: 'recipe-state', 'data-testid': `recipe-${i}-state` });
    const report = h('div', { class: 'recipe-report', 'data-testid': `recipe-${i}-report` });
    const run = h('button', { type: 'button', 'data-testid': `recipe-${i}-run`, onclick: () => onRun(i) }, 'Run');
    const skip = h('button', { type: 'button', 'data-testid': `recipe-${i}-skip`, onclick: () => onSkip(i) }, 'Skip');
    const element = h('li', { class: 'recipe-step', 'data-testid': `recipe-${i}` }, h('div', { class: 'recipe-head' }, h('strong', {}, `${i + 1}. ${step.title}`), state, run, skip), report);
    return { element, state, report, run, skip };
  });
  const verdict = h('p', { class: 'recipe-verdict', 'data-testid': 'recipe-verdict' });
  const element = h('div', { class: 'recipe' }, h('div', { class: 'recipe-settings' }, inputs.map((i) => i.element)), h('div', { class: 'toolbar' }, allButton, restartButton), h('ol', { class: 'recipe-steps' }, rows.map((r) => r.element)), verdict);

  return {
    element,
    update(view, { busy }) {
      const running = view?.running ?? null;
      const next = view?.next ?? 0;
      allButton.disabled = busy || running !== null || next >= STEPS.length;
      restartButton.disabled = busy || running !== null || !view;
      rows.forEach((row, i) => {
        const s = view?.steps[i] ?? { state: 'pending', report: null, error: null };
        row.element.dataset.state = s.state;
        row.state.textContent = s.state === 'pending' && i === next ? 'next' : s.state;
        // The next step runs or is skipped; one behind it is redone (and the later ones undone).
        row.run.textContent = i < next && s.state !== 'failed' ? 'Redo' : 'Run';
        row.run.disabled = busy || running !== null || i > next;
        row.skip.disabled = busy || running !== null || i !== next;
        row.report.replaceChildren(...reportLines(s));
      });
      verdict.textContent = view?.verdict ? verdictText(view.verdict) : '';
      verdict.dataset.better = String(view?.verdict?.better ?? '');
    },
  };
}

function reportLines({ state, report, error }) {
  if (state === 'failed') return [h('p', { class: 'field-error' }, readable(error))];
  if (state === 'skipped') return [h('p', {}, 'Skipped: nothing changed.')];
  if (!report) return [];
  const [b0, b1] = report.before;
  const [a0, a1] = report.after;
  const steps = report.undone ? `${report.steps} steps (undone after)` : `${report.steps} steps`;
  return [
    h('p', {}, report.changed),
    h('p', { class: 'recipe-cost' }, `Cost: ${steps}, ${(report.ms / 1000).toFixed(2)} s. Median validation loss: fine-tune ${formatTick(b0)} → ${formatTick(a0)}, from scratch ${formatTick(b1)} → ${formatTick(a1)}.`),
  ];
}

function verdictText({ fineTune, scratch, seeds, sentence }) {
  const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–');
  // The baseline here follows the recipe's own rates: said, since only the plans tune it.
  return `${sentence} Median validation accuracy fine-tuned ${pct(fineTune.accuracy)} against from scratch ${pct(scratch.accuracy)}, over ${seeds} seeds on the same steps. From scratch trains every layer at the recipe’s rates for the head, not at a rate tuned for it (the plans and their comparison tune it).`;
}
