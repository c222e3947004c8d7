// The Surfaces demo's figures, as plain data: a surface, a start, and the paths to race from it
// (each an optimizer and a schedule spec, field names as in PyTorch), or one of the two figures
// that train a network instead ('landscape', 'race').

// Schedules that cycle the rate only: the optimizers here have no momentum to cycle.
const CYCLIC = { kind: 'CyclicLR', base_lr: 0.01, max_lr: 0.5, step_size_up: 100, mode: 'triangular', cycle_momentum: false };
const SGD = { kind: 'sgd' };

export const PRESETS = [
  {
    // cs231n's picture: on 0.5 (x² + 10 y²), 10 times as curved along y, a small rate creeps, a
    // good one settles, and one past 2 / 10 (2 over the steepest curvature) swings ever wider.
    id: 'rates',
    label: 'Small vs large rate',
    kind: 'paths',
    surface: 'quadratic',
    kappa: 10,
    steps: 100,
    paths: [
      { label: 'too small', optimizer: SGD, schedule: { kind: 'Constant', lr: 0.01 } },
      { label: 'good', optimizer: SGD, schedule: { kind: 'Constant', lr: 0.1 } },
      { label: 'too large', optimizer: SGD, schedule: { kind: 'Constant', lr: 0.21 } },
    ],
  },
  {
    // Rosenbrock's curved valley: plain SGD crawls along its floor; momentum (heavy ball) and
    // Nesterov's look-ahead build up speed there.
    id: 'momentum',
    label: 'Momentum on Rosenbrock',
    kind: 'paths',
    surface: 'rosenbrock',
    steps: 1000,
    paths: [
      { label: 'SGD', optimizer: SGD, schedule: { kind: 'Constant', lr: 0.001 } },
      { label: 'momentum 0.9', optimizer: { kind: 'sgd', momentum: 0.9 }, schedule: { kind: 'Constant', lr: 0.001 } },
      { label: 'Nesterov 0.9', optimizer: { kind: 'sgd', momentum: 0.9, nesterov: true }, schedule: { kind: 'Constant', lr: 0.001 } },
    ],
  },
  {
    // Started next to a saddle point, where the gradient all but vanishes: a small fixed rate
    // lingers there, a rate that rises now and then (Smith 2017; Loshchilov & Hutter 2017; Smith &
    // Topin 2018) or Adam's per-coordinate scaling leaves sooner. The fixed rate at the cycles'
    // peak is the fair match: whether cycling beats it is what the figure shows.
    id: 'saddle',
    label: 'Saddle escape: fixed vs cyclic',
    kind: 'paths',
    surface: 'plateau_saddle',
    steps: 600,
    // Escaped: more than 1 from the saddle (an eighth of the view), and 0.5 below it (halfway
    // down to either minimum).
    escape: { radius: 1, delta: 0.5 },
    paths: [
      { label: 'fixed 0.05', optimizer: SGD, schedule: { kind: 'Constant', lr: 0.05 } },
      { label: "fixed 0.5 (the cycles' peak)", optimizer: SGD, schedule: { kind: 'Constant', lr: 0.5 } },
      { label: 'triangular', optimizer: SGD, schedule: CYCLIC },
      { label: 'SGDR', optimizer: SGD, schedule: { kind: 'CosineAnnealingWarmRestarts', lr: 0.5, T_0: 200, eta_min: 0.01 } },
      { label: 'one cycle', optimizer: SGD, schedule: { kind: 'OneCycleLR', max_lr: 0.5, total_steps: 600, cycle_momentum: false } },
      { label: 'Adam', optimizer: { kind: 'adam' }, schedule: { kind: 'Constant', lr: 0.05 } },
    ],
  },
  {
    // Beale's function: steep walls and a flat floor, where SGD's step depends on the slope and
    // Adam's does not.
    id: 'adam',
    label: 'Adam vs SGD',
    kind: 'paths',
    surface: 'beale',
    steps: 1000,
    paths: [
      { label: 'SGD', optimizer: SGD, schedule: { kind: 'Constant', lr: 0.001 } },
      { label: 'SGD momentum', optimizer: { kind: 'sgd', momentum: 0.9 }, schedule: { kind: 'Constant', lr: 0.001 } },
      { label: 'RMSprop', optimizer: { kind: 'rmsprop' }, schedule: { kind: 'Constant', lr: 0.01 } },
      { label: 'Adam', optimizer: { kind: 'adam' }, schedule: { kind: 'Constant', lr: 0.05 } },
    ],
  },
  { id: 'landscape', label: "The network's landscape", kind: 'landscape' },
  { id: 'race', label: 'Plateau race', kind: 'race' },
];

export const PRESET_IDS = PRESETS.map((preset) => preset.id);

export function presetById(id) {
  return PRESETS.find((preset) => preset.id === id) ?? PRESETS[0];
}
