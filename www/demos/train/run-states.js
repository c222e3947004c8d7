// What state a run is in, as a reader would say it. The engine marks a run diverged when its loss
// stops being a number; a run whose loss has blown up far above where it started (lr 100, loss
// 121) has diverged just as surely, so the page marks it too, and stops it. A run that reached the
// page's step budget has finished, whatever its schedule would allow; one that has not taken a
// step yet (before Start, after Reset) is ready, not training.
import { median } from '../../experiment/index.js';

export const medianStep = (states) => Math.round(median(states.map((s) => s.step)));

/** A run has blown up when its loss stays this many times above its starting level... */
export const BLOWUP_FACTOR = 10;
/** ...over this many steps in a row (in median), so a single spike is not a divergence. */
export const BLOWUP_WINDOW = 16;

/**
 * The step at which `losses` blew up: in the first window of BLOWUP_WINDOW steps where most losses
 * are past BLOWUP_FACTOR times the first loss (the initial weights', before any update; a
 * non-finite loss counts as past it), that window's first step past the bar; null if none is.
 * Windows ending before `from` are not looked at again (they were, when fewer losses were in).
 */
export function blowUpStep(losses, from = 0) {
  const start = losses[0];
  if (!Number.isFinite(start)) return null;
  const bar = BLOWUP_FACTOR * start;
  const past = (v) => !Number.isFinite(v) || v > bar;
  for (let end = Math.max(BLOWUP_WINDOW, from); end <= losses.length; end++) {
    const window = Array.from(losses).slice(end - BLOWUP_WINDOW, end);
    const above = window.filter(past).length;
    if (2 * above > BLOWUP_WINDOW) return end - BLOWUP_WINDOW + window.findIndex(past);
  }
  return null;
}

/**
 * A run's state: { state: 'ready' | 'training' | 'diverged' | 'finished', step } (step: where it diverged)
 * from the engine's report of it, the step the page saw it blow up at (or null), and the steps
 * trained against the budget.
 */
export function runState(report, blownUpAt, steps, budget) {
  if (report?.state === 'diverged') return { state: 'diverged', step: report.diverged_at };
  if (blownUpAt !== null && blownUpAt !== undefined) return { state: 'diverged', step: blownUpAt };
  if (report?.state === 'finished' || steps >= budget) return { state: 'finished', step: null };
  return { state: steps > 0 ? 'training' : 'ready', step: null };
}

// What the seeds that did not diverge are doing together: training while any of them is.
const undivergedState = (states) => ['training', 'ready'].find((state) => states.some((s) => s.state === state)) ?? 'finished';

/** An arm's seeds' states in words: "ready", "training", "finished", "diverged at step 41", "diverged in 3 of 8 seeds (median step 41)". */
export function armStateText(states) {
  const diverged = states.filter((s) => s.state === 'diverged');
  const at = medianStep(diverged);
  if (states.length === 1) return diverged.length ? `diverged at step ${at}` : states[0].state;
  if (diverged.length === states.length) return `diverged in all ${states.length} seeds (median step ${at})`;
  const rest = undivergedState(states);
  return diverged.length ? `${rest}; ${diverged.length} of ${states.length} seeds diverged (median step ${at})` : rest;
}

/** The state an arm shows as a colour: diverged only when all its seeds did. */
export function armState(states) {
  if (states.every((s) => s.state === 'diverged')) return 'diverged';
  return undivergedState(states);
}

/**
 * An arm's row of the run table from its seeds' engine reports and states: its state and the
 * words for it, and the median over the seeds that did not diverge of each loss and accuracy.
 */
export function armReport(reports, states) {
  const live = reports.filter((_, k) => states[k]?.state !== 'diverged');
  const of = (key) => median(live.map((r) => r[key]));
  return { state: armState(states), text: armStateText(states), train_loss: of('train_loss'), train_accuracy: of('train_accuracy'), validation_loss: of('validation_loss'), validation_accuracy: of('validation_accuracy') };
}

/** Whether a run's state (runState's) says it diverged before `step`: its weights stayed there. */
export function stoppedBefore(state, step) {
  return state?.state === 'diverged' && step > state.step;
}
