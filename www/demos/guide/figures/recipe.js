// Question 4: fastai's eight-step transfer recipe; the steps about the rate (find it, unfreeze
// with lower rates for earlier groups, find it again) as fine_tune's plan, live in Layers.
import { recipeFinding } from '../findings.js';
import { drawPlan } from './plans.js';

const PLAN = { method: 'fine_tune', n_groups: 3, steps_per_epoch: 20, epochs: 4 };

export default {
  id: 'recipe',
  question: 4,
  title: "fastai's eight steps",
  claim: 'Augment; find the rate; train the head for an epoch or two; train it with augmentation; unfreeze; give earlier groups 3–10× lower rates; find the rate again; train everything with cycle_mult 2 until it overfits.',
  open: { demo: 'layers', state: { preset: 'fine_tune' } },
  async run({ engine, box }) {
    const plan = await engine.planGroups(PLAN);
    const drawn = drawPlan(box, plan, { log: true });
    const finding = recipeFinding(drawn);
    return { finding, alt: `Each layer group's rate against step under fastai's fine_tune with 3 groups. ${finding}`, destroy: () => drawn.plot.destroy() };
  },
};
