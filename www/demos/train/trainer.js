// The Train demo's training loop: one engine session at a time, stepped in small chunks so the
// worker answers between them and the page draws as results arrive. No DOM here: `onUpdate(view)`
// gets everything a frame shows, `onBackend(backend, { moved })` where training runs, and
// `onError(error)` the engine's refusals (its Errors, `field` naming the option at fault); the
// session itself (tickets, open and free, failure, losses per run) is session-driver.js's.
import { SessionDriver, emptyCurves } from '../../session-driver.js';
import { FASTEST, chunkSteps, waitMs } from './pace.js';
import { blowUpStep } from './run-states.js';
import { needsSetView } from './set-view.js';

/** Steps per request: small, so a slow GPU (SwiftShader) still shows progress often. */
export const CHUNK = 16;
/** Heatmap cells per side. */
const GRID = 48;

export class Trainer {
  constructor(engine, { onUpdate, onBackend, onError }) {
    Object.assign(this, { engine, onUpdate, onError });
    this.driver = new SessionDriver(engine, { onBackend, onError, onChange: () => this.emit() });
    this.budget = 0;
    this.selected = 0;
    this.speed = FASTEST;
    this.paced = { since: 0, steps: 0 };
  }

  /**
   * The session trained: { id, runs, backend, points, steps, losses, report, evaluations (each
   * { step, report }), blownUp (per run, the step its loss blew up at, or null), grid or set, stats, busy,
   * deviceLost }, or null.
   */
  get session() {
    return this.driver.session;
  }

  get playing() {
    return this.driver.playing;
  }

  /**
   * A new session for `options`, freeing the old one; training goes on if it was playing.
   * `budget`: steps to train; `selected`: the run whose heatmap and layer statistics are shown.
   */
  async rebuild(options, { budget, selected }) {
    Object.assign(this, { budget, selected });
    const s = await this.driver.hold(options, ({ id, runs, backend, points }) => ({
      id,
      runs,
      backend,
      points,
      steps: 0,
      losses: emptyCurves(runs),
      report: null,
      evaluations: [],
      blownUp: Array(runs).fill(null),
      grid: null,
      set: null,
      stats: null,
      busy: false,
      deviceLost: false,
    }));
    if (!s) return;
    await this.refresh(s).catch((err) => this.driver.fail(s, err));
    if (this.playing) this.drive(s);
  }

  play() {
    this.driver.playing = true;
    this.repace();
    if (this.session) this.drive(this.session);
    this.emit();
  }

  pause() {
    this.driver.playing = false;
    this.emit();
  }

  /** One chunk (and on, if Start is pressed meanwhile). */
  step() {
    if (this.session) this.drive(this.session);
  }

  /** Training stops after `budget` steps; a larger budget lets it go on. */
  setBudget(budget) {
    this.budget = budget;
    this.emit();
  }

  /** Steps per second (pace.js; FASTEST: as fast as the engine goes), from the next chunk on. */
  setSpeed(speed) {
    this.speed = speed;
    this.repace();
  }

  /**
   * Session runs `runs` follow `schedule` from the next step on (a new phase: the schedule counts
   * from 0 there, the weights and optimizer state go on). Resolves once the engine took it; a
   * refusal goes to onError.
   */
  async updateSchedule(runs, schedule) {
    const s = this.session;
    if (!s) return;
    try {
      for (const run of runs) await this.engine.session.updateRun(s.id, run, { schedule });
    } catch (err) {
      if (this.driver.holds(s)) this.onError(err);
    }
  }

  /** The run whose heatmap and layer statistics are shown. */
  select(run) {
    this.selected = run;
    const s = this.session;
    if (s) this.refresh(s).catch((err) => this.driver.fail(s, err));
  }

  /** Destroys the GPU device under the session: the next chunk trains on the CPU path. */
  loseDevice() {
    const s = this.session;
    s.deviceLost = true;
    this.emit();
    this.engine.session.loseDevice(s.id).catch((err) => this.driver.fail(s, err));
  }

  destroy() {
    this.driver.destroy();
  }

  finished(s) {
    return s.steps >= this.budget || Boolean(s.report?.every((run) => run.state !== 'training'));
  }

  // Steps chunks while playing (at least one); one such loop per session at a time.
  async drive(s) {
    if (s.busy || this.finished(s)) return;
    s.busy = true;
    this.emit();
    try {
      do await this.chunk(s);
      while (this.playing && this.driver.holds(s) && !this.finished(s));
      if (this.driver.holds(s) && this.finished(s)) this.driver.playing = false;
    } catch (err) {
      this.driver.fail(s, err);
    } finally {
      s.busy = false;
      this.emit();
    }
  }

  async chunk(s) {
    const n = Math.min(chunkSteps(this.speed, CHUNK), this.budget - s.steps);
    const from = s.steps;
    if (!(await this.driver.step(s, n))) return;
    await this.stopBlownUp(s, from);
    await this.refresh(s);
    this.paced.steps += n;
    const wait = waitMs(this.speed, this.paced.steps, performance.now() - this.paced.since);
    if (wait > 0 && this.playing) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  // The pace counts from now: a pause or a new speed does not make training rush to catch up.
  repace() {
    this.paced = { since: performance.now(), steps: 0 };
  }

  // Runs whose loss blew up in the last chunk are diverged: the engine stops them.
  async stopBlownUp(s, from) {
    for (let r = 0; r < s.runs; r++) {
      if (s.blownUp[r] !== null || s.report?.[r]?.state !== 'training') continue;
      const at = blowUpStep(s.losses[r], from + 1);
      if (at === null) continue;
      s.blownUp[r] = at;
      await this.engine.session.stopRun(s.id, r);
    }
  }

  // The evaluation, and the selected run's heatmap grid (or, past two inputs, its predictions on
  // the validation set: set-view.js) and layer statistics.
  async refresh(s) {
    const run = this.selected;
    const setView = needsSetView(s.points.features);
    const [report, view, stats] = await Promise.all([
      this.engine.session.evaluate(s.id),
      setView ? this.engine.session.predictSet(s.id, run, { set: 'validation' }) : this.engine.session.predictGrid(s.id, run, GRID),
      this.engine.session.layerStats(s.id, run),
    ]);
    if (!this.driver.holds(s) || run !== this.selected) return;
    if (s.evaluations.at(-1)?.step !== s.steps) s.evaluations.push({ step: s.steps, report });
    Object.assign(s, { report, stats, [setView ? 'set' : 'grid']: view });
    this.emit();
  }

  emit() {
    const { session, playing, budget, selected } = this;
    this.onUpdate({ session, playing, budget, selected, finished: session ? this.finished(session) : false });
  }
}
