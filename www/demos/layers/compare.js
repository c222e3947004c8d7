// The Layers demo's plans side by side, with no DOM: every preset's plan fine-tunes each seed's
// body in one session (the runs in lockstep; seed k of every arm with the same head seed and
// batches), beside the same network from scratch at its own tuned rate, each arm to its own plan's
// end. Then, seed by seed, each plan against one rate for all: does giving each layer group its
// own rate (ULMFiT's discriminative fine-tuning) beat one rate for every layer, on this network?
import { median, pairedVerdict, finalFinding } from '../../experiment/index.js';
import { emptyCurves, trainInChunks } from '../../session-driver.js';
import { tunedRate } from './lab.js';
import { PRESETS, SCRATCH_CANDIDATES, armRuns, armsOptions, planSpec, scratchSchedule, seedValues, stepsPerEpoch } from './options.js';

/** The baseline every plan is held against: fit_one_cycle at one rate for all layers. */
export const BASELINE = 'one_rate';
/** The discriminative plan the claim is about: fastai's slice, rates rising toward the head. */
export const DISCRIMINATIVE = 'slice';
/** Steps per request: the progress moves, and a new task or seed stops the comparison soon. */
const CHUNK = 32;

/**
 * Trains each of `presets`' plans (`epochs` epochs of task B, as the toolbar's plan does) from
 * each of `bodies`, and with `scratch` the network from scratch over the longest plan's steps at
 * its tuned rate, in one session borrowed through `lab` (Lab.borrow). `onProgress({ stage, done,
 * total })`: 'tuning' the baseline's rate first, then 'training' after each chunk.
 * Resolves to { arms: [{ id, label, steps, losses, accuracies, batchLosses }] (per seed; batch
 * losses per step), scratchLr } or null (superseded, or refused: the Lab's onError).
 */
export async function comparePlans(engine, lab, { task, seed, bodies, epochs, presets = Object.keys(PRESETS), scratch = true, onProgress = () => {} }) {
  const plans = await Promise.all(presets.map((id) => engine.planGroups(planSpec(id, { epochs, stepsPerEpoch: stepsPerEpoch(task.b) }))));
  const steps = Math.max(...plans.map((p) => p.steps));
  const arms = [...plans.map((plan) => (k) => ({ init_params: bodies[k], phases: plan.phases })), ...(scratch ? [{ schedule: scratchSchedule(steps) }] : [])];
  const ids = [...presets, ...(scratch ? ['scratch'] : [])];
  return lab.borrow(armsOptions(task, seed, arms), async ({ id, runs }, current) => {
    const runsOf = (a) => armRuns(a, runs, arms.length);
    let lr = null;
    if (scratch) {
      onProgress({ stage: 'tuning', done: 0, total: steps });
      lr = await tunedRate(engine, id, runsOf(presets.length), SCRATCH_CANDIDATES, steps);
      if (!current()) return null;
      if (lr !== null) for (const run of runsOf(presets.length)) await engine.session.updateRun(id, run, { schedule: scratchSchedule(steps, lr) });
    }
    const batchLosses = emptyCurves(runs);
    const onChunk = (curves, done) => {
      curves.forEach((curve, r) => batchLosses[r].push(...curve));
      onProgress({ stage: 'training', done, total: steps });
    };
    if (!(await trainInChunks(engine, id, { steps, chunk: CHUNK, current, onChunk }))) return null;
    const report = await engine.session.evaluate(id);
    return {
      arms: ids.map((armId, a) => ({
        id: armId,
        label: armId === 'scratch' ? 'from scratch' : PRESETS[armId].label,
        steps: armId === 'scratch' ? steps : plans[a].steps,
        losses: seedValues(report, 'validation_loss', a, arms.length),
        accuracies: seedValues(report, 'validation_accuracy', a, arms.length),
        batchLosses: runsOf(a).map((r) => batchLosses[r]),
      })),
      scratchLr: lr,
    };
  });
}

/**
 * What the comparison shows: per arm { id, label, steps, loss, lossRange: [min, max], accuracy,
 * against } (medians over the seeds; `against`: pairedVerdict against one rate for all, null for
 * the baseline itself), and `sentence`, the discriminative plan's finding against one rate for all.
 */
export function comparisonView({ arms }) {
  const baseline = arms.find((a) => a.id === BASELINE);
  const rows = arms.map((arm) => {
    const finite = arm.losses.filter(Number.isFinite);
    return {
      id: arm.id,
      label: arm.label,
      steps: arm.steps,
      loss: median(arm.losses),
      lossRange: finite.length ? [Math.min(...finite), Math.max(...finite)] : null,
      accuracy: median(arm.accuracies),
      against: arm === baseline ? null : pairedVerdict(arm.losses, baseline.losses, { lowerIsBetter: true }),
    };
  });
  const discriminative = arms.find((a) => a.id === DISCRIMINATIVE);
  const { sentence } = finalFinding({ a: { name: 'discriminative rates (slice)', values: discriminative.losses }, b: { name: 'one rate for all', values: baseline.losses }, quantity: 'validation loss' });
  return { rows, sentence };
}
