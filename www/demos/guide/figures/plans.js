// Question 4: fastai's per-group plans as the engine computes them (planGroups): each layer
// group's rate at every step, drawn one line per group.
import { COLORS, LinePlot } from '../../../plot.js';

/** Draws `plan`'s rates per group in `box`; resolves to { plot, peaks (per group, after unfreezing), frozenSteps, headPeak }. */
export function drawPlan(box, plan, { log }) {
  const { steps, n_groups: groups, lr, trainable } = plan;
  const rate = (g) => Array.from({ length: steps }, (_, t) => (trainable[t * groups + g] ? lr[t * groups + g] : null));
  const series = Array.from({ length: groups }, (_, g) => ({ label: g === groups - 1 ? 'head' : `group ${g + 1}`, color: COLORS[g], values: rate(g) }));
  const plot = new LinePlot(box, { height: 200, yLabel: 'learning rate' });
  plot.draw({ steps, log, series });
  const frozenSteps = Array.from({ length: steps }, (_, t) => trainable[t * groups]).indexOf(1);
  const peak = (g, from) => Math.max(...rate(g).slice(from).filter((v) => v !== null));
  return {
    plot,
    frozenSteps: Math.max(0, frozenSteps),
    headPeak: peak(groups - 1, 0),
    peaks: Array.from({ length: groups }, (_, g) => peak(g, Math.max(0, frozenSteps))),
  };
}
