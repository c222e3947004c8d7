// A Train experiment's results per arm, read from the session the page trained, and what the
// presets say about them (presets.js): the best constant rate of a sweep, each arm's divergences,
// times to a target and final values, through the shared experiment module.
import { finalFinding, median, timeToTarget } from '../../experiment/index.js';
import { armSlice } from './arms.js';
import { medianStep, stoppedBefore } from './run-states.js';

/**
 * Per arm: { label, steps (the evaluations' steps), loss and accuracy ([seed][evaluation]),
 * states ([seed] { state, step }) }. `evaluations`: [{ step, report }] of the whole session;
 * `states`: per session run (run-states.js).
 */
export function armResults(labels, evaluations, states, seeds) {
  const steps = evaluations.map((e) => e.step);
  return labels.map((label, arm) => {
    const runs = Array.from({ length: seeds }, (_, k) => arm * seeds + k);
    const series = (key) => runs.map((r) => evaluations.map((e) => (stoppedBefore(states[r], e.step) ? NaN : e.report[r]?.[key])));
    return { label, steps, loss: series('validation_loss'), accuracy: series('validation_accuracy'), states: armSlice(states, arm, seeds) };
  });
}

/** Per seed, the arm's last validation loss (NaN for a diverged seed). */
export function finalLoss(arm) {
  return arm.loss.map((curve) => curve.at(-1) ?? NaN);
}

/** Per seed, the step at which the arm's validation accuracy first reached `target` (null: never). */
export function timesToAccuracy(arm, target) {
  return arm.accuracy.map((curve) => timeToTarget(arm.steps, curve, target, { goal: 'above' }));
}

/** Per seed, the arm's validation loss at the first evaluation at or after `step`. */
export function lossAt(arm, step) {
  const i = arm.steps.findIndex((s) => s >= step);
  return arm.loss.map((curve) => (i < 0 ? NaN : curve[i]));
}

/** Of the arms at `indices`, the one with the lowest median final validation loss (diverged seeds left out, an arm with none left last). */
export function bestArm(arms, indices) {
  const score = (i) => median(finalLoss(arms[i])) ?? Infinity;
  return indices.reduce((best, i) => (score(i) < score(best) ? i : best));
}

/** "diverged in 8 of 8 seeds (median step 12)" or "did not diverge in any of 8 seeds". */
export function divergenceText(arm) {
  const diverged = arm.states.filter((s) => s.state === 'diverged');
  const n = arm.states.length;
  if (diverged.length === 0) return `did not diverge in any of ${n} seeds`;
  return `diverged in ${diverged.length} of ${n} seeds (median step ${medianStep(diverged)})`;
}

/**
 * What any set-up's runs say once trained, without a preset: every other run against run 1 on
 * the final validation loss, seed by seed.
 */
export function setUpFindings(arms) {
  const [first, ...others] = arms;
  return others.map((arm) => finalFinding({ a: { name: arm.label, values: finalLoss(arm) }, b: { name: first.label, values: finalLoss(first) }, quantity: 'validation loss' }).sentence);
}
