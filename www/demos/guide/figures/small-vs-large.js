// Question 1: w ← w − lr · gradient on an ill-conditioned bowl at a small, a good and a too large
// rate (the Surfaces demo's "Small vs large rate" preset): the small one crawls, the large one
// oversteps along the steep direction and swings ever wider.
import { h } from '../../../dom.js';
import { COLORS } from '../../../plot.js';
import { presetById } from '../../surfaces/presets.js';
import { descentFinding } from '../findings.js';
import { emptyPlot } from './ahead.js';
import { surfacePicture } from './surface-picture.js';

const PRESET = presetById('rates');

export default {
  id: 'small-vs-large',
  question: 1,
  title: 'A small and a large rate',
  claim: 'Each step moves the weights by the rate times the gradient. Too small and the descent crawls; too large and it oversteps the valley and climbs out.',
  open: { demo: 'surfaces', state: { preset: PRESET.id } },
  async run({ engine, box, keep }) {
    const rates = PRESET.paths.map((p) => p.schedule.lr);
    const labels = PRESET.paths.map((p, i) => `${p.label} ${rates[i]}`);
    box.classList.add('guide-pair');
    const picture = keep(surfacePicture(box));
    const chart = h('div', { class: 'guide-chart' });
    box.append(chart);
    const plot = keep(emptyPlot(chart, { height: 220, yLabel: 'loss', steps: PRESET.steps + 1, labels }));
    const surface = { kind: PRESET.surface, kappa: PRESET.kappa };
    const info = (await engine.surfaces()).find((s) => s.name === PRESET.surface);
    const paths = await engine.trajectories(PRESET.paths.map(({ optimizer, schedule }) => ({ surface, start: info.start, steps: PRESET.steps, optimizer, schedule })));
    await picture.draw(engine, { surface, view: info.view, start: info.start, minima: info.minima, paths: paths.map((p, i) => ({ x: p.x, y: p.y, color: COLORS[i] })) });
    plot.draw({ steps: PRESET.steps + 1, log: true, series: paths.map((p, i) => ({ label: labels[i], color: COLORS[i], values: p.loss })) });
    const finding = descentFinding(paths.map((p, i) => ({ lr: rates[i], loss: Array.from(p.loss), state: p.state })));
    return {
      finding,
      alt: `Paths of plain gradient descent on the bowl ${info.formula} with κ = ${PRESET.kappa}, and their loss against step, at rates ${rates.join(', ')}. ${finding}`,
    };
  },
};
