// The Layers demo's transfer experiment, with no DOM: pretrain networks on task A from several
// seeds at once, keep their bodies (the parameters of every Linear layer but the head), then train
// on task B in one session of two arms over the same seeds (options.js: runOf): seed k's body
// fine-tuned beside the same network from scratch, with seed k's head and batches.
//
// Everything that touches the target session goes through one queue, one operation at a time, so
// a click between two chunks of training (freezing a layer) lands between them. Answers for a
// session that has been replaced are dropped (session-driver.js holds the target session and
// keeps the tickets). `onUpdate(view)` gets what a frame shows, `onBackend(backend)` where
// training runs, `onError(error)` the engine's refusals.
import { SessionDriver, emptyCurves, trainInChunks } from '../../session-driver.js';
import { Tickets } from '../../tickets.js';
import { median } from '../../experiment/index.js';
import { FINE_TUNE, SCRATCH, armRuns, bestCandidate } from './options.js';
import { appendTimeline, phaseStarts, setFrozen, timelineAt, timelineSteps, truncateTimeline } from './timeline.js';

/** Steps per request while fine-tuning: small, so the diagram moves as the rates change. */
export const CHUNK = 8;
/**
 * Steps per request while pretraining: the loss chart still moves about ten times a second, with a
 * third of the requests that 32 took (five bodies ready in 1.2-1.5 s against 1.3-1.9 s).
 */
export const PRETRAIN_CHUNK = 100;
export class Lab {
  constructor(engine, { onUpdate, onBackend, onError }) {
    Object.assign(this, { engine, onUpdate });
    // The target session is the driver's; pretraining borrows one, under tickets of its own.
    this.driver = new SessionDriver(engine, { onBackend, onError, onChange: () => this.emit() });
    this.pretrainTickets = new Tickets();
    this.compareTickets = new Tickets();
    this.pretraining = null; // { steps, total, losses, report, reports, done }
  }

  /** The target session (see `open`), or null. */
  get target() {
    return this.driver.session;
  }

  get playing() {
    return this.driver.playing;
  }

  /**
   * Pretrains on a new session of `options` (one run per seed) for `steps` steps, showing the
   * median of the runs' losses as they come; resolves to each run's first `bodyLength` parameters
   * (its body), or null when a newer pretraining took over or the engine refused (then `onError`).
   * The pretraining's `report` holds the runs' median validation loss and accuracy, `reports` each
   * run's. `chunk`: steps per request (fewer requests where nobody watches the losses come).
   */
  async pretrain(options, steps, bodyLength, { chunk = PRETRAIN_CHUNK } = {}) {
    const current = this.pretrainTickets.issue();
    const p = { steps: 0, total: steps, losses: [], report: null, reports: null, done: false };
    this.pretraining = p;
    this.emit();
    return this.driver.borrow(options, current, 'pretrain', async ({ id, runs }) => {
      const trained = await trainInChunks(this.engine, id, {
        steps,
        chunk,
        current,
        onChunk: (curves, done) => {
          for (let t = 0; t < curves[0].length; t++) p.losses.push(median(curves.map((curve) => curve[t])));
          p.steps = done;
          this.emit();
        },
      });
      if (!trained) return null;
      const [reports, params] = await Promise.all([this.engine.session.evaluate(id), Promise.all(Array.from({ length: runs }, (_, r) => this.engine.session.params(id, r)))]);
      if (!current()) return null;
      const report = { validation_loss: median(reports.map((r) => r.validation_loss)), validation_accuracy: median(reports.map((r) => r.validation_accuracy)) };
      Object.assign(p, { report, reports, done: true });
      this.emit();
      return params.map((run) => run.slice(0, bodyLength));
    });
  }

  /**
   * A new target session of `options` (targetOptions: the two arms over the seeds; their
   * `init_params` say where each run starts), replacing the one there is. `timeline`: the
   * fine-tuning arm's rates as far as they are known; `plan`: planGroups' answer when that arm
   * follows one (its phases come back after a click, below); `budget`: the steps Play trains
   * to; `record`: a mark's record, to carry on from (a stage redone, or the same runs on other
   * data). Resolves to whether the session is there (false: superseded, or refused: `onError`).
   * `frozen`: the fine-tuning runs' frozen groups as `options` start them.
   */
  async open(options, { timeline, frozen, plan = null, budget = Infinity, record = null }) {
    this.driver.playing = false;
    const kept = record ? copyRecord(record) : null;
    const s = await this.driver.hold(options, ({ id, runs, backend }) => ({
      id,
      runs,
      backend,
      steps: kept?.steps ?? 0,
      budget,
      losses: kept?.losses ?? emptyCurves(runs),
      // Evaluations: { step, report } after every chunk (and at step 0).
      evaluations: kept?.evaluations ?? [],
      // The first seed's fine-tuning run's layer statistics after every chunk: { step, stats }.
      history: kept?.history ?? [],
      stats: null,
      report: null,
      timeline: kept?.timeline ?? timeline,
      // The fine-tuning runs' frozen groups for their next step.
      frozen: frozen.slice(),
      phases: plan?.phases ?? null,
      starts: plan ? phaseStarts(plan.phases) : null,
      // A click replaced the plan's remaining phases: put the next one back at its start.
      replaced: false,
      busy: false,
      tail: Promise.resolve(),
      // The from-scratch arm's own best rate, once tuned (tuneScratch).
      scratchTuning: null,
    }));
    if (!s) return false;
    await this.queued(s, () => this.refresh(s));
    return this.driver.holds(s);
  }

  /** Trains the target session to its budget, chunk by chunk, until paused. */
  play() {
    this.driver.playing = true;
    this.emit();
    const s = this.target;
    if (s) this.drive(s);
  }

  pause() {
    this.driver.playing = false;
    this.emit();
  }

  /** One chunk. */
  step() {
    const s = this.target;
    if (s && !this.finished(s)) this.queued(s, () => this.chunk(s, this.chunkSize(s, CHUNK)));
  }

  finished(s) {
    return s.steps >= s.budget || (s.report?.every((run) => run.state !== 'training') ?? false);
  }

  /** Trains `steps` more steps (the recipe's stages); resolves to whether they all ran. */
  train(steps) {
    const s = this.target;
    if (!s) return Promise.resolve(false);
    return this.queued(s, async () => {
      let left = steps;
      while (left > 0 && this.driver.holds(s)) {
        const n = this.chunkSize(s, Math.min(CHUNK, left));
        await this.chunk(s, n);
        left -= n;
      }
      return left <= 0 && this.driver.holds(s);
    });
  }

  /**
   * `updates[arm]` (FINE_TUNE, SCRATCH): Session.updateRun's `{schedule?, group_lr_mult?, frozen?}`
   * for every run of the arm (null: unchanged) from the next step; `stage`: the fine-tuning arm's
   * rates for the steps the caller will train next, appended to the timeline.
   */
  update(updates, stage = null) {
    const s = this.target;
    if (!s) return Promise.resolve(false);
    return this.queued(s, async () => {
      for (const [arm, update] of updates.entries()) if (update) await this.updateArm(s, arm, update);
      if (!this.driver.holds(s)) return false;
      if (updates[FINE_TUNE]?.frozen) s.frozen = updates[FINE_TUNE].frozen.slice();
      if (stage) appendTimeline(truncateTimeline(s.timeline, s.steps), stage);
      await this.refresh(s);
      return this.driver.holds(s);
    });
  }

  /**
   * Freezes or unfreezes `group` of the fine-tuning runs from the next step, until the plan's next
   * phase (which the engine would otherwise drop with the rest of the plan: put back then).
   */
  toggleFrozen(group) {
    const s = this.target;
    if (!s) return Promise.resolve();
    return this.queued(s, async () => {
      const frozen = s.frozen.slice();
      frozen[group] = !frozen[group];
      await this.updateArm(s, FINE_TUNE, { frozen });
      if (!this.driver.holds(s)) return;
      const next = s.starts?.find((start) => start > s.steps) ?? timelineSteps(s.timeline);
      setFrozen(s.timeline, group, s.steps, next, frozen[group]);
      s.frozen = frozen;
      if (s.phases) s.replaced = true;
      await this.refresh(s);
    });
  }

  /**
   * Tunes the from-scratch arm, so that beating it means something: one-cycle trainings of each
   * seed's starting weights at each of `candidates` for `steps` steps (LrFinder.verify; the
   * session is left as it was), then `schedule(best)` (the best median over the seeds) for every
   * run of the arm from the next step. Resolves to { lr, tried } (also kept as the session's
   * `scratchTuning`), or null.
   */
  tuneScratch(candidates, steps, schedule) {
    const s = this.target;
    if (!s) return Promise.resolve(null);
    return this.queued(s, async () => {
      const lr = await tunedRate(this.engine, s.id, armRuns(SCRATCH, s.runs), candidates, steps);
      if (!this.driver.holds(s) || lr === null) return null;
      await this.updateArm(s, SCRATCH, { schedule: schedule(lr) });
      if (!this.driver.holds(s)) return null;
      s.scratchTuning = { lr, tried: candidates.length };
      this.emit();
      return s.scratchTuning;
    });
  }

  /** LrFinder.run on the target session (every run; the engine restores them after). `onPoint(point)` per recorded batch. */
  findLr(options, onPoint = () => {}) {
    const s = this.target;
    if (!s) return Promise.resolve(null);
    return this.queued(s, async () => {
      const result = await this.engine.session.findLr(s.id, options, (point) => this.driver.holds(s) && onPoint(point), new AbortController().signal);
      if (!this.driver.holds(s)) return null;
      await this.refresh(s);
      return result;
    });
  }

  /**
   * Where the target session is: every run's parameters and a copy of the record, for `open` to
   * carry on from (their optimizer state then starts afresh, as every fastai fit does).
   */
  mark() {
    const s = this.target;
    if (!s) return Promise.resolve(null);
    return this.queued(s, async () => {
      const params = await Promise.all(Array.from({ length: s.runs }, (_, r) => this.engine.session.params(s.id, r)));
      return { params, record: copyRecord(s) };
    });
  }

  /**
   * Reads a safetensors file into every fine-tuning run, in the target session's queue (their
   * optimizer state starts afresh); rejects with the engine's refusal, which comes with the first
   * run and leaves them all as they were.
   */
  async loadWeights(bytes) {
    const s = this.target;
    let refusal = null;
    await this.queued(s, async () => {
      try {
        for (const run of armRuns(FINE_TUNE, s.runs)) await this.engine.session.importWeights(s.id, run, bytes);
      } catch (err) {
        refusal = err;
        return;
      }
      // Outside the refusal: a failure here is the session's, as for any other operation.
      await this.refresh(s);
    });
    if (refusal) throw refusal;
  }

  /** The newest evaluation of the target session (per run), or null. */
  report() {
    return this.target?.report ?? null;
  }

  /**
   * `use(created, current)` on a session of `options` of its own (the plans compared), freed
   * after; `current()` is false once a newer comparison, `stopComparing` or `destroy` took over,
   * and the answer is then null, as it is when the engine refused (then `onError`).
   */
  borrow(options, use) {
    const current = this.compareTickets.issue();
    return this.driver.borrow(options, current, 'compare', (created) => use(created, current));
  }

  /** Drops the comparison in flight (its bodies or epochs are no longer the state's). */
  stopComparing() {
    this.compareTickets.revoke();
  }

  /**
   * Drops the target session, and any that an `open` in flight would make: a new body or plan is
   * coming, and until its session opens, Fine-tune must not play one that is about to be replaced.
   */
  close() {
    this.driver.destroy();
  }

  destroy() {
    this.pretrainTickets.revoke();
    this.stopComparing();
    this.close();
  }

  // Runs `use()` after every earlier operation on `s`. A failure drops the session and is shown
  // (onError); the caller's promise then resolves to null.
  queued(s, use) {
    const result = s.tail.then(async () => {
      if (!this.driver.holds(s)) return null;
      s.busy = true;
      this.emit();
      try {
        return await use();
      } catch (err) {
        this.driver.fail(s, err);
        return null;
      } finally {
        s.busy = false;
        this.emit();
      }
    });
    s.tail = result;
    return result;
  }

  async drive(s) {
    while (this.playing && this.driver.holds(s) && !this.finished(s)) {
      await this.queued(s, () => this.chunk(s, this.chunkSize(s, CHUNK)));
    }
    if (this.driver.holds(s) && this.finished(s)) {
      this.driver.playing = false;
      this.emit();
    }
  }

  // At most `n`, and never past the plan's next phase or the budget.
  chunkSize(s, n) {
    const next = s.starts?.find((start) => start > s.steps) ?? Infinity;
    return Math.max(1, Math.min(n, next - s.steps, s.budget - s.steps));
  }

  async chunk(s, n) {
    // At a phase's start after a click, the plan's phase takes over again.
    const phase = s.starts?.indexOf(s.steps) ?? -1;
    if (s.replaced && phase > 0 && phase < s.phases.length) {
      const { schedule, group_lr_mult, frozen, reset_optimizer } = s.phases[phase];
      await this.updateArm(s, FINE_TUNE, { schedule, group_lr_mult, frozen, reset_optimizer });
      s.replaced = false;
    }
    if (!(await this.driver.step(s, n))) return;
    // A plan's groups change at its phases' starts: the timeline says how they are now.
    if (s.phases) s.frozen = timelineAt(s.timeline, s.steps)?.frozen ?? s.frozen;
    await this.refresh(s);
  }

  // Session.updateRun for every run of `arm`.
  async updateArm(s, arm, update) {
    for (const run of armRuns(arm, s.runs)) await this.engine.session.updateRun(s.id, run, update);
  }

  async refresh(s) {
    const [report, stats] = await Promise.all([this.engine.session.evaluate(s.id), this.engine.session.layerStats(s.id, FINE_TUNE)]);
    if (!this.driver.holds(s)) return;
    Object.assign(s, { report, stats });
    // One record per step: a change between steps (a click, a new stage) replaces the last.
    if (s.evaluations.at(-1)?.step === s.steps) s.evaluations.pop();
    if (s.history.at(-1)?.step === s.steps) s.history.pop();
    s.evaluations.push({ step: s.steps, report });
    s.history.push({ step: s.steps, stats });
    this.emit();
  }

  emit() {
    const { pretraining, target, playing } = this;
    this.onUpdate({ pretraining, target, playing, finished: target ? this.finished(target) : false });
  }
}

/**
 * The peak rate of a one-cycle schedule at which `runs` (seeds of one arm, trained from scratch)
 * do best: LrFinder.verify of each run's weights at every candidate for `steps` steps (the session
 * is left as it was), and the best median over the runs (bestCandidate); null if all diverge.
 */
export async function tunedRate(engine, id, runs, candidates, steps) {
  const checks = [];
  for (const run of runs) checks.push(await engine.session.verifyLr(id, { candidates, steps, schedule: 'one_cycle', run }));
  return bestCandidate(checks);
}

// A copy of a session's record (steps, losses, evaluations, layer history, timeline) that its
// further training leaves alone.
function copyRecord({ steps, losses, evaluations, history, timeline }) {
  return {
    steps,
    losses: losses.map((l) => l.slice(0, steps)),
    evaluations: evaluations.filter((e) => e.step <= steps),
    history: history.filter((e) => e.step <= steps),
    timeline: truncateTimeline(structuredClone(timeline), steps),
  };
}

/**
 * Run `run`'s validation loss at steps 0..steps-1 from the evaluations ({ step, report }, in step
 * order): each evaluation's value held until the next one, for a line over steps.
 */
export function heldValidation(evaluations, steps, run) {
  const values = new Array(steps).fill(null);
  evaluations.forEach((e, i) => {
    const end = Math.min(steps, evaluations[i + 1]?.step ?? steps);
    for (let t = e.step; t < end; t++) values[t] = e.report[run]?.validation_loss ?? null;
  });
  return values;
}
