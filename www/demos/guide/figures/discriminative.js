// Question 4: discriminative rates, three groups at rising rates (fastai's slice), the picture of
// ULMFiT's discriminative fine-tuning; and the claim tried on our network, as the Layers demo tries
// it (compare.js): its default task, a body pretrained from each of five seeds, each fine-tuned
// under slice and under one rate for all on the same head and batches. The sentence says which
// ended lower and how sure that is, whichever way it comes out.
import { h } from '../../../dom.js';
import { seedBand } from '../../../experiment/index.js';
import { COLORS } from '../../../plot.js';
import { debiasedEma } from '../../../smoothing.js';
import { BASELINE, DISCRIMINATIVE, comparePlans, comparisonView } from '../../layers/compare.js';
import { Lab } from '../../layers/lab.js';
import { PRETRAIN_EPOCHS, SEEDS, TASKS, bodyLength, layersFor, pretrainOptions, stepsPerEpoch } from '../../layers/options.js';
import { discriminativeFinding } from '../findings.js';
import { emptyPlot } from './ahead.js';
import { drawPlan, groupLabels } from './plans.js';

const PLAN = { method: 'fit_one_cycle', n_groups: 3, steps_per_epoch: 20, n_epoch: 3, lr_max: { slice: [1e-4, 1e-2] } };
// The Layers demo's defaults: its first task and seed, six epochs of task B.
const TASK = TASKS.spiral;
const SEED = 0;
const EPOCHS = 6;
// Colours of their own: the rates beside them colour the groups.
const ARMS = [
  { id: DISCRIMINATIVE, label: 'slice (a rate per group)', color: COLORS[3] },
  { id: BASELINE, label: 'one rate for all', color: COLORS[4] },
];
// Batch losses of 16 rows jump about: the medians are smoothed as TensorBoard smooths them.
const SMOOTHING = 0.6;

export default {
  id: 'discriminative',
  question: 4,
  title: 'Discriminative rates',
  claim: 'Early layers hold general features worth keeping, later ones task-specific ones: give each group its own rate, rising toward the head.',
  open: { demo: 'layers', state: { preset: 'slice' } },
  async run({ engine, box, signal, progress, keep }) {
    box.classList.add('guide-pair');
    const [left, right] = [h('div', { class: 'guide-chart' }), h('div', { class: 'guide-chart' })];
    box.append(left, right);
    // Axes over the epochs asked for; the plan's own steps replace them.
    const rates = keep(emptyPlot(left, { height: 200, yLabel: 'learning rate', steps: PLAN.steps_per_epoch * PLAN.n_epoch, labels: groupLabels(PLAN.n_groups) }));
    const losses = keep(emptyPlot(right, { height: 200, yLabel: 'median batch loss', steps: EPOCHS * stepsPerEpoch(TASK.b), labels: ARMS.map((a) => a.label), colors: ARMS.map((a) => a.color) }));
    const drawn = drawPlan(rates, await engine.planGroups(PLAN), { log: true });

    let failure = null;
    const lab = new Lab(engine, { onUpdate: () => {}, onBackend: () => {}, onError: (err) => (failure = err) });
    signal.addEventListener('abort', () => lab.destroy());
    let result;
    try {
      progress(`Pretraining ${SEEDS} bodies on task A`);
      const a = TASK.a;
      const steps = PRETRAIN_EPOCHS * stepsPerEpoch(a);
      // In one request: the figure shows no pretraining losses.
      const bodies = await lab.pretrain(pretrainOptions(TASK, SEED), steps, bodyLength(layersFor(a)), { chunk: steps });
      progress('Fine-tuning each body under both plans');
      result = bodies && (await comparePlans(engine, lab, { task: TASK, seed: SEED, bodies, epochs: EPOCHS, presets: ARMS.map((arm) => arm.id), scratch: false }));
    } finally {
      lab.destroy();
    }
    if (failure) throw failure;
    if (!result) return null;
    losses.draw({
      steps: Math.max(...result.arms.map((arm) => arm.steps)),
      log: true,
      series: result.arms.map((arm, i) => ({ label: ARMS[i].label, color: ARMS[i].color, values: debiasedEma(seedBand(arm.batchLosses).median, SMOOTHING) })),
    });
    const tried = `Tried on our network, as the Layers demo does (its ${TASK.label} task, a body pretrained from each of ${SEEDS} seeds, ${EPOCHS} epochs of fine-tuning; both plans peak at 0.01 for the head, fastai's usual rate, untuned). ${comparisonView(result).sentence}`;
    const finding = `${discriminativeFinding(drawn.peaks)} ${tried}`;
    return { finding, alt: `Each of three layer groups' rate against step under fit_one_cycle(slice(1e-4, 1e-2)), and the median batch loss over ${SEEDS} seeds (smoothed) of fine-tuning under slice and under one rate for all. ${finding}` };
  },
};
