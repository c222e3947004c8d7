// Question 2: Leslie Smith's range test as fastai's lr_find runs it, over eight seeds: the median
// curve against a log rate, where its minimum is, and fastai's pick to the left of it.
import { formatRate, formatTick } from '../../../format.js';
import { FinderPlot } from '../../find/plot.js';
import { NETWORK } from './training.js';

const SEEDS = 8;
const FINDER = { convention: 'fastai', start_lr: 1e-5, end_lr: 10, num_it: 100, stop_div: true };

export default {
  id: 'range-test',
  question: 2,
  title: 'The range test',
  claim: 'Train briefly while the rate grows every batch, plot the loss against the rate on a log axis, and pick a rate left of the lowest point, where the loss still clearly falls.',
  open: { demo: 'find', state: {} },
  async run({ engine, box, signal, progress, keep }) {
    // The axes over the rates the test sweeps, before its first batch.
    const plot = keep(new FinderPlot(box, { height: 240, onDrawn: () => {} }));
    plot.draw({ lrs: [FINDER.start_lr, FINDER.end_lr], curves: [], band: null, markers: [], check: null });
    const runs = Array.from({ length: SEEDS }, (_, seed) => ({ seed, schedule: { kind: 'Constant', lr: FINDER.start_lr } }));
    const { id } = await engine.session.create({ ...NETWORK, runs });
    let result;
    try {
      result = await engine.session.findLr(id, FINDER, ({ i }) => progress(`Raising the rate: batch ${i + 1} of ${FINDER.num_it}`), signal);
    } finally {
      engine.session.destroy(id).catch(() => {});
    }
    if (result.cancelled) return null;
    const median = result.band.median;
    const lowest = lowestIndex(median);
    const valley = result.suggestions.valley;
    const markers = [{ name: 'lowest loss', lr: result.lrs[lowest], loss: median[lowest], picked: false }];
    if (valley.lr !== null) markers.push({ name: 'valley (fastai)', lr: valley.lr, loss: median[valley.index], picked: true });
    plot.draw({
      lrs: result.lrs,
      curves: result.runs.map((r, k) => ({ label: `seed ${k}`, raw: r.losses, smoothed: r.smoothed })),
      band: result.band,
      markers,
      check: null,
    });
    const finding = rangeFinding({ lowestLr: result.lrs[lowest], lowestLoss: median[lowest], valley: valley.lr, seeds: SEEDS });
    return { finding, alt: `Smoothed loss against a log learning rate from ${formatRate(FINDER.start_lr)} to ${formatRate(FINDER.end_lr)}, median of ${SEEDS} seeds. ${finding}` };
  },
};

function lowestIndex(values) {
  let best = 0;
  values.forEach((v, i) => {
    if (Number.isFinite(v) && !(values[best] <= v)) best = i;
  });
  return best;
}

/** What the curve says, in the post's terms. */
export function rangeFinding({ lowestLr, lowestLoss, valley, seeds }) {
  const lowest = `The median of ${seeds} seeds was lowest (${formatTick(lowestLoss)}) at lr ${formatRate(lowestLr)}`;
  if (valley === null) return `${lowest}; the curve had no clear descent for fastai's valley to pick.`;
  return `${lowest}; fastai's valley picks ${formatRate(valley)}, ${formatTick(lowestLr / valley)}× further left, where the loss still falls steeply.`;
}
