// The Find demo's settings as data: the fields of each convention (in the shape of Schedule.kinds()
// fields, so controls.js builds them), and the Session and LrFinder options a page state stands for.
import { dataOption, networkEnds } from '../../data-sets.js';
import { backendOption } from '../../state.js';

export const CONVENTIONS = ['fastai', 'torch_lr_finder'];
export const STEP_MODES = ['exp', 'linear'];
/** The suggestions the engine makes for either convention, fastai's four then torch-lr-finder's. */
export const METHODS = ['valley', 'slide', 'minimum', 'steep', 'steepest'];
export const MAX_SEEDS = 8;
/** The data set's size and noise: fixed, so a link says all that matters in a few keys. */
const DATA = { n: 400, noise: 0.1 };

const rate = (name, example, description) => ({ name, type: 'float', min: 0, log: true, example, required: true, description });

/**
 * Every finder field by the name the engine gives it (an Error's `field` names it): `key`, the
 * page state's key for it, and `field`, its control's metadata.
 */
export const FINDER_FIELDS = {
  start_lr: { key: 'start', field: rate('start_lr', 1e-5, 'The rate of the first batch') },
  end_lr: { key: 'end', field: rate('end_lr', 1, 'The rate the test grows towards') },
  num_it: { key: 'iters', field: { name: 'num_it', type: 'int', min: 2, max: 100_000, required: true, description: 'Batches in the test, at most' } },
  stop_div: { key: 'stopdiv', field: { name: 'stop_div', type: 'bool', description: 'Stop once the smoothed loss passes 4 × its best' } },
  step_mode: { key: 'stepmode', field: { name: 'step_mode', type: 'choice', choices: STEP_MODES, description: 'How the rate grows: exponentially or linearly' } },
  smooth_f: { key: 'smooth', field: { name: 'smooth_f', type: 'float', min: 0, max: 1, required: true, description: 'The weight of each new loss in the running average, in [0, 1)' } },
  diverge_th: { key: 'diverge', field: { name: 'diverge_th', type: 'float', min: 1, required: true, description: 'Stop once the smoothed loss passes this × its best' } },
};

/** Which fields each convention has, in its library's order. */
export const CONVENTION_FIELDS = {
  fastai: ['start_lr', 'end_lr', 'num_it', 'step_mode', 'stop_div'],
  torch_lr_finder: ['start_lr', 'end_lr', 'num_it', 'step_mode', 'smooth_f', 'diverge_th'],
};

/** LrFinder.run's options for a Find state: the convention's own fields only. */
export function finderOptions(state) {
  return { convention: state.convention, ...Object.fromEntries(CONVENTION_FIELDS[state.convention].map((name) => [name, state[FINDER_FIELDS[name].key]])) };
}

/**
 * The Session.create() options: one run per seed (seeds 1..K), each with its own batch order
 * when `orders`; the finder sets the rate, so each run's schedule is a placeholder.
 */
export function sessionOptions(state) {
  const { inputs, outputs } = networkEnds(state.data);
  return {
    layers: [inputs, ...state.hidden, outputs],
    activation: 'relu',
    loss: outputs === 1 ? 'mse' : 'cross_entropy',
    optimizer: state.optimizer,
    data: dataOption(state.data, DATA),
    batch_size: state.batch,
    runs: Array.from({ length: state.seeds }, (_, k) => ({
      seed: k + 1,
      ...(state.orders && { data_seed: k + 1 }),
      schedule: { kind: 'Constant', lr: state.start },
    })),
    ...backendOption(state),
  };
}

/** The Train demo's state for trying `rate` there: one-cycle up to it, against a constant rate a tenth of it. */
export function trainWith(rate, state, steps = 2000) {
  return {
    data: state.data,
    noise: DATA.noise,
    points: DATA.n,
    hidden: state.hidden,
    activation: 'relu',
    batch: state.batch,
    optimizer: state.optimizer,
    trainsteps: steps,
    // The same own data, which Train finds in this browser's storage too.
    own: Boolean(state.own),
    runs: [
      { schedule: { kind: 'OneCycleLR', max_lr: rate, total_steps: steps } },
      { schedule: { kind: 'Constant', lr: rate / 10 } },
    ],
  };
}

/** The Schedules demo's state showing the one-cycle schedule up to `rate`. */
export function scheduleWith(rate, steps = 1000) {
  return { steps, schedules: [{ kind: 'OneCycleLR', max_lr: rate, total_steps: steps }] };
}
