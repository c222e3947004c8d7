// What the demos that train (Train, Layers, Find) share in driving engine sessions from the page,
// with no DOM: a ticket per request, so that the answers of a superseded one are dropped; a
// session opened for a request and freed when nobody wants it any more; one held session that a
// failure drops; and each chunk of training added to the runs' loss curves.
//
// The callbacks are the same for every demo: `onBackend(backend, { moved })` where a session
// trains (`moved`: it changed while training, e.g. to the CPU path after the GPU was lost);
// `onError(error, stage)` the engine's refusal or failure, `stage` 'session' when the session
// could not be made, 'training' when the held session failed, else what the caller named;
// `onChange()` once the held session is dropped.
import { freeSession, openSession } from './sessions.js';
import { Tickets } from './tickets.js';

/** One empty loss curve per run, for a held session's `losses`. */
export function emptyCurves(runs) {
  return Array.from({ length: runs }, () => []);
}

/** Each run's losses from a `step` answer, which is step-major: step t's loss for run r is at t * runs + r. */
export function lossesByRun(losses, runs) {
  const steps = runs > 0 ? Math.floor(losses.length / runs) : 0;
  return Array.from({ length: runs }, (_, r) => Array.from({ length: steps }, (_, t) => losses[t * runs + r]));
}

/**
 * Trains the session `id` for `steps` steps, in requests of at most `chunk`, while `current()`
 * holds: `onChunk(curves, done)` after each, `curves[r]` run r's losses of that request. Resolves
 * to whether every step ran (false: superseded, the rest not asked for).
 */
export async function trainInChunks(engine, id, { steps, chunk, current = () => true, onChunk }) {
  for (let done = 0; done < steps; ) {
    if (!current()) return false;
    const n = Math.min(chunk, steps - done);
    const { losses, runs } = await engine.session.step(id, n);
    if (!current()) return false;
    done += n;
    onChunk(lossesByRun(losses, runs), done);
  }
  return true;
}

export class SessionDriver {
  constructor(engine, { onBackend, onError, onChange = () => {} }) {
    Object.assign(this, { engine, onBackend, onError, onChange });
    /** The session held: the record `hold` made of Session.create's answer ({ id, runs, backend, steps, losses, ... }), or null. */
    this.session = null;
    /** Whether the owner trains the held session on and on; a failure stops it. */
    this.playing = false;
    this.tickets = new Tickets();
  }

  /**
   * Session.create's answer for `options`, told to onBackend, while `current()` holds; else null:
   * superseded (the session is freed) or refused (`onError(error, 'session')` if still current).
   */
  async open(options, current) {
    let created;
    try {
      created = await openSession(this.engine, options, current);
    } catch (err) {
      if (current()) this.onError(err, 'session');
      return null;
    }
    if (created) this.onBackend(created.backend, { moved: false });
    return created;
  }

  /**
   * `use(created)` on a new session of `options`, freed after: its answer while `current()` holds,
   * else null (superseded, or failed: `onError(error, stage)` if still current).
   */
  async borrow(options, current, stage, use) {
    const created = await this.open(options, current);
    if (!created) return null;
    try {
      const answer = await use(created);
      return current() ? answer : null;
    } catch (err) {
      if (current()) this.onError(err, stage);
      return null;
    } finally {
      freeSession(this.engine, created.id);
    }
  }

  /**
   * Drops the held session and holds `make(created)` for a new one of `options` instead; resolves
   * to that record, or null when a newer `hold` (or `destroy`) took over or the engine refused.
   */
  async hold(options, make) {
    this.release();
    const created = await this.open(options, this.tickets.issue());
    if (!created) return null;
    this.session = make(created);
    return this.session;
  }

  /** Whether `s` is the held session: answers for any other are dropped. */
  holds(s) {
    return s !== null && s === this.session;
  }

  /**
   * A failure on the held session `s` stops training and drops it (its state is unknown, and the
   * worker may be gone with it), then is shown; on a session no longer held, it is moot.
   */
  fail(s, err) {
    if (!this.holds(s)) return;
    this.playing = false;
    this.release();
    this.onError(err, 'training');
  }

  /** Drops the held session; the worker frees it once its calls in flight are done. */
  release() {
    const s = this.session;
    this.session = null;
    if (s) freeSession(this.engine, s.id);
    this.onChange();
  }

  /**
   * No request in flight is heard any more, no session is held and nothing plays. A later `hold`
   * works as before.
   */
  destroy() {
    this.playing = false;
    this.tickets.revoke();
    this.release();
  }

  /**
   * Trains the held session `s` for `n` steps: each run's losses go onto its curve
   * (`s.losses[run]`), `s.steps` and `s.backend` follow, and a change of backend is told to
   * onBackend. Resolves to whether `s` is still held (if not, the answer is dropped).
   */
  async step(s, n) {
    const { losses, runs, backend } = await this.engine.session.step(s.id, n);
    if (!this.holds(s)) return false;
    lossesByRun(losses, runs).forEach((curve, r) => {
      for (const loss of curve) s.losses[r].push(loss);
    });
    s.steps += n;
    if (backend.backend !== s.backend.backend) this.onBackend(backend, { moved: true });
    s.backend = backend;
    return true;
  }
}
