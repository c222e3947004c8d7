// fastai's eight steps to a world-class image classifier (fast.ai course v2, lesson 2), as a
// guided run on the Layers demo's transfer task, with no DOM:
//   1 data augmentation on (precompute=True)   2 lr_find   3 train the last group for 1-2 epochs
//   4 train it with augmentation, cycle_len=1   5 unfreeze all
//   6 earlier groups at 3-10x lower rates than the next   7 lr_find again
//   8 train everything with SGDR, cycle_mult=2, until the validation loss stops improving
//     (cycle after cycle while each ends below the one before).
// Each step runs on the Lab's target session (one arm fine-tunes; the other, from scratch, trains
// the same stages with every layer at the head's rate; each arm over the same seeds) and reports
// what it changed and what it cost.
// Steps run in order; one that is done or skipped can be redone (from the weights it started
// from, the later steps undone) or, with other settings, altered.
import { formatRate, formatTick } from '../../format.js';
import { median } from '../../experiment/index.js';
import { armValues, transferFinding } from './finding.js';
import { FINE_TUNE } from './options.js';
import { emptyTimeline, stageTimeline } from './timeline.js';
import { errorText } from '../../messages.js';

/** The settings a user can change, with their defaults and ranges. */
export const RECIPE_SETTINGS = {
  factor: { min: 3, max: 10, default: 3, describe: 'Step 6: each group trains this many times slower than the next' },
  headEpochs: { min: 1, max: 2, default: 1, describe: 'Step 3: epochs of the last group alone' },
  headCycles: { min: 1, max: 3, default: 2, describe: 'Step 4: cycles of one epoch each (cycle_len=1)' },
  maxCycles: { min: 1, max: 5, default: 3, describe: 'Step 8: at most this many SGDR cycles (1, 2, 4, … epochs)' },
};

/** fastai's lr_find, as the recipe calls it. */
export const FIND_OPTIONS = { convention: 'fastai', start_lr: 1e-7, end_lr: 10, num_it: 100 };
/** The rate until lr_find suggests one. */
export const FIRST_LR = 1e-3;

export const STEPS = [
  { id: 'augment', title: 'Data augmentation on (precompute)', run: augment },
  { id: 'find', title: 'lr_find', run: findLr },
  { id: 'head', title: 'Train the last group', run: trainHead },
  { id: 'head_sgdr', title: 'Train it with augmentation, cycle_len=1', run: trainHeadCycles },
  { id: 'unfreeze', title: 'Unfreeze all', run: unfreeze },
  { id: 'discriminative', title: 'Earlier groups at lower rates', run: discriminative },
  { id: 'find_again', title: 'lr_find again', run: findLr },
  { id: 'sgdr', title: 'Train everything: SGDR, cycle_mult=2', run: trainAll },
];

/**
 * The recipe over `lab` (lab.js). `open({ augment, mark, context })` makes the Lab's target
 * session anew, with augmentation or without, from a Lab mark (every run's weights and the
 * record) or, with none, from the start (the pretrained bodies in the fine-tuning runs), those
 * with the context's frozen groups, multipliers and rate; `sample(spec, steps)` is the engine's
 * schedule sampler; `stepsPerEpoch` and `groups` describe the task. `onUpdate(view)` after
 * every change: { steps: [{ id, title, state, report, error }], next, running, settings, lr,
 * context, verdict }; a report is { changed, steps, undone, ms, before, after } (the
 * arms' median validation losses [fine-tune, scratch] before and after the step).
 */
export class Recipe {
  constructor(lab, { open, sample, stepsPerEpoch, groups, settings = {}, now = () => performance.now(), onUpdate = () => {} }) {
    Object.assign(this, { lab, open, sample, stepsPerEpoch, groups, now, onUpdate });
    this.settings = { ...defaultSettings(), ...settings };
    this.ticket = 0;
    this.clear();
  }

  /** Back to before step 1: the target session made anew without augmentation. */
  async reset() {
    const ticket = ++this.ticket;
    this.clear();
    this.emit();
    const opened = await this.open({ augment: false, mark: null, context: this.context });
    if (ticket !== this.ticket) return false;
    this.emit();
    return opened;
  }

  /** Changes settings for the steps run (or redone) from now on. */
  setSettings(patch) {
    this.settings = { ...this.settings, ...patch };
    this.emit();
  }

  /** Runs the next step. */
  next() {
    return this.run(this.nextIndex());
  }

  /** Runs step `i`: the next one, or one done or skipped, redone from where it started (the later ones undone). */
  async run(i) {
    if (this.running !== null || i > this.nextIndex() || i < 0 || i >= STEPS.length) return false;
    if (i < this.nextIndex() && !(await this.rewindTo(i))) return false;
    const ticket = this.ticket;
    this.running = i;
    this.states[i] = { state: 'running', report: null, error: null };
    this.emit();
    this.marks[i] = { mark: await this.lab.mark(), context: structuredClone(this.context) };
    const before = validationLosses(this.lab.report());
    const started = this.now();
    const stepsBefore = this.lab.target?.steps ?? 0;
    let outcome;
    try {
      outcome = await STEPS[i].run(this);
    } catch (err) {
      outcome = { error: errorText(err) };
    }
    if (ticket !== this.ticket) return false;
    this.running = null;
    if (!outcome || outcome.error || !this.lab.target) {
      this.states[i] = { state: 'failed', report: null, error: outcome?.error ?? 'the engine stopped (see the message above)' };
      this.emit();
      return false;
    }
    const report = {
      changed: outcome.changed,
      // Training steps each run took; lr_find's are undone when it ends.
      steps: outcome.steps ?? (this.lab.target.steps - stepsBefore),
      undone: Boolean(outcome.undone),
      ms: this.now() - started,
      before,
      after: validationLosses(this.lab.report()),
    };
    this.states[i] = { state: 'done', report, error: null };
    this.emit();
    return true;
  }

  /** Skips the next step: it changes nothing. */
  async skip(i = this.nextIndex()) {
    if (this.running !== null || i !== this.nextIndex()) return false;
    this.marks[i] = { mark: await this.lab.mark(), context: structuredClone(this.context) };
    this.states[i] = { state: 'skipped', report: null, error: null };
    this.emit();
    return true;
  }

  /** Every step left, in order, stopping at one that fails. */
  async runAll() {
    const ticket = this.ticket;
    while (this.nextIndex() < STEPS.length && ticket === this.ticket) {
      if (!(await this.next())) return false;
    }
    return ticket === this.ticket;
  }

  /** Stops hearing the running step (a new session or the demo going away). */
  destroy() {
    this.ticket += 1;
  }

  nextIndex() {
    const i = this.states.findIndex((s) => s.state === 'pending' || s.state === 'running' || s.state === 'failed');
    return i === -1 ? STEPS.length : i;
  }

  clear() {
    this.states = STEPS.map(() => ({ state: 'pending', report: null, error: null }));
    this.marks = [];
    this.running = null;
    this.context = initialContext(this.groups);
  }

  // Back to the weights and settings step `i` started from (a new session from them, the record
  // cut there); it and the later steps are pending again.
  async rewindTo(i) {
    const ticket = this.ticket;
    if (i === 0) return (await this.reset()) && ticket + 1 === this.ticket;
    const { mark, context } = this.marks[i];
    if (!(await this.open({ augment: context.augmented, mark, context }))) return false;
    if (ticket !== this.ticket) return false;
    this.context = structuredClone(context);
    for (let j = i; j < STEPS.length; j++) this.states[j] = { state: 'pending', report: null, error: null };
    this.marks.length = i;
    return true;
  }

  // Trains both runs `steps` steps under `spec`: run 0 with the recipe's frozen groups and
  // multipliers, run 1 (from scratch) every layer at the schedule's rate.
  async stage(spec, steps) {
    const { lr } = await this.sample(spec, steps);
    const { frozen, mult } = this.context;
    const scratch = { schedule: spec, group_lr_mult: mult.map(() => 1), frozen: frozen.map(() => false) };
    const updated = await this.lab.update([{ schedule: spec, group_lr_mult: mult, frozen }, scratch], stageTimeline(lr, mult, frozen));
    return updated && (await this.lab.train(steps));
  }

  emit() {
    const view = {
      steps: STEPS.map(({ id, title }, i) => ({ id, title, ...this.states[i] })),
      next: this.nextIndex(),
      running: this.running,
      settings: this.settings,
      lr: this.context.lr,
      context: this.context,
      // The recipe's outcome: the arms compared over the seeds.
      verdict: this.nextIndex() === STEPS.length ? transferFinding(this.lab.report()) : null,
    };
    this.onUpdate(view);
  }
}

export function defaultSettings() {
  return Object.fromEntries(Object.entries(RECIPE_SETTINGS).map(([key, s]) => [key, s.default]));
}

/** Before step 1: the body frozen (as fastai's cnn_learner makes a learner), every multiplier 1. */
function initialContext(groups) {
  const frozen = Array.from({ length: groups }, (_, g) => g < groups - 1);
  // `augment`: asked for (step 1); `augmented`: the session's batches are (from step 4).
  return { augment: false, augmented: false, frozen, mult: frozen.map(() => 1), lr: FIRST_LR };
}

function applied({ frozen, mult }) {
  return { frozen, group_lr_mult: mult };
}

/** [fine-tune, scratch]: each arm's median validation loss over its seeds in a report (null where there is none). */
export function validationLosses(report) {
  return armValues(report, 'validation_loss').map(median);
}

async function augment(recipe) {
  recipe.context.augment = true;
  return {
    changed:
      'Augmentation is set up: each training point turned by up to ±8° and jittered, a new draw every batch (validation points never are). With precompute=True fastai trains on stored outputs of the frozen body, which augmentation cannot reach, so it has no effect until step 4 turns precompute off; the same here.',
    steps: 0,
  };
}

async function findLr(recipe) {
  // The session's rates and frozen groups as the recipe has them: lr_find keeps them.
  if (!(await recipe.lab.update([applied(recipe.context), null]))) return null;
  const result = await recipe.lab.findLr(FIND_OPTIONS);
  if (!result) return null;
  // The first seed's fine-tuning run: fastai's lr_find reads one model, and its pick holds for every seed.
  const run = result.runs[FINE_TUNE];
  const pick = ['valley', 'slide'].map((method) => ({ method, lr: run.suggestions[method]?.lr })).find((s) => s.lr > 0);
  const trains = recipe.context.frozen.map((f, g) => (f ? null : g)).filter((g) => g !== null);
  const undone = `${run.losses.length} steps of a rising rate, then the weights put back`;
  if (!pick) {
    const reason = run.suggestions.valley?.reason ?? 'no suggestion';
    return { changed: `No suggestion (${reason}): the rate stays ${formatRate(recipe.context.lr)}. ${undone}.`, steps: run.losses.length, undone: true };
  }
  recipe.context.lr = pick.lr;
  // The engine's per-group rates: the suggestion times each group's multiplier.
  const rates = run.group_lrs[pick.method];
  const groups = trains.map((g) => `group ${g} ${formatRate(rates[g])}`).join(', ');
  return { changed: `${pick.method} suggests ${formatRate(pick.lr)} for the head: ${groups}. ${undone}.`, steps: run.losses.length, undone: true };
}

async function trainHead(recipe) {
  const epochs = recipe.settings.headEpochs;
  const steps = epochs * recipe.stepsPerEpoch;
  const spec = { kind: 'fit_one_cycle', n_epoch: epochs, steps_per_epoch: recipe.stepsPerEpoch, lr_max: recipe.context.lr };
  if (!(await recipe.stage(spec, steps))) return null;
  return { changed: `fit_one_cycle(${epochs}, ${formatRate(recipe.context.lr)}) with ${frozenText(recipe.context.frozen)}.` };
}

async function trainHeadCycles(recipe) {
  const { context, settings, stepsPerEpoch } = recipe;
  let precompute = '';
  if (context.augment && !context.augmented) {
    // precompute=False: the same runs go on from their weights, on augmented batches.
    const mark = await recipe.lab.mark();
    if (!mark || !(await recipe.open({ augment: true, mark, context }))) return null;
    context.augmented = true;
    precompute = 'precompute=False, so from now on every batch is augmented (both runs go on from their weights, with fresh optimizer state as each fastai fit starts); ';
  }
  const cycles = settings.headCycles;
  const spec = { kind: 'fit_sgdr', n_cycles: cycles, cycle_len: 1, cycle_mult: 1, steps_per_epoch: stepsPerEpoch, lr_max: context.lr };
  if (!(await recipe.stage(spec, cycles * stepsPerEpoch))) return null;
  const batches = context.augmented ? 'augmented batches' : 'no augmentation (step 1 skipped)';
  return { changed: `${precompute}${cycles} cosine cycles of one epoch each (fit(lr, ${cycles}, cycle_len=1)) at ${formatRate(context.lr)}, ${frozenText(context.frozen)}, ${batches}.` };
}

async function unfreeze(recipe) {
  recipe.context.frozen = recipe.context.frozen.map(() => false);
  if (!(await recipe.lab.update([applied(recipe.context), null]))) return null;
  return { changed: 'Every group trains from the next step on (unfreeze()).', steps: 0 };
}

async function discriminative(recipe) {
  const factor = recipe.settings.factor;
  const n = recipe.groups;
  recipe.context.mult = Array.from({ length: n }, (_, g) => factor ** -(n - 1 - g));
  if (!(await recipe.lab.update([applied(recipe.context), null]))) return null;
  const rates = recipe.context.mult.map((m) => formatRate(recipe.context.lr * m)).join(', ');
  return { changed: `Each group ${factor}× slower than the next: multipliers ${recipe.context.mult.map((m) => formatTick(m)).join(', ')}, rates ${rates} (lr=np.array([lr/${factor ** 2}, lr/${factor}, lr])).`, steps: 0 };
}

async function trainAll(recipe) {
  const { maxCycles } = recipe.settings;
  const spe = recipe.stepsPerEpoch;
  const spec = { kind: 'fit_sgdr', n_cycles: maxCycles, cycle_len: 1, cycle_mult: 2, steps_per_epoch: spe, lr_max: recipe.context.lr };
  const total = (2 ** maxCycles - 1) * spe;
  const { lr } = await recipe.sample(spec, total);
  const { frozen, mult } = recipe.context;
  const scratch = { schedule: spec, group_lr_mult: mult.map(() => 1), frozen: frozen.map(() => false) };
  if (!(await recipe.lab.update([{ schedule: spec, group_lr_mult: mult, frozen }, scratch], stageTimeline(lr, mult, frozen)))) return null;
  // Cycle after cycle while each ends below the one before (the first always runs).
  const losses = [];
  for (let k = 0; k < maxCycles; k++) {
    if (!(await recipe.lab.train(2 ** k * spe))) return null;
    losses.push(validationLosses(recipe.lab.report())[FINE_TUNE]);
    if (k > 0 && !(losses[k] < losses[k - 1])) {
      // The rest of the planned cycles never ran: the timeline ends here.
      await recipe.lab.update([], emptyTimeline(recipe.groups));
      return { changed: `SGDR (cycle_len=1, cycle_mult=2): cycle ${k + 1} ended at a validation loss of ${formatTick(losses[k])}, no better than cycle ${k}'s ${formatTick(losses[k - 1])}, so training stopped after ${k + 1} of ${maxCycles} cycles.` };
    }
  }
  return { changed: `SGDR (cycle_len=1, cycle_mult=2): ${maxCycles} cycles, the validation loss after each ${losses.map(formatTick).join(' → ')}.` };
}

function frozenText(frozen) {
  const n = frozen.filter(Boolean).length;
  return n === 0 ? 'every group training' : `groups ${frozen.flatMap((f, g) => (f ? [g] : [])).join(', ')} frozen`;
}
