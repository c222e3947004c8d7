// The Train demo's settings as data: the fields its controls are built from, the default runs, and
// the Session options a page state stands for.
//
// The fields of engine options (ranges, choices, descriptions) come from the engine itself,
// Session.optionFields(), under the page's own names; the engine stays the judge, and its Error
// lands next to the control whose option its `field` names.
import { sessionRuns } from './arms.js';
import { DIGITS, DIGITS_CREDIT, dataKinds, dataOption, networkEnds } from '../../data-sets.js';
import { backendOption } from '../../state.js';

/** Each page setting and the Session option it stands for, as the path an engine Error's `field` gives. */
export const OPTION_PATH = {
  data: 'data.kind',
  noise: 'data.noise',
  points: 'data.n',
  hidden: 'layers',
  activation: 'activation',
  batch: 'batch_size',
};

// Where the page's words fit its settings better than the engine's.
const DESCRIPTIONS = {
  data: `A synthetic 2-D data set (TensorFlow Playground's, and sklearn's moons; reg_* are regression), or digits: 8×8 images of handwritten digits (a 64-…-10 network). ${DIGITS_CREDIT}`,
  hidden: 'Hidden layer widths, e.g. 16, 16 (empty: a linear model)',
};

/** The page's own setting: training stops after this many steps (the loop's business, not the engine's). */
export const TRAINSTEPS = { name: 'trainsteps', type: 'int', min: 1, max: 100_000, default: 2000, required: true, description: 'Training stops after this many steps' };

/** The page's own setting: each run (arm) trains from this many seeds at once, in lockstep (arms.js). */
export const SEEDS = { name: 'seeds', type: 'int', min: 1, max: 8, default: 1, required: true, description: 'Seeds per run: each run trains this many times at once, from other initial weights and batch orders, and shows their median and band' };

/**
 * The settings' fields (in the shape of Schedule.kinds() fields, so controls.js builds them), by
 * page key, from `Session.optionFields()`.
 */
export function settingFields(engine) {
  const data = [...engine.data, { name: 'kind', type: 'choice', choices: dataKinds(engine) }];
  const fields = Object.entries(OPTION_PATH).map(([key, path]) => {
    const [group, name] = path.startsWith('data.') ? [data, path.slice('data.'.length)] : [engine.session, path];
    const field = group.find((f) => f.name === name);
    return [key, { ...field, name: key, required: true, description: DESCRIPTIONS[key] ?? field.description }];
  });
  return { ...Object.fromEntries(fields), trainsteps: TRAINSTEPS, seeds: SEEDS };
}

/** The hidden layers a data kind starts with: one layer of 32 for the digits' 64 pixels, else two of 16. */
export function defaultHidden(data) {
  return data === DIGITS ? [32] : [16, 16];
}

/**
 * The hidden layers after the data changes from `from` to `to`: the new kind's default where the
 * network is still the old kind's default, else the reader's own network, kept.
 */
export function hiddenForData(from, to, hidden) {
  return JSON.stringify(hidden) === JSON.stringify(defaultHidden(from)) ? defaultHidden(to) : hidden;
}

/** Whether the data kind's noise and points apply (the digits are a fixed set of images). */
export function hasNoiseAndPoints(data) {
  return data !== DIGITS;
}

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
  return data.startsWith('reg_');
}

/** Rows held out when a run's ReduceLROnPlateau needs a validation loss (other runs train on all). */
export const PLATEAU_VALIDATION_FRACTION = 0.2;

/** The Session.create() options for a Train state. */
export function sessionOptions(state) {
  const plateau = state.runs.some((run) => run.schedule?.kind === 'ReduceLROnPlateau');
  const { inputs, outputs } = networkEnds(state.data);
  return {
    layers: [inputs, ...state.hidden, outputs],
    activation: state.activation,
    loss: isRegression(state.data) ? 'mse' : 'cross_entropy',
    optimizer: state.optimizer,
    data: { ...dataOption(state.data, { n: state.points, noise: state.noise }), ...(plateau && { validation_fraction: PLATEAU_VALIDATION_FRACTION }) },
    batch_size: state.batch,
    runs: sessionRuns(state.runs, state.seeds),
    ...backendOption(state),
  };
}
