// A run's name in the legend, tables and findings, from its schedule: "constant 0.05",
// "triangular 0.01–0.3", "one-cycle to 1", "SGDR from 0.3, T_0 100, T_mult 2", "step decay from 0.3".
import { formatRate } from '../../format.js';

// Per kind: the fields its name needs, and the name.
const NAMES = {
  Constant: [['lr'], (s) => `constant ${formatRate(s.lr)}`],
  CyclicLR: [['base_lr', 'max_lr'], (s) => `${s.mode ?? 'triangular'} ${formatRate(s.base_lr)}–${formatRate(s.max_lr)}`],
  OneCycleLR: [['max_lr'], (s) => `one-cycle to ${formatRate(s.max_lr)}`],
  CosineAnnealingWarmRestarts: [['lr', 'T_0'], (s) => `SGDR from ${formatRate(s.lr)}, T_0 ${s.T_0}, T_mult ${s.T_mult ?? 1}`],
  StepLR: [['lr'], (s) => `step decay from ${formatRate(s.lr)}`],
};

/** The schedule's short name; its kind where there is none (another kind, or a field missing). */
export function scheduleLabel(spec) {
  if (!Object.hasOwn(NAMES, spec.kind)) return spec.kind;
  const [fields, name] = NAMES[spec.kind];
  return fields.every((f) => Number.isFinite(spec[f])) ? name(spec) : spec.kind;
}
