// The Train demo's training loop: one engine session at a time, stepped in small chunks so the
// worker answers between them and the page draws as results arrive. No DOM here: `onUpdate(view)`
// gets everything a frame shows, `onBackend(backend, { moved })` where training runs, and
// `onError(error)` the engine's refusals (its Errors, `field` naming the option at fault).
import { freeSession, openSession } from '../../sessions.js';

/** Steps per request: small, so a slow GPU (SwiftShader) still shows progress often. */
export const CHUNK = 16;
/** Heatmap cells per side. */
const GRID = 48;

export class Trainer {
  constructor(engine, { onUpdate, onBackend, onError }) {
    Object.assign(this, { engine, onUpdate, onBackend, onError });
    this.session = null;
    this.playing = false;
    this.budget = 0;
    this.selected = 0;
    // Numbers the session requests, so that only the newest one is kept.
    this.creating = 0;
  }

  /**
   * A new session for `options`, freeing the old one; training goes on if it was playing.
   * `budget`: steps to train; `selected`: the run whose heatmap and layer statistics are shown.
   */
  async rebuild(options, { budget, selected }) {
    Object.assign(this, { budget, selected });
    this.release();
    const ticket = ++this.creating;
    const current = () => ticket === this.creating;
    let created;
    try {
      created = await openSession(this.engine, options, current);
    } catch (err) {
      if (current()) this.onError(err);
      return;
    }
    if (!created) return;
    const { id, runs, backend, points } = created;
    const s = { id, runs, backend, points, steps: 0, losses: Array.from({ length: runs }, () => []), report: null, grid: null, stats: null, busy: false, deviceLost: false };
    this.session = s;
    this.onBackend(backend, { moved: false });
    await this.refresh(s).catch((err) => this.fail(s, err));
    if (this.playing) this.drive(s);
  }

  play() {
    this.playing = true;
    if (this.session) this.drive(this.session);
    this.emit();
  }

  pause() {
    this.playing = false;
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

  /** The run whose heatmap and layer statistics are shown. */
  select(run) {
    this.selected = run;
    const s = this.session;
    if (s) this.refresh(s).catch((err) => this.fail(s, err));
  }

  /** Destroys the GPU device under the session: the next chunk trains on the CPU path. */
  loseDevice() {
    const s = this.session;
    s.deviceLost = true;
    this.emit();
    this.engine.session.loseDevice(s.id).catch((err) => this.fail(s, err));
  }

  destroy() {
    this.playing = false;
    this.creating += 1;
    this.release();
  }

  finished(s) {
    return s.steps >= this.budget || Boolean(s.report?.every((run) => run.state !== 'training'));
  }

  // Steps chunks while playing (at least one); one driver per session at a time.
  async drive(s) {
    if (s.busy || this.finished(s)) return;
    s.busy = true;
    this.emit();
    try {
      do await this.chunk(s);
      while (this.playing && s === this.session && !this.finished(s));
      if (s === this.session && this.finished(s)) this.playing = false;
    } catch (err) {
      this.fail(s, err);
    } finally {
      s.busy = false;
      this.emit();
    }
  }

  async chunk(s) {
    const n = Math.min(CHUNK, this.budget - s.steps);
    const { losses, runs, backend } = await this.engine.session.step(s.id, n);
    if (s !== this.session) return;
    for (let t = 0; t < n; t++) for (let r = 0; r < runs; r++) s.losses[r].push(losses[t * runs + r]);
    s.steps += n;
    if (backend.backend !== s.backend.backend) this.onBackend(backend, { moved: true });
    s.backend = backend;
    await this.refresh(s);
  }

  // The evaluation, and the selected run's heatmap grid and layer statistics.
  async refresh(s) {
    const run = this.selected;
    const [report, grid, stats] = await Promise.all([
      this.engine.session.evaluate(s.id),
      this.engine.session.predictGrid(s.id, run, GRID),
      this.engine.session.layerStats(s.id, run),
    ]);
    if (s !== this.session || run !== this.selected) return;
    Object.assign(s, { report, grid, stats });
    this.emit();
  }

  // An engine failure on the current session stops training and drops the session (its state is
  // unknown, and the worker may be gone with it), then is shown; on an old session, moot.
  fail(s, err) {
    if (s !== this.session) return;
    this.playing = false;
    this.release();
    this.onError(err);
  }

  release() {
    const s = this.session;
    this.session = null;
    if (s) freeSession(this.engine, s.id);
    this.emit();
  }

  emit() {
    const { session, playing, budget, selected } = this;
    this.onUpdate({ session, playing, budget, selected, finished: session ? this.finished(session) : false });
  }
}
