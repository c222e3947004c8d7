// Question 4: discriminative rates, three groups at rising rates (fastai's slice), the picture of
// ULMFiT's discriminative fine-tuning; Layers trains it against one rate for all (compare.js).
import { discriminativeFinding } from '../findings.js';
import { emptyPlot } from './ahead.js';
import { drawPlan, groupLabels } from './plans.js';

const PLAN = { method: 'fit_one_cycle', n_groups: 3, steps_per_epoch: 20, n_epoch: 3, lr_max: { slice: [1e-4, 1e-2] } };

export default {
  id: 'discriminative',
  question: 4,
  title: 'Discriminative rates',
  claim: 'Early layers hold general features worth keeping, later ones task-specific ones: give each group its own rate, rising toward the head.',
  open: { demo: 'layers', state: { preset: 'slice' } },
  async run({ engine, box, keep }) {
    // Axes over the epochs asked for; the plan's own steps (a frozen epoch more, for fine_tune) replace them.
    const plot = keep(emptyPlot(box, { height: 200, yLabel: 'learning rate', steps: PLAN.steps_per_epoch * PLAN.n_epoch, labels: groupLabels(PLAN.n_groups) }));
    const plan = await engine.planGroups(PLAN);
    const drawn = drawPlan(plot, plan, { log: true });
    const finding = `${discriminativeFinding(drawn.peaks)} Whether that beats one rate for all on our network is what the Layers demo trains under “Every plan, side by side”: each plan against one rate for all, over five seeds.`;
    return { finding, alt: `Each of three layer groups' rate against step under fit_one_cycle(slice(1e-4, 1e-2)). ${finding}` };
  },
};
