// Comlink-style RPC over postMessage, for the page <-> engine worker boundary: `expose(api, port)`
// at one end, `wrap(port)` at the other gives a proxy on which `remote.a.b(...args)` calls
// `api.a.b(...args)` and resolves to its result, so no method is written out on the page side.
// Unlike Comlink (GoogleChromeLabs/comlink#601): typed arrays in results are transferred without
// the callee marking them, a thrown Error comes back as an Error keeping its `field` (the engine
// names the option at fault there), and a worker that fails rejects the calls waiting on it.
// A function passed as a top-level argument (a progress callback) stays at the caller: the callee
// gets a stand-in that sends its arguments back, and the caller's function runs with them, until
// the call settles (messages in order: every callback arrives before the answer). An AbortSignal
// passed so is mirrored: the callee's signal aborts when the caller's does (once the callee's
// thread gets to read the message, i.e. when the call awaits something).

/** Answers calls arriving on `port` (a worker's global scope or a MessagePort) with `api`'s functions. */
export function expose(api, port) {
  // The signals of the calls in progress that were given one, by call id.
  const aborts = new Map();
  port.addEventListener('message', async ({ data: { id, path, args, callbacks = [], signals = [], abort } }) => {
    if (abort) return aborts.get(id)?.abort();
    // Not a call (the engine's module, sent to the worker once at its start): another listener's.
    if (!Array.isArray(path)) return;
    const callArgs = args.slice();
    for (const index of callbacks) callArgs[index] = (...values) => port.postMessage({ id, callback: index, values }, transferables(values));
    for (const index of signals) {
      const controller = new AbortController();
      aborts.set(id, controller);
      callArgs[index] = controller.signal;
    }
    try {
      const result = await resolve(api, path)(...callArgs);
      port.postMessage({ id, result }, transferables(result));
    } catch (err) {
      port.postMessage({ id, error: toWire(err) });
    } finally {
      aborts.delete(id);
    }
  });
  port.start?.();
}

/** A proxy for the `api` exposed at the other end of `port`; see `connect` for failures. */
export function wrap(port) {
  return remote(connect(port));
}

/**
 * `call(path, args) -> Promise` over `port`. When the port reports an error (a worker that fails
 * to load, or throws outside any call) every waiting call rejects, `onFailure(error)` is told, and
 * later calls reject at once: the other end is in no known state.
 */
export function connect(port, { onFailure = () => {} } = {}) {
  const pending = new Map();
  let nextId = 0;
  let failure = null;
  port.addEventListener('message', ({ data: { id, result, error, callback, values } }) => {
    const call = pending.get(id);
    if (!call) return;
    if (callback !== undefined) {
      call.callbacks[callback]?.(...values);
      return;
    }
    pending.delete(id);
    if (error === undefined) call.resolve(result);
    else call.reject(fromWire(error));
  });
  const fail = (event) => {
    event.preventDefault?.();
    failure = new Error(`engine worker failed: ${event.message || (event.type === 'messageerror' ? 'an answer could not be read' : 'could not load')}`);
    for (const call of pending.values()) call.reject(failure);
    pending.clear();
    onFailure(failure);
  };
  port.addEventListener('error', fail);
  port.addEventListener('messageerror', fail);
  port.start?.();
  return (path, args) =>
    new Promise((resolve, reject) => {
      if (failure) throw failure;
      const id = nextId++;
      const callbacks = Object.fromEntries(args.flatMap((arg, i) => (typeof arg === 'function' ? [[i, arg]] : [])));
      const signals = args.flatMap((arg, i) => (arg instanceof AbortSignal ? [i] : []));
      pending.set(id, { resolve, reject, callbacks });
      try {
        const stayHere = (arg) => typeof arg === 'function' || arg instanceof AbortSignal;
        port.postMessage({ id, path, args: args.map((arg) => (stayHere(arg) ? null : arg)), callbacks: Object.keys(callbacks).map(Number), signals });
        for (const index of signals) {
          const abort = () => pending.has(id) && port.postMessage({ id, abort: true });
          if (args[index].aborted) abort();
          else args[index].addEventListener('abort', abort, { once: true });
        }
      } catch (err) {
        // Arguments that cannot be cloned (a function, a wasm object): this call fails alone.
        pending.delete(id);
        throw err;
      }
    });
}

/** `proxy.a.b(...args)` -> `call(['a', 'b'], args)`. */
export function remote(call, path = []) {
  return new Proxy(() => {}, {
    // Not thenable: `await remote` must not call a remote `then`. Symbols are no method names.
    get: (_, key) => (key === 'then' || typeof key === 'symbol' ? undefined : remote(call, [...path, key])),
    apply: (_, __, args) => call(path, args),
  });
}

// The function at `path` in `api`, through own properties only: a caller cannot reach
// `toString`, `constructor` or anything else an object inherits.
function resolve(api, path) {
  let owner = null;
  let value = api;
  for (const key of path) {
    owner = value;
    value = (typeof owner === 'object' || typeof owner === 'function') && owner !== null && Object.hasOwn(owner, key) ? owner[key] : undefined;
  }
  if (typeof value !== 'function') throw new Error(`rpc: unknown method ${path.join('.')}`);
  return value.bind(owner);
}

// Error objects lose their own properties in structured cloning: send what the page reads.
function toWire(err) {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  return { name: err.name, message: err.message, ...(typeof err.field === 'string' && { field: err.field }) };
}

function fromWire({ name, message, field }) {
  const err = new Error(message);
  err.name = name;
  if (field !== undefined) err.field = field;
  return err;
}

// The buffers behind every typed array in a result (each once: transferring twice throws).
function transferables(value, found = new Set()) {
  if (ArrayBuffer.isView(value)) found.add(value.buffer);
  else if (value instanceof ArrayBuffer) found.add(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) transferables(v, found);
  return [...found];
}
