// Question 1: cs231n's "effect of learning rates": the Train demo's four-rates preset in small
// (its rates, fewer seeds and steps), each arm over several seeds on the same batches, their median
// losses; the sentence checks the figure's claims one by one against what happened.
import { median, seedBand } from '../../../experiment/index.js';
import { COLORS } from '../../../plot.js';
import { debiasedEma } from '../../../smoothing.js';
import { PRESETS } from '../../train/presets.js';
import { fourRatesFinding } from '../findings.js';
import { emptyPlot } from './ahead.js';
import { trainArms } from './training.js';

// The preset's rates (decades around a good one, not tuned to the picture: the sentence says which
// claims held), in the figure's order: very high, high, good, low.
const [veryHigh, high, low, good] = PRESETS.find((p) => p.id === 'four-rates').settings.runs.map((run) => run.schedule.lr);
const ARMS = [
  { label: 'very high', lr: veryHigh },
  { label: 'high', lr: high },
  { label: 'good', lr: good },
  { label: 'low', lr: low },
];
// Per-batch losses jump about: the curves are smoothed as TensorBoard smooths them (the finding
// says so).
const SMOOTHING = 0.6;
const SEEDS = 3;
const STEPS = 400;

export default {
  id: 'four-rates',
  question: 1,
  title: 'Four rates',
  claim: 'A very high rate makes the loss explode, a high one drops fast and then stalls at a worse loss, a low one creeps down almost linearly; a good one gets furthest.',
  open: { demo: 'train', state: { preset: 'four-rates' } },
  async run({ engine, box, signal, progress, keep }) {
    const labels = ARMS.map((a) => `${a.label} ${a.lr}`);
    const plot = keep(emptyPlot(box, { height: 240, yLabel: `loss (median of ${SEEDS})`, steps: STEPS, labels }));
    // The medians so far, drawn as the arms train.
    const draw = (losses) => {
      const medians = losses.map((seeds) => debiasedEma(seedBand(seeds).median, SMOOTHING));
      plot.draw({ steps: STEPS, log: true, series: labels.map((label, i) => ({ label, color: COLORS[i], values: medians[i] })) });
      return medians;
    };
    const result = await trainArms(engine, {
      arms: ARMS.map(({ lr }) => ({ schedule: { kind: 'Constant', lr } })),
      seeds: SEEDS,
      steps: STEPS,
      signal,
      onChunk: (done, losses) => {
        progress(`Training: step ${done} of ${STEPS}`);
        if (!signal.aborted) draw(losses);
      },
    });
    if (!result) return null;
    const medians = draw(result.losses);
    const arms = ARMS.map((a, i) => ({
      ...a,
      seeds: SEEDS,
      start: median(result.losses[i].map((l) => l[0])),
      early: medians[i][Math.floor(STEPS / 5)] ?? Infinity,
      final: median(result.losses[i].map((l) => l.at(-1))) ?? Infinity,
      diverged: result.states[i].filter((s) => s === 'diverged').length,
    }));
    const finding = fourRatesFinding(arms);
    return { finding, alt: `Median training loss against step for constant rates ${ARMS.map((a) => a.lr).join(', ')}. ${finding}` };
  },
};
