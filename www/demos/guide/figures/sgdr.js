// Question 3: SGDR's warm restarts, and the post's "jumping between mountains": plain SGD with
// gradient noise on Himmelblau's surface (four minima), a small fixed rate, a fixed rate at the
// restarts' peak, and warm restarts; how many basins each path visits over seeds.
import { h } from '../../../dom.js';
import { COLORS } from '../../../plot.js';
import { basinsFinding } from '../findings.js';
import { emptyPlot } from './ahead.js';
import { surfacePicture } from './surface-picture.js';

const STEPS = 1000;
const SEEDS = 8;
const PEAK = 0.02;
const NOISE = 10;
// A point counts as in a basin within this distance of its minimum.
const NEAR = 1;
const ARMS = [
  { label: 'fixed 0.005', schedule: { kind: 'Constant', lr: 0.005 } },
  { label: `fixed ${PEAK}`, schedule: { kind: 'Constant', lr: PEAK } },
  { label: `warm restarts from ${PEAK}`, schedule: { kind: 'CosineAnnealingWarmRestarts', lr: PEAK, T_0: 200, T_mult: 1, eta_min: 0.0005 } },
];

export default {
  id: 'sgdr',
  question: 3,
  title: 'Warm restarts',
  claim: 'SGDR anneals the rate along a cosine and restarts it at the top every cycle, keeping the weights: a restart can throw the path out of one basin into another.',
  open: { demo: 'train', state: { preset: 'sgdr' } },
  async run({ engine, box, keep }) {
    box.classList.add('guide-pair');
    const picture = keep(surfacePicture(box));
    const chart = h('div', { class: 'guide-chart' });
    box.append(chart);
    const plot = keep(emptyPlot(chart, { height: 220, yLabel: 'learning rate', steps: STEPS, labels: ARMS.map((arm) => arm.label) }));
    const info = (await engine.surfaces()).find((s) => s.name === 'himmelblau');
    const specs = ARMS.flatMap(({ schedule }) =>
      Array.from({ length: SEEDS }, (_, seed) => ({ surface: 'himmelblau', start: info.start, steps: STEPS, optimizer: { kind: 'sgd' }, schedule, noise: NOISE, seed })),
    );
    const paths = await engine.trajectories(specs);
    const arms = ARMS.map((arm, a) => {
      const own = paths.slice(a * SEEDS, (a + 1) * SEEDS);
      return { label: arm.label, basins: own.map((p) => basinsVisited(p, info.minima)), diverged: own.filter((p) => p.state === 'diverged').length };
    });
    // The first seed's path of each arm on the map; the sentence counts over all seeds.
    const shown = ARMS.map((_, a) => paths[a * SEEDS]);
    await picture.draw(engine, { surface: 'himmelblau', view: info.view, start: info.start, minima: info.minima, paths: shown.map((p, i) => ({ x: p.x, y: p.y, color: COLORS[i] })) });
    const sampled = await engine.sample(ARMS[2].schedule, STEPS);
    plot.draw({
      steps: STEPS,
      series: ARMS.map((arm, i) => ({ label: arm.label, color: COLORS[i], values: i === 2 ? sampled.lr : new Float64Array(STEPS).fill(arm.schedule.lr) })),
    });
    const finding = basinsFinding(arms, SEEDS);
    return {
      finding,
      alt: `Paths of noisy gradient descent on Himmelblau's surface (four minima), one seed per schedule, and the three rate schedules against step. ${finding}`,
    };
  },
};

/** How many of the surface's minima the path came within NEAR of. */
export function basinsVisited({ x, y }, minima) {
  const seen = new Set();
  for (let t = 0; t < x.length; t += 1) {
    minima.forEach(([mx, my], i) => {
      if ((x[t] - mx) ** 2 + (y[t] - my) ** 2 < NEAR * NEAR) seen.add(i);
    });
  }
  return seen.size;
}
