// A run's name in the legend, tables and findings, from its schedule: "constant 0.05",
// "triangular 0.01–0.3", "one-cycle to 1", "SGDR from 0.3, T_0 100, T_mult 2", "step decay from 0.3".
import { formatRate } from '../../format.js';

const NAMES = {
  Constant: (s) => `constant ${formatRate(s.lr)}`,
  CyclicLR: (s) => `${s.mode ?? 'triangular'} ${formatRate(s.base_lr)}–${formatRate(s.max_lr)}`,
  OneCycleLR: (s) => `one-cycle to ${formatRate(s.max_lr)}`,
  CosineAnnealingWarmRestarts: (s) => `SGDR from ${formatRate(s.lr)}, T_0 ${s.T_0}, T_mult ${s.T_mult ?? 1}`,
  StepLR: (s) => `step decay from ${formatRate(s.lr)}`,
};

/** The schedule's short name; its kind where there is none. */
export function scheduleLabel(spec) {
  const name = Object.hasOwn(NAMES, spec.kind) ? NAMES[spec.kind](spec) : spec.kind;
  return name.includes('undefined') ? spec.kind : name;
}
