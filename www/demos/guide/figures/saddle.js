// Question 3: a deep narrow network starting near a saddle (the plateau race), with the rates
// matched: fixed at the cycles' low and at their peak, against a triangular cycle and one cycle
// between the same bounds; median escape over seeds.
import { COLORS } from '../../../plot.js';
import { emptyPlot } from './ahead.js';
import { raceFinding } from '../../surfaces/escape.js';
import { medianCurves } from '../../surfaces/race.js';

const LOW = 0.05;
const PEAK = 0.5;
const STEPS = 800;
const SEEDS = 5;
const SCHEDULES = [
  { name: `fixed ${LOW}`, schedule: { kind: 'Constant', lr: LOW } },
  { name: `fixed ${PEAK}`, schedule: { kind: 'Constant', lr: PEAK } },
  { name: `triangular ${LOW}–${PEAK}`, schedule: { kind: 'CyclicLR', base_lr: LOW, max_lr: PEAK, step_size_up: STEPS / 8, cycle_momentum: false } },
  { name: `one cycle to ${PEAK}`, schedule: { kind: 'OneCycleLR', max_lr: PEAK, total_steps: STEPS, cycle_momentum: false } },
];

export default {
  id: 'saddle',
  question: 3,
  title: 'Crossing a saddle plateau',
  claim: 'Training often slows on saddle plateaus rather than in poor minima; raising the rate now and then, as cyclic schedules do, helps cross them.',
  open: { demo: 'surfaces', state: { preset: 'plateau' } },
  async run({ engine, box, signal, progress, keep }) {
    const yLabel = `loss (median of ${SEEDS} seeds)`;
    const plot = keep(emptyPlot(box, { height: 240, yLabel, steps: STEPS, labels: SCHEDULES.map((s) => s.name) }));
    const result = await engine.plateauRace({ seeds: SEEDS, steps: STEPS, schedules: SCHEDULES }, ({ step }) => progress(`Racing: step ${step} of ${STEPS}`), signal);
    if (result.cancelled) return null;
    const curves = medianCurves(result.loss, result);
    plot.draw({ steps: result.steps, log: true, series: result.schedules.map((s, i) => ({ label: s.name, color: COLORS[i], values: curves[i] })) });
    const finding = `${raceFinding(result)} ${fairness(result.schedules)}`;
    return { finding, alt: `Median loss against step off a saddle plateau for ${SCHEDULES.map((s) => s.name).join(', ')}. ${finding}` };
  },
};

// The matched comparison the post's claim is about: the cycles against the fixed rate at their peak.
function fairness(schedules) {
  const [, peak, ...cycles] = schedules;
  const beaten = cycles.filter((c) => Number.isFinite(c.median) && (!Number.isFinite(peak.median) || c.median < peak.median));
  if (beaten.length === 0) return `Against the fixed rate at their own peak (${PEAK}), no cycle escaped sooner: here cycling helps only against a rate tuned small.`;
  return `${beaten.map((c) => c.name).join(' and ')} escaped sooner than even the fixed rate at their peak (${PEAK}).`;
}
