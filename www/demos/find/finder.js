// The Find demo's range test: a session with one run per seed, the engine's LR finder on it (the
// points stream back as they are recorded), and the session freed after; then, when asked, its
// check by training (LrFinder.verify) on a session of its own. No DOM here:
// `onUpdate(view)` gets everything a frame shows, `onBackend(backend)` where the test runs, and
// `onError(error, stage)` the engine's refusals ('session', 'finder' or 'verify' options).
//
// Cancel (or a new test) drops every answer the old test still sends, and asks the engine to stop
// it; the engine hears that between blocks of steps that wait on the GPU (the CPU path runs a test
// through without a pause), and its session is freed once the worker is done with it
// (session-driver.js opens and frees it).
import { SessionDriver } from '../../session-driver.js';
import { Tickets } from '../../tickets.js';
import { combineSeeds } from './verify.js';

export class RangeTest {
  constructor(engine, { onUpdate, onBackend, onError }) {
    Object.assign(this, { engine, onUpdate, onError });
    this.driver = new SessionDriver(engine, { onBackend, onError: (err, stage) => this.fail(err, stage) });
    // Only the newest test (or check) is heard.
    this.tickets = new Tickets();
    this.stop = new AbortController();
    this.view = { running: false, progress: null, result: null };
  }

  /** Starts a test of `finder` options on a new session of `session` options, dropping any running one (or check). */
  async run(session, finder) {
    const current = this.drop();
    const { signal } = this.stop;
    this.view = { running: true, progress: { lrs: [], losses: [], smoothed: [] }, result: null, check: null };
    this.emit();
    const result = await this.driver.borrow(session, current, 'finder', ({ id }) => this.engine.session.findLr(id, finder, (point) => current() && this.record(point), signal));
    if (!result) return;
    this.view = { ...this.view, running: false, result };
    this.emit();
  }

  /**
   * Checks the finished test by training (LrFinder.verify `options`, once per seed, combined) on a
   * new session of `session` options, the same network from the same seeds; `about` (what is checked) is kept with it in
   * `view.check`: { running, about, options, result }. A new test or check drops it.
   */
  async verify(session, options, about) {
    const current = this.drop();
    this.view = { ...this.view, check: { running: true, about, options, result: null } };
    this.emit();
    // Every seed of the test checks the same rates from its own starting weights.
    const result = await this.driver.borrow(session, current, 'verify', async ({ id, runs }) => {
      const results = [];
      for (let run = 0; run < runs && current(); run += 1) results.push(await this.engine.session.verifyLr(id, { ...options, run }));
      return current() ? combineSeeds(results) : null;
    });
    if (!result) return;
    this.view = { ...this.view, check: { ...this.view.check, running: false, result } };
    this.emit();
  }

  /** Stops listening to the running test (what it recorded so far stays shown) and drops a running check. */
  cancel() {
    this.drop();
    if (this.view.check?.running) this.view = { ...this.view, check: null };
    if (this.view.running) this.view = { ...this.view, running: false, cancelled: true };
    this.emit();
  }

  destroy() {
    this.drop();
  }

  // Stops hearing (and asks the engine to stop) the test there is; returns the next test's `current()`.
  drop() {
    this.stop.abort();
    this.stop = new AbortController();
    return this.tickets.issue();
  }

  // One batch of one run: its rate (the same for every run at batch i), raw and smoothed loss.
  record({ run, i, lr, loss, smoothed }) {
    const progress = this.view.progress;
    progress.lrs[i] = lr;
    (progress.losses[run] ??= [])[i] = loss;
    (progress.smoothed[run] ??= [])[i] = smoothed;
    this.emit();
  }

  fail(err, stage) {
    this.view = { ...this.view, running: false, check: this.view.check && { ...this.view.check, running: false } };
    this.emit();
    this.onError(err, stage);
  }

  emit() {
    this.onUpdate(this.view);
  }
}
