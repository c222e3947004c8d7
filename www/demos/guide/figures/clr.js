// Question 3: Smith's cyclical rates, triangular (fixed bounds) and triangular2 (the amplitude
// halves every cycle), as PyTorch's CyclicLR computes them.
import { COLORS } from '../../../plot.js';
import { emptyPlot } from './ahead.js';
import { cyclicFinding } from '../findings.js';

const STEPS = 1200;
const spec = (mode) => ({ kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 150, mode, cycle_momentum: false });

export default {
  id: 'clr',
  question: 3,
  title: 'Cyclical learning rates',
  claim: 'Cycle the rate between two bounds: triangular keeps the bounds, triangular2 halves the amplitude every cycle.',
  open: { demo: 'train', state: { preset: 'clr' } },
  async run({ engine, box, keep }) {
    const plot = keep(emptyPlot(box, { height: 200, yLabel: 'learning rate', steps: STEPS, labels: ['triangular', 'triangular2'] }));
    const [triangular, triangular2] = await Promise.all(['triangular', 'triangular2'].map((mode) => engine.sample(spec(mode), STEPS)));
    plot.draw({
      steps: STEPS,
      series: [
        { label: 'triangular', color: COLORS[0], values: triangular.lr },
        { label: 'triangular2', color: COLORS[1], values: triangular2.lr },
      ],
    });
    const finding = cyclicFinding({ triangular: triangular.lr, triangular2: triangular2.lr });
    return { finding, alt: `Learning rate against step for CyclicLR between 0.001 and 0.006, 150 steps up and 150 down. ${finding}` };
  },
};
