// Question 4: fastai's per-group plans as the engine computes them (planGroups): each layer
// group's rate at every step, drawn one line per group.
import { COLORS } from '../../../plot.js';

/** The names of `groups` layer groups, the last one the head. */
export function groupLabels(groups) {
  return Array.from({ length: groups }, (_, g) => (g === groups - 1 ? 'head' : `group ${g + 1}`));
}

/** Draws `plan`'s rates per group in `plot` (a LinePlot); resolves to { peaks (per group, after unfreezing), frozenSteps, headPeak }. */
export function drawPlan(plot, plan, { log }) {
  const { steps, n_groups: groups, lr, trainable } = plan;
  const rate = (g) => Array.from({ length: steps }, (_, t) => (trainable[t * groups + g] ? lr[t * groups + g] : null));
  const series = groupLabels(groups).map((label, g) => ({ label, color: COLORS[g], values: rate(g) }));
  plot.draw({ steps, log, series });
  const frozenSteps = Array.from({ length: steps }, (_, t) => trainable[t * groups]).indexOf(1);
  const peak = (g, from) => Math.max(...rate(g).slice(from).filter((v) => v !== null));
  return {
    frozenSteps: Math.max(0, frozenSteps),
    headPeak: peak(groups - 1, 0),
    peaks: Array.from({ length: groups }, (_, g) => peak(g, Math.max(0, frozenSteps))),
  };
}
