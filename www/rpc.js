// A small promise-based RPC over postMessage, for the page <-> engine worker boundary.
// Typed arrays in results are transferred, not copied; an error thrown by a handler comes back
// as a rejected promise with the same message (Error objects do not survive structured cloning).

/** Answers calls arriving on `port` (a worker's global scope or a MessagePort) with `handlers`. */
export function serve(port, handlers) {
  port.addEventListener('message', async ({ data: { id, method, args } }) => {
    try {
      if (!Object.hasOwn(handlers, method)) throw new Error(`rpc: unknown method ${method}`);
      const result = await handlers[method](...args);
      port.postMessage({ id, result }, transferables(result));
    } catch (err) {
      port.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  port.start?.();
}

/** Returns `call(method, ...args) -> Promise` for the handlers served at the other end of `port`. */
export function connect(port) {
  const pending = new Map();
  let nextId = 0;
  port.addEventListener('message', ({ data: { id, result, error } }) => {
    const call = pending.get(id);
    if (!call) return;
    pending.delete(id);
    if (error === undefined) call.resolve(result);
    else call.reject(new Error(error));
  });
  // A worker that fails to load (or crashes) would otherwise leave every call hanging.
  port.addEventListener('error', (event) => {
    event.preventDefault?.();
    const err = new Error(`engine worker failed: ${event.message || 'could not load'}`);
    for (const call of pending.values()) call.reject(err);
    pending.clear();
  });
  port.start?.();
  return (method, ...args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      port.postMessage({ id, method, args });
    });
}

// The buffers behind every typed array in a result (each once: transferring twice throws).
function transferables(value, found = new Set()) {
  if (ArrayBuffer.isView(value)) found.add(value.buffer);
  else if (value instanceof ArrayBuffer) found.add(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) transferables(v, found);
  return [...found];
}
