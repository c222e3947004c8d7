// The page's handle on the engine: a module worker running the wasm, as a proxy (rpc.js) over the
// api that worker/engine-worker.js exposes, e.g. `engine.sample(spec, steps)`, `engine.session.step(id, n)`.
//
// Supervision: a worker that fails is dropped and the calls waiting on it reject. A worker fails
// when it throws outside any call, when its wasm traps (worker/trap-guard.js rethrows a RuntimeError so), or
// when it stops without a word (closed, or killed by the browser): it holds a Web Lock for as long
// as it lives, and the page's request for that lock is granted only once it is gone. A worker that
// had started is replaced at once and `onRestart(error)` is told, so the page can rebuild the demo
// from its link; one that never started (its script failed to load) is retried by the next call,
// which is also what happens after more than MAX_RESTARTS quick crashes (no crash loop).
import { connect, remote } from './rpc.js';

const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** `onRestart(error)`: a new worker has replaced one that failed (its sessions are gone). */
export function startEngine({ onRestart = () => {} } = {}) {
  let call = null;
  let failedBefore = false;
  const crashes = [];

  const start = () => {
    if (failedBefore) queueMicrotask(() => onRestart(null));
    failedBefore = false;
    const worker = new Worker(new URL('./worker/engine-worker.js', import.meta.url), { type: 'module' });
    let started = false;
    let dropped = false;
    const own = connect(worker, {
      onFailure: (error) => {
        dropped = true;
        worker.terminate();
        if (call === own) call = null;
        const now = Date.now();
        while (crashes.length && now - crashes[0] > RESTART_WINDOW_MS) crashes.shift();
        if (started && crashes.push(now) <= MAX_RESTARTS) {
          call ??= start();
          queueMicrotask(() => onRestart(error));
        } else {
          failedBefore = true;
        }
      },
    });
    // The worker names its lock once it runs; the lock is free again only when it is gone.
    worker.addEventListener('message', ({ data }) => {
      if (typeof data?.alive !== 'string' || started) return;
      started = true;
      navigator.locks?.request(data.alive, () => {
        if (!dropped) worker.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'it stopped' }));
      });
    });
    return own;
  };
  return remote((path, args) => (call ??= start())(path, args));
}
