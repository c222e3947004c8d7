// Question 4: fastai's eight-step transfer recipe; the steps about the rate (find it, unfreeze
// with lower rates for earlier groups, find it again) as fine_tune's plan, live in Layers.
import { recipeFinding } from '../findings.js';
import { emptyPlot } from './ahead.js';
import { drawPlan, groupLabels } from './plans.js';

const PLAN = { method: 'fine_tune', n_groups: 3, steps_per_epoch: 20, epochs: 4 };

export default {
  id: 'recipe',
  question: 4,
  title: "fastai's eight steps",
  claim: 'Augment; find the rate; train the head for an epoch or two; train it with augmentation; unfreeze; give earlier groups 3–10× lower rates; find the rate again; train everything with cycle_mult 2 until it overfits.',
  open: { demo: 'layers', state: { preset: 'fine_tune' } },
  async run({ engine, box, keep }) {
    // Axes over the epochs asked for; the plan's own steps (a frozen epoch more, for fine_tune) replace them.
    const plot = keep(emptyPlot(box, { height: 200, yLabel: 'learning rate', steps: PLAN.steps_per_epoch * PLAN.epochs, labels: groupLabels(PLAN.n_groups) }));
    const plan = await engine.planGroups(PLAN);
    const drawn = drawPlan(plot, plan, { log: true });
    const finding = recipeFinding(drawn);
    return { finding, alt: `Each layer group's rate against step under fastai's fine_tune with 3 groups. ${finding}` };
  },
};
