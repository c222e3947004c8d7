// The post's figures as Train experiments, each a link (#demo=train&preset=<id>): the set-up, what
// to look for, and what the data say, in sentences computed from the runs (findings.js and the
// experiment module). Every arm runs on the same seeds (weights and batch orders), so arms compare
// seed by seed. Where a claim needs a tuned baseline, constant rates are swept in the same session
// and the best of them (lowest median final validation loss) is the one compared: the claim meets
// the best constant rate, not a straw man. The rates here are the figures' kinds of rate, not
// chosen to make any claim come true; where one does not hold on this network, the sentences say so.
import { finalFinding, pairedVerdict, timeFinding } from '../../experiment/index.js';
import { bestArm, divergenceText, finalLoss, lossAt, timesToAccuracy } from './findings.js';

const constant = (lr) => ({ schedule: { kind: 'Constant', lr } });

// What every preset shares: a network and data that two thousand steps learn well, and 8 seeds,
// the fewest at which a sign test can tell 7 of 8 from chance.
const BASE = { data: 'spiral', noise: 0.1, points: 400, hidden: [32, 32], activation: 'tanh', batch: 16, optimizer: { kind: 'sgd', momentum: 0.9 }, seeds: 8, trainsteps: 2000 };

/** The constant rates every preset sweeps, and the peaks each scheduled family is tried at. */
const SWEEP = [0.01, 0.05, 0.3];
const PEAKS = [0.05, 0.3];

/** The accuracy a time-to-target finding counts to. */
const TARGET = 0.9;
const TARGET_TEXT = '90 % validation accuracy';

const indices = (from, count) => Array.from({ length: count }, (_, i) => from + i);

/** The best arm of a family (lowest median final validation loss), named, and the sentence that says which it was. */
function bestOf(arms, family, what) {
  const best = bestArm(arms, family);
  const tried = family.map((i) => arms[i].label).join(', ');
  return { best, name: `the best ${what} (${arms[best].label})`, sentence: `The best ${what}: ${arms[best].label}, the lowest median final validation loss of ${tried}.` };
}

/** Arm `a` against arm `b` (named): who reached the target sooner, and who ended lower. */
function race(arms, [a, aName], [b, bName], steps) {
  const arm = (i, name) => ({ name, times: timesToAccuracy(arms[i], TARGET), values: finalLoss(arms[i]) });
  const [x, y] = [arm(a, aName), arm(b, bName)];
  return [timeFinding({ a: x, b: y, target: TARGET_TEXT, steps }).sentence, finalFinding({ a: x, b: y, quantity: 'validation loss' }).sentence];
}

/**
 * A scheduled family (runs from `make(peak)` at each of PEAKS, after the constant sweep) against
 * the constants: the best of each, then each at the same peak as the constant rate of that value.
 */
function familyFindings(arms, steps, what) {
  const constants = bestOf(arms, indices(0, SWEEP.length), 'constant rate');
  const family = bestOf(arms, indices(SWEEP.length, PEAKS.length), what);
  const samePeak = PEAKS.map((peak, i) => race(arms, [SWEEP.length + i, arms[SWEEP.length + i].label], [SWEEP.indexOf(peak), `constant ${peak} (the same peak)`], steps)[1]);
  const sentences = [constants.sentence, family.sentence, ...race(arms, [family.best, family.name], [constants.best, constants.name], steps), ...samePeak];
  return [...sentences, claimSentence(arms, family.best, constants.best, what)];
}

// Whether the post's claim holds here: the schedule beats a tuned constant rate, or only one at its own peak.
function claimSentence(arms, family, constant, what) {
  const verdict = (a, b) => pairedVerdict(finalLoss(arms[a]), finalLoss(arms[b])).winner;
  const againstTuned = verdict(family, constant);
  const peaks = PEAKS.map((peak, i) => verdict(SWEEP.length + i, SWEEP.indexOf(peak)));
  if (againstTuned === 'a') return `So here the ${what} beats even a tuned constant rate, as the post claims.`;
  const atPeak = peaks.includes('a') ? ` It does beat a constant rate at its own peak (${PEAKS.filter((_, i) => peaks[i] === 'a').join(', ')}): it helps against a constant rate as high as its peak, not against one tuned for the whole run.` : '';
  return againstTuned === 'b'
    ? `So on this network the claim does not hold: the tuned constant rate ends lower than the best ${what}.${atPeak}`
    : `So on this network the ${what} is no better than a tuned constant rate, beyond seed noise.${atPeak}`;
}

/** The constant sweep, the family `make(peak)` at each of PEAKS, then `more` runs. */
function sweepSettings(make, more = []) {
  return { ...BASE, runs: [...SWEEP.map(constant), ...PEAKS.map((peak) => ({ schedule: make(peak) })), ...more] };
}

export const PRESETS = [
  {
    id: 'four-rates',
    title: 'Four constant rates',
    look: "cs231n's picture of the effect of learning rates, on the two moons at decades around a good rate (0.05): very high (100×) should explode, high (10×) drop fast and then stall above the good one, low (1/50) creep down almost linearly.",
    // The moons: a loss that falls from the first steps, as in the figure (the spiral sits on a plateau first).
    settings: { ...BASE, data: 'moons', hidden: [16, 16], runs: [constant(5), constant(0.5), constant(0.001), constant(0.05)] },
    findings(arms, steps) {
      const [veryHigh, high, low, good] = arms;
      // "Drops fast": the first twentieth of the run.
      const early = Math.round(steps / 20);
      const pair = (x, y, values, verb) => ({ a: { name: x.label, values: values(x) }, b: { name: y.label, values: values(y) }, quantity: 'validation loss', verb });
      return [
        `Very high (${veryHigh.label}) ${divergenceText(veryHigh)}; high (${high.label}) ${divergenceText(high)}.`,
        `At step ${early}: ${finalFinding(pair(high, good, (arm) => lossAt(arm, early), 'had')).sentence}`,
        `At the end: ${finalFinding(pair(high, good, finalLoss)).sentence}`,
        `At the end: ${finalFinding(pair(low, good, finalLoss)).sentence}`,
      ];
    },
  },
  {
    id: 'clr',
    title: 'Cyclical rates',
    look: "Smith's triangular policy (from a tenth of the peak up to the peak and back, every 400 steps) at peaks 0.05 and 0.3, against a sweep of constant rates 0.01, 0.05, 0.3: is the best cycle better than the best constant rate, and than the constant rate at its own peak?",
    settings: sweepSettings((peak) => ({ kind: 'CyclicLR', base_lr: peak / 10, max_lr: peak, step_size_up: 200, mode: 'triangular' })),
    findings: (arms, steps) => familyFindings(arms, steps, 'triangular cycle'),
  },
  {
    id: 'sgdr',
    title: 'Warm restarts (SGDR)',
    look: 'Cosine annealing with warm restarts (the first cycle 100 steps, each next one twice as long: cycle_len, cycle_mult = 2) at peaks 0.05 and 0.3, against a sweep of constant rates; a step decay (×0.1 every 700 steps from 0.3) for reference. Watch the loss jump at each restart and fall lower after it.',
    settings: sweepSettings((peak) => ({ kind: 'CosineAnnealingWarmRestarts', lr: peak, T_0: 100, T_mult: 2 }), [{ schedule: { kind: 'StepLR', lr: 0.3, step_size: 700, gamma: 0.1 } }]),
    findings: (arms, steps) => [...familyFindings(arms, steps, 'SGDR'), race(arms, [bestArm(arms, indices(SWEEP.length, PEAKS.length)), 'the best SGDR'], [arms.length - 1, 'the step decay'], steps)[1]],
  },
  {
    id: 'one-cycle',
    title: 'One cycle (super-convergence)',
    look: "Smith & Topin's one cycle, up to its peak and down over the whole run, at peaks 0.05 and 0.3, against a sweep of constant rates 0.01, 0.05, 0.3: does the best one cycle reach a good accuracy sooner than the best constant rate?",
    settings: sweepSettings((peak) => ({ kind: 'OneCycleLR', max_lr: peak, total_steps: BASE.trainsteps })),
    findings: (arms, steps) => familyFindings(arms, steps, 'one cycle'),
  },
];

/** The preset with id `id`, or undefined. */
export function presetById(id) {
  return PRESETS.find((p) => p.id === id);
}
