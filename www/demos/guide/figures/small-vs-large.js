// Question 1: w ← w − lr · gradient on an ill-conditioned bowl, at a small, a good and a too large
// rate: the small one crawls, the large one oversteps along the steep direction and grows.
import { COLORS, LinePlot } from '../../../plot.js';
import { descentFinding } from '../findings.js';

const SURFACE = { kind: 'quadratic', kappa: 10 };
const STEPS = 60;
// Stable plain gradient descent on this bowl needs lr < 2 / 10 (the steep curvature).
const RATES = [0.02, 0.15, 0.21];

export default {
  id: 'small-vs-large',
  question: 1,
  title: 'A small and a large rate',
  claim: 'Each step moves the weights by the rate times the gradient. Too small and the descent crawls; too large and it oversteps the valley and climbs out.',
  open: { demo: 'surfaces', state: { surface: 'quadratic', kappa: 10 } },
  async run({ engine, box }) {
    const paths = await engine.trajectories(
      RATES.map((lr) => ({ surface: SURFACE, start: [-2.5, 1], steps: STEPS, optimizer: { kind: 'sgd' }, schedule: { kind: 'Constant', lr } })),
    );
    const plot = new LinePlot(box, { height: 220, yLabel: 'loss' });
    plot.draw({ steps: STEPS + 1, log: true, series: paths.map((p, i) => ({ label: `lr ${RATES[i]}`, color: COLORS[i], values: p.loss })) });
    const finding = descentFinding(paths.map((p, i) => ({ lr: RATES[i], loss: Array.from(p.loss), state: p.state })));
    return { finding, alt: `Loss against step on the bowl 0.5 (x² + 10 y²) for plain gradient descent at rates ${RATES.join(', ')}. ${finding}`, destroy: () => plot.destroy() };
  },
};
