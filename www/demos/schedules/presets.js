// The classic schedule figures, as plain specs (field names as in PyTorch / fastai).

// Smith (2017), "Cyclical Learning Rates for Training Neural Networks": CIFAR-10 with
// base_lr 0.001, max_lr 0.006 and a half cycle of 200 iterations.
const TRIANGULAR = { kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 200, mode: 'triangular' };

export const PRESETS = [
  {
    id: 'overlay',
    label: 'Fixed vs triangular vs SGDR',
    steps: 1200,
    schedules: [
      { kind: 'Constant', lr: 0.003 },
      TRIANGULAR,
      // Same 400-step period and range as the triangle, so the shapes compare directly.
      { kind: 'CosineAnnealingWarmRestarts', lr: 0.006, T_0: 400, eta_min: 0.001 },
    ],
  },
  { id: 'triangular', label: 'Triangular', steps: 1200, schedules: [TRIANGULAR] },
  { id: 'triangular2', label: 'Triangular2', steps: 2000, schedules: [{ ...TRIANGULAR, mode: 'triangular2' }] },
  {
    // Loshchilov & Hutter (2017), "SGDR": each restart period twice the last.
    id: 'sgdr',
    label: 'SGDR, T_mult = 2',
    steps: 1500,
    schedules: [{ kind: 'CosineAnnealingWarmRestarts', lr: 0.05, T_0: 100, T_mult: 2 }],
  },
  {
    // Smith & Topin (2018): PyTorch's OneCycleLR and fastai's fit_one_cycle over the same 1000 steps.
    id: 'one-cycle',
    label: 'One cycle: PyTorch vs fastai',
    steps: 1000,
    schedules: [
      { kind: 'OneCycleLR', max_lr: 0.01, total_steps: 1000 },
      { kind: 'fit_one_cycle', lr_max: 0.01, n_epoch: 10, steps_per_epoch: 100 },
    ],
  },
];
