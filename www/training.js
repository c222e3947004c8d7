// Training sessions for the engine worker. The page holds session ids; the worker holds the wasm
// Session objects. Calls on one session run one at a time, in the order they arrive: a Session
// refuses to be read while its step() is in flight, and the page should not have to care.

/** RPC handlers over `Session` (the wasm class); `ready` resolves once the wasm is loaded. */
export function trainingHandlers(Session, ready) {
  const sessions = new Map();
  let nextId = 1;

  // Runs `use(session)` once every earlier call on that session has settled.
  function queued(id, use) {
    const entry = sessions.get(id);
    if (!entry) return Promise.reject(new Error(`session ${id}: no such session (destroyed?)`));
    const result = entry.tail.then(() => use(entry.session));
    entry.tail = result.catch(() => {});
    return result;
  }

  return {
    /** Resolves to { id, backend, runs, points }; rejects with the engine's message naming the field. */
    async createSession(options) {
      await ready;
      const session = await Session.create(options);
      const id = nextId++;
      sessions.set(id, { session, tail: Promise.resolve() });
      return { id, backend: session.backend, runs: session.runs, points: session.trainingData() };
    },
    step: (id, n) => queued(id, (session) => session.step(n)),
    evaluate: (id) => queued(id, (session) => session.evaluate()),
    predictGrid: (id, run, n) => queued(id, (session) => session.predictGrid(run, n)),
    layerStats: (id, run) => queued(id, (session) => session.layerStats(run)),
    loseDevice: (id) => queued(id, (session) => session.loseDevice()),
    /** Frees the session after the calls already queued on it; later calls reject. */
    destroySession(id) {
      const done = queued(id, (session) => session.destroy());
      sessions.delete(id);
      return done;
    },
  };
}
