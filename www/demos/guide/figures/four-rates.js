// Question 1: cs231n's "effect of learning rates": four constant rates a decade or more apart,
// each over several seeds on the same batches, their median losses; the sentence checks the
// figure's claims one by one against what happened.
import { COLORS, LinePlot } from '../../../plot.js';
import { fourRatesFinding, median } from '../findings.js';
import { medianPerStep, trainArms } from './training.js';

// Chosen a priori, a decade or more apart, not tuned to the picture: the sentence says which held.
const ARMS = [
  { label: 'very high', lr: 10 },
  { label: 'high', lr: 1 },
  { label: 'good', lr: 0.1 },
  { label: 'low', lr: 0.001 },
];
const SEEDS = 3;
const STEPS = 400;

export default {
  id: 'four-rates',
  question: 1,
  title: 'Four rates',
  claim: 'A very high rate makes the loss explode, a high one drops fast and then stalls at a worse loss, a low one creeps down almost linearly; a good one gets furthest.',
  open: { demo: 'train', state: { preset: 'four-rates' } },
  async run({ engine, box, signal, progress }) {
    const result = await trainArms(engine, {
      arms: ARMS.map(({ lr }) => ({ schedule: { kind: 'Constant', lr } })),
      seeds: SEEDS,
      steps: STEPS,
      signal,
      onChunk: (done) => progress(`Training: step ${done} of ${STEPS}`),
    });
    if (!result) return null;
    const medians = result.losses.map(medianPerStep);
    const plot = new LinePlot(box, { height: 240, yLabel: `loss (median of ${SEEDS} seeds)` });
    plot.draw({ steps: STEPS, log: true, series: ARMS.map((a, i) => ({ label: `${a.label} ${a.lr}`, color: COLORS[i], values: medians[i] })) });
    const arms = ARMS.map((a, i) => ({
      ...a,
      seeds: SEEDS,
      start: median(result.losses[i].map((l) => l[0])),
      early: medians[i][Math.floor(STEPS / 5)] ?? Infinity,
      final: median(result.losses[i].map((l) => l.at(-1))) ?? Infinity,
      diverged: result.states[i].filter((s) => s === 'diverged').length,
    }));
    const finding = fourRatesFinding(arms);
    return { finding, alt: `Median training loss against step for constant rates ${ARMS.map((a) => a.lr).join(', ')}. ${finding}`, destroy: () => plot.destroy() };
  },
};
