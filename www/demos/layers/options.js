// The Layers demo's settings as data: the network and its layer groups, the transfer tasks (a
// pretraining set A and a related target set B), the presets as planGroups specs, and the
// Session options each stage stands for. No DOM, no engine: the tests check them as they are.

/** Hidden widths: four Linear layers, the last the head that each task gets fresh. */
export const HIDDEN = [32, 32, 32];
/** fastai's layer groups, earliest first: the body's first layer, the rest of the body, the head. */
export const GROUPS = [[0], [1, 2], [3]];
export const GROUP_NAMES = ['early body', 'late body', 'head'];
/** Held out of each set for validation. */
export const VALIDATION = 0.2;
export const OPTIMIZER = { kind: 'adam' };
/** fit_one_cycle's epochs of pretraining on task A. */
export const PRETRAIN_EPOCHS = 30;
export const PRETRAIN_LR = 2e-2;
/** The from-scratch run's peak rate (every layer), over the fine-tuning run's steps. */
export const SCRATCH_LR = 1e-2;

/**
 * Seeds each arm trains from, in lockstep: a sweep of five is the fewest in which a sign test can
 * name a winner (p = 0.0625 ≤ SURE_P, experiment/finding.js), and costs the CPU path little more
 * than one.
 */
export const SEEDS = 5;
/** The arms of task B, as they alternate in its session: run 2k fine-tunes seed k's body, run 2k + 1 trains from scratch. */
export const FINE_TUNE = 0;
export const SCRATCH = 1;

/** The run of `arm` (FINE_TUNE or SCRATCH, or 0..arms-1 in a session of `arms` arms) for seed `k`. */
export function runOf(arm, k, arms = 2) {
  return arms * k + arm;
}

/** The runs of `arm` among a session's `runs` (of `arms` arms), seed by seed. */
export function armRuns(arm, runs, arms = 2) {
  return Array.from({ length: Math.floor((runs - arm + arms - 1) / arms) }, (_, k) => runOf(arm, k, arms));
}

/** `key` (validation_loss, validation_accuracy) of `arm`'s runs in an evaluation's `report`, seed by seed (null where a run has none). */
export function seedValues(report, key, arm, arms = 2) {
  return armRuns(arm, report?.length ?? 0, arms).map((r) => report[r]?.[key] ?? null);
}

// Seed k of a sweep from `seed`: its weights from seed + k (pretraining) or seed + 2 + k (task B's
// runs), its batches in their own order from the second seed on (the first keeps the session's).
function seeded(initSeed, seed, k) {
  return { seed: initSeed + k, ...(k > 0 && { data_seed: seed + k }) };
}

/** The digits' inputs: 8 × 8 grey pixels. */
const DIGIT_INPUTS = 64;

/**
 * The tasks: A, many points of a related problem to pretrain on; B, few points of the problem
 * at hand. `classes`: the head's width for each; `batch`: rows per step.
 */
export const TASKS = {
  spiral: {
    label: '8-arm spiral → rotated 3-arm spiral',
    a: { data: { kind: 'spiral', arms: 8, n: 1600, noise: 0.05 }, classes: 8, batch: 32 },
    b: { data: { kind: 'spiral', arms: 3, rotation: 40, n: 240, noise: 0.1 }, classes: 3, batch: 16 },
  },
  moons: {
    label: 'moons → noisy moons',
    a: { data: { kind: 'moons', n: 1600, noise: 0.1 }, classes: 2, batch: 32 },
    b: { data: { kind: 'moons', n: 160, noise: 0.35 }, classes: 2, batch: 16 },
  },
  // The seed's story with images: handwritten digits (8×8, 64 inputs). B keeps 20 training
  // examples a class (125 rows, a fifth held out). Both heads are 10 wide, whatever numbering
  // the subsets' labels keep: a head wider than the classes only has outputs never chosen.
  digits: {
    label: 'digits 0–4 → digits 5–9, 20 examples a class',
    a: { data: { kind: 'digits', classes: [0, 1, 2, 3, 4], n: 900 }, classes: 10, batch: 32, inputs: DIGIT_INPUTS },
    b: { data: { kind: 'digits', classes: [5, 6, 7, 8, 9], n: 125 }, classes: 10, batch: 10, inputs: DIGIT_INPUTS },
  },
};

export const PRESETS = {
  fine_tune: { label: 'fastai fine_tune (defaults)', describe: 'Head alone for one epoch (body frozen), then everything, earlier groups at up to 100× lower rates' },
  slice: { label: 'slice(1e-4, 1e-2), fit_one_cycle', describe: 'Everything trains at once; the rates spread geometrically from 1e-4 (first group) to 1e-2 (head)' },
  ulmfit: { label: 'ULMFiT gradual unfreezing + STLR', describe: 'One more group unfreezes each epoch, top down, each 2.6× slower than the next, under slanted triangular rates' },
  one_rate: { label: 'All layers one rate', describe: 'For contrast: fit_one_cycle at 1e-2 for every layer, pretrained body and all' },
};

/** Training batches per epoch of a task's set (full batches only, as the engine takes them). */
export function stepsPerEpoch(task) {
  // Own rows (own-task.js) are counted by the set; a built-in set's spec says its size.
  const n = task.rows ?? task.data.n;
  const train = n - Math.floor(n * VALIDATION);
  return Math.floor(train / task.batch);
}

/** planGroups' spec for a preset over `epochs` epochs of the target set. */
export function planSpec(preset, { epochs, stepsPerEpoch: spe }) {
  const common = { n_groups: GROUPS.length, steps_per_epoch: spe };
  switch (preset) {
    case 'fine_tune':
      return { method: 'fine_tune', ...common, epochs, base_lr: 2e-3, freeze_epochs: 1, lr_mult: 100, pct_start: 0.3, div: 5 };
    case 'slice':
      return { method: 'fit_one_cycle', ...common, n_epoch: epochs, lr_max: { slice: [1e-4, 1e-2] } };
    case 'ulmfit':
      return { method: 'gradual_unfreezing', ...common, lr_max: 1e-2, factor: 2.6, epochs };
    case 'one_rate':
      return { method: 'fit_one_cycle', ...common, n_epoch: epochs, lr_max: 1e-2 };
    default:
      throw new Error(`preset: unknown preset ${preset}`);
  }
}

/** The layer widths for a task's set: its inputs (2 unless said), the hidden layers, one output per class. */
export function layersFor(task) {
  return [task.inputs ?? 2, ...HIDDEN, task.classes];
}

/** Parameters of the body (every Linear layer but the head), in `params()` order: the prefix a fine-tuned run takes over. */
export function bodyLength(layers) {
  let n = 0;
  for (let l = 0; l < layers.length - 2; l++) n += layers[l] * layers[l + 1] + layers[l + 1];
  return n;
}

/** Session options for pretraining on task A: one body for each of SEEDS seeds, fit_one_cycle. */
export function pretrainOptions(task, seed) {
  const a = task.a;
  const schedule = { kind: 'fit_one_cycle', n_epoch: PRETRAIN_EPOCHS, steps_per_epoch: stepsPerEpoch(a), lr_max: PRETRAIN_LR };
  return taskSession(a, seed, { seed }, Array.from({ length: SEEDS }, (_, k) => ({ ...seeded(seed, seed, k), schedule })));
}

/**
 * Session options for task B, SEEDS pairs of runs (runOf): in pair k, one run fine-tunes (`fineTune`:
 * its phases, e.g. a plan's, and seed k's body as init_params) and one trains from scratch
 * (`scratch`: its phases or schedule), both with seed k's head and batches. Each arm is a run's
 * options, or a function of k giving them. `augment`: the data set's augmentation, or null.
 */
export function targetOptions(task, seed, { fineTune, scratch, augment = null }) {
  return armsOptions(task, seed, [fineTune, scratch], augment);
}

/**
 * Session options for task B with any number of arms over the SEEDS seeds, seed k of arm a at
 * runOf(a, k, arms.length), with seed k's head and batches in every arm. Each arm is a run's
 * options, or a function of k giving them.
 */
export function armsOptions(task, seed, arms, augment = null) {
  const of = (arm, k) => (typeof arm === 'function' ? arm(k) : arm);
  const runs = Array.from({ length: SEEDS }, (_, k) => arms.map((arm) => ({ ...seeded(seed + 2, seed, k), ...of(arm, k) })));
  return taskSession(task.b, seed, { seed: seed + 1, ...(augment && { augment }) }, runs.flat());
}

// What both stages' Session options share, on one task's set: `data` what the stage adds to its
// data spec, `runs` its runs.
function taskSession(task, seed, data, runs) {
  return {
    layers: layersFor(task),
    activation: 'relu',
    optimizer: OPTIMIZER,
    batch_size: task.batch,
    seed,
    data: { ...task.data, validation_fraction: VALIDATION, ...data },
    groups: GROUPS,
    runs,
  };
}

/** The scratch run's schedule over `steps` steps: one cycle at `lr` (SCRATCH_LR until tuned), every layer. */
export function scratchSchedule(steps, lr = SCRATCH_LR) {
  return { kind: 'OneCycleLR', max_lr: lr, total_steps: steps };
}

/**
 * The peak rates the from-scratch run is tuned over before a plan's comparison (three decades,
 * half a decade apart): a baseline left at one untuned rate would make any fine-tuning look good.
 */
export const SCRATCH_CANDIDATES = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];

/**
 * The candidate with the lowest median validation loss over seeds (`checks`: LrFinder.verify's
 * answer for each seed's run, the same candidates in each), a diverged training counting as the
 * worst loss: a rate that diverges for most seeds is never chosen. Null where every rate does.
 */
export function bestCandidate(checks) {
  const { candidates } = checks[0];
  let best = null;
  let bestLoss = Infinity;
  candidates.forEach((lr, i) => {
    const loss = medianOfAll(checks.map((c) => (c.diverged[i] ? Infinity : c.validation_loss[i])));
    if (loss < bestLoss) [best, bestLoss] = [lr, loss];
  });
  return best;
}

// The median with every value counted, a missing one (NaN, null) as +Infinity.
function medianOfAll(values) {
  const sorted = values.map((v) => (Number.isFinite(v) ? v : Infinity)).sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}

/** The recipe's data augmentation (step 1): small rotations, jitter and mirror images. */
export const AUGMENT = { rotate: 8, jitter: 0.03, flip: false, seed: 7 };
