// A wasm trap (a Rust panic, an allocation that failed) leaves the instance in no known state:
// a borrow never released, a half-written buffer. The call that trapped rejects with the trap,
// and the worker then fails as a whole (an exception outside any call), so the page replaces it
// (www/engine.js) instead of calling into a broken instance again. The engine itself rejects what
// it still owes, and every later call, with an Error saying it is broken (src/web/broken.rs): that
// too is a trap.

const BROKEN = /^the engine instance is broken\b/;

/** Whether `err` says the instance trapped: the trap itself, or the engine's broken-instance Error. */
const isTrap = (err) => err instanceof WebAssembly.RuntimeError || BROKEN.test(err?.message ?? '');

/** `api` with every function, at any depth, guarded so; other values as they are. */
export function failOnTrap(api, fail = (err) => setTimeout(() => {
  throw new Error(`the engine crashed (${err.message})`);
})) {
  return Object.fromEntries(
    Object.entries(api).map(([key, value]) => {
      if (typeof value === 'object' && value !== null) return [key, failOnTrap(value, fail)];
      if (typeof value !== 'function') return [key, value];
      const guarded = async (...args) => {
        try {
          return await value(...args);
        } catch (err) {
          if (isTrap(err)) fail(err);
          throw err;
        }
      };
      return [key, guarded];
    }),
  );
}
