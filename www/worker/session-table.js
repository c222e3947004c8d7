// Training sessions for the engine worker. The page holds session ids; the worker holds the wasm
// Session objects (they cannot cross to the page). Calls on one session run one at a time, in the
// order they arrive: a Session refuses to be read while its step() is in flight, and the page
// should not have to care.
import { randomId } from './random-id.js';

/**
 * The `session` api over `Session` (the wasm class); `ready` resolves once the wasm is loaded.
 * `create(options)` and `destroy(id)`, and every method of a Session with the id in front:
 * `step(id, n)` is `session.step(n)` (README, "Training from JavaScript"), so none is listed here.
 * `uses`: functions that take a Session first (`LrFinder.run(session, ...)`), called the same way,
 * by id and in the session's queue: `uses.findLr(session, ...args)` is `findLr(id, ...args)`.
 */
export function sessionApi(Session, ready, uses = {}) {
  const sessions = new Map();

  // Runs `use(session)` once every earlier call on that session has settled.
  function queued(id, use) {
    const entry = sessions.get(id);
    if (!entry) return Promise.reject(new Error(`session ${id}: no such session (destroyed, or the engine restarted)`));
    const result = entry.tail.then(() => use(entry.session));
    entry.tail = result.catch(() => {});
    return result;
  }

  const api = {
    /** Resolves to { id, backend, runs, points: the training rows { x, y, features } }; rejects with the engine's Error. */
    async create(options) {
      await ready;
      const session = await Session.create(options);
      const id = randomId();
      sessions.set(id, { session, tail: Promise.resolve() });
      return { id, backend: session.backend, runs: session.runs, points: session.trainingData() };
    },
    /** Frees the session after the calls already queued on it; later calls reject. */
    destroy(id) {
      const done = queued(id, (session) => session.destroy());
      sessions.delete(id);
      return done;
    },
  };
  for (const name of methodNames(Session)) api[name] = (id, ...args) => queued(id, (session) => session[name](...args));
  for (const [name, use] of Object.entries(uses)) api[name] = (id, ...args) => queued(id, (session) => use(session, ...args));
  return api;
}

// The public methods of a wasm-bindgen class: not its getters, not wasm-bindgen's own `__` ones,
// and not `free` or `destroy`, which only the session table may call.
function methodNames(Class) {
  return Object.entries(Object.getOwnPropertyDescriptors(Class.prototype))
    .filter(([name, { value }]) => typeof value === 'function' && !['constructor', 'free', 'destroy'].includes(name) && !name.startsWith('__'))
    .map(([name]) => name);
}
