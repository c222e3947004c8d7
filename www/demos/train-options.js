// The Train demo's settings as data: the fields its controls are built from (in the shape of
// Schedule.kinds() fields, so controls.js builds them), the default runs, the Session options a
// page state stands for, and which control an engine message belongs to.
//
// The ranges are those the engine enforces (src/engine/options.rs): tests/js/pkg.test.js holds
// them equal to Session.optionFields(), so they cannot drift. The engine stays the judge, and its
// message lands next to the control it names.

const REGRESSION = ['reg_plane', 'reg_gauss'];

/** The settings of the network and its data, each also a key of the page state (state.js). */
export const SETTINGS = [
  {
    name: 'data',
    type: 'choice',
    choices: ['circle', 'xor', 'gauss', 'spiral', 'moons', ...REGRESSION],
    default: 'spiral',
    description: "A synthetic 2-D data set (TensorFlow Playground's, and sklearn's moons); reg_* are regression",
  },
  { name: 'noise', type: 'float', min: 0, max: 1, default: 0.1, description: 'Label noise, on the Playground scale (0.5 = 50%)' },
  { name: 'points', type: 'int', min: 4, max: 100_000, default: 400, description: 'Points in all; 20% are held out for validation' },
  { name: 'hidden', type: 'int_list', min: 1, max: 1024, maxItems: 7, default: [16, 16], description: 'Hidden layer widths, e.g. 16, 16 (empty: a linear model)' },
  { name: 'activation', type: 'choice', choices: ['relu', 'tanh', 'sigmoid', 'gelu', 'linear'], default: 'relu', description: 'Hidden-layer activation' },
  { name: 'batch', type: 'int', min: 1, max: 4096, default: 16, description: 'Rows per optimizer step' },
  { name: 'trainsteps', type: 'int', min: 1, max: 100_000, default: 2000, description: 'Training stops after this many steps' },
];

// torch.optim's arguments; a schedule that cycles momentum drives SGD's momentum or Adam's beta1.
const WEIGHT_DECAY = { name: 'weight_decay', type: 'float', min: 0, max: 1, default: 0, description: 'L2 penalty' };
const ADAM = [
  { name: 'betas', type: 'float_list', min: 0, max: 1, default: [0.9, 0.999], description: '(beta1, beta2), each in [0, 1)' },
  { name: 'eps', type: 'float', min: 0, max: 1, log: true, default: 1e-8, example: 1e-8, description: 'Added to the denominator' },
];

/** Per optimizer kind, its fields. */
export const OPTIMIZERS = {
  sgd: [
    { name: 'momentum', type: 'float', min: 0, max: 1, default: 0, description: 'Momentum factor' },
    { name: 'dampening', type: 'float', min: 0, max: 1, default: 0, description: 'Dampening for momentum' },
    { name: 'nesterov', type: 'bool', default: false, description: 'Nesterov momentum (needs momentum > 0, dampening 0)' },
    WEIGHT_DECAY,
  ],
  adam: [...ADAM, WEIGHT_DECAY],
  adamw: [...ADAM, { ...WEIGHT_DECAY, default: 0.01, description: 'Decoupled weight decay' }],
};

export const DEFAULT_OPTIMIZER = { kind: 'sgd', momentum: 0.9 };

// The classic picture (Smith 2017): a fixed rate against a triangular cycle over the same range,
// with one cycle (Smith & Topin 2018) over the whole budget. All start from the same weights.
export const DEFAULT_RUNS = [
  { schedule: { kind: 'Constant', lr: 0.01 } },
  { schedule: { kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.1, step_size_up: 250, mode: 'triangular' } },
  { schedule: { kind: 'OneCycleLR', max_lr: 0.1, total_steps: 2000 } },
];

export const MAX_RUNS = 8;

/** Whether a data kind is a regression set (one output, mse) rather than two classes. */
export function isRegression(data) {
  return REGRESSION.includes(data);
}

/** The Session.create() options for a Train state. */
export function sessionOptions(state) {
  const regression = isRegression(state.data);
  return {
    layers: [2, ...state.hidden, regression ? 1 : 2],
    activation: state.activation,
    loss: regression ? 'mse' : 'cross_entropy',
    optimizer: state.optimizer,
    data: { kind: state.data, n: state.points, noise: state.noise },
    batch_size: state.batch,
    runs: state.runs,
  };
}

// The engine names option fields by their place in the options; the page by its own keys.
const CONTROL_OF = {
  'options.layers': 'hidden',
  'options.activation': 'activation',
  'options.batch_size': 'batch',
  'data.kind': 'data',
  'data.n': 'points',
  'data.noise': 'noise',
};

/**
 * Where an engine message about the options belongs: `{ target, message }` with target a setting
 * ('hidden', 'points', ...), 'optimizer.<field>', 'run-<i>-schedule' (the message then starts
 * with the schedule's own "Kind.field: ", as the schedule editor expects), 'run-<i>-seed', or
 * 'general' for anything else.
 */
export function routeError(message) {
  const run = /^runs\[(\d+)\]\.(schedule|seed): ([^]*)$/.exec(message);
  if (run) return { target: `run-${run[1]}-${run[2]}`, message: run[2] === 'schedule' ? run[3] : message };
  const field = /^(\w+\.\w+): /.exec(message)?.[1];
  if (field?.startsWith('optimizer.')) return { target: field, message };
  return { target: CONTROL_OF[field] ?? 'general', message };
}
