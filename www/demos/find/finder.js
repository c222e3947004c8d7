// The Find demo's range test: a session with one run per seed, the engine's LR finder on it (the
// points stream back as they are recorded), and the session freed after. No DOM here:
// `onUpdate(view)` gets everything a frame shows, `onBackend(backend)` where the test runs, and
// `onError(error, stage)` the engine's refusals ('session' options or 'finder' options).
//
// Cancel (or a new test) drops every answer the old test still sends, and asks the engine to stop
// it; the engine hears that between blocks of steps that wait on the GPU (the CPU path runs a test
// through without a pause), and its session is freed once the worker is done with it.

export class RangeTest {
  constructor(engine, { onUpdate, onBackend, onError }) {
    Object.assign(this, { engine, onUpdate, onBackend, onError });
    // Numbers the tests asked for, so that only the newest one is heard.
    this.ticket = 0;
    this.stop = new AbortController();
    this.view = { running: false, progress: null, result: null };
  }

  /** Starts a test of `finder` options on a new session of `session` options, dropping any running one. */
  async run(session, finder) {
    const ticket = this.drop();
    const current = () => ticket === this.ticket;
    const { signal } = this.stop;
    this.view = { running: true, progress: { lrs: [], losses: [], smoothed: [] }, result: null };
    this.emit();
    let created;
    try {
      created = await this.engine.session.create(session);
    } catch (err) {
      if (current()) this.fail(err, 'session');
      return;
    }
    if (!current()) return this.free(created.id);
    this.onBackend(created.backend);
    try {
      const result = await this.engine.session.findLr(created.id, finder, (point) => current() && this.record(point), signal);
      if (!current()) return;
      this.view = { ...this.view, running: false, result };
      this.emit();
    } catch (err) {
      if (current()) this.fail(err, 'finder');
    } finally {
      this.free(created.id);
    }
  }

  /** Stops listening to the running test; what it recorded so far stays shown. */
  cancel() {
    this.drop();
    if (!this.view.running) return;
    this.view = { ...this.view, running: false, cancelled: true };
    this.emit();
  }

  destroy() {
    this.drop();
  }

  // Stops hearing (and asks the engine to stop) the test there is; returns the next test's ticket.
  drop() {
    this.stop.abort();
    this.stop = new AbortController();
    return ++this.ticket;
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
    this.view = { ...this.view, running: false };
    this.emit();
    this.onError(err, stage);
  }

  // It fails only when the worker itself is gone, and the session with it.
  free(id) {
    this.engine.session.destroy(id).catch(() => {});
  }

  emit() {
    this.onUpdate(this.view);
  }
}
