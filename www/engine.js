// The page's handle on the engine: a module worker running the wasm, as a proxy (rpc.js) over the
// api that worker/engine-worker.js exposes, e.g. `engine.sample(spec, steps)`, `engine.session.step(id, n)`.
//
// Supervision: a worker that fails is dropped and the calls waiting on it reject. A worker fails
// when it throws outside any call, when its wasm traps (worker/trap-guard.js rethrows a RuntimeError so), or
// when it stops without a word (closed, or killed by the browser). For that last one the worker
// gives two signals (worker/liveness.js): a Web Lock it holds while it lives, whose request here is
// granted once it is gone, and a heartbeat, watched where the browser grants no lock (older
// browsers, embeds with blocked storage). A worker that had started is replaced at once and
// `onRestart(error)` is told, so the page can rebuild the demo from its link; one that never started
// (its script failed to load) is retried by the next call, which is also what happens after more
// than MAX_RESTARTS quick crashes (no crash loop).
import { compileEngineModule } from './engine-module.js';
import { connect, remote } from './rpc.js';
import { spawnModuleWorker } from './spawn-worker.js';
// The built worker's URL, relative to this module: the page and the <lr-playground> element (which
// may be served from another origin) find it next to the code that starts it.
import workerUrl from './worker/engine-worker.js?worker&url';

const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;
// The worker beats every second, but not while a long synchronous call holds its thread: only a
// silence far longer than any call counts as an end.
const SILENCE_MS = 15_000;

/**
 * `onRestart(error)`: a new worker has replaced one that failed (its sessions are gone).
 * `engineModule`: a promise of the compiled wasm (engine-module.js; null: each worker fetches it),
 * started here, before the first call spawns the worker, and handed to every worker.
 */
export function startEngine({ onRestart = () => {}, engineModule = compileEngineModule() } = {}) {
  let call = null;
  let failedBefore = false;
  const crashes = [];

  const start = () => {
    if (failedBefore) queueMicrotask(() => onRestart(null));
    failedBefore = false;
    const worker = spawnModuleWorker(new URL(workerUrl, import.meta.url));
    // The worker waits for this one message before it loads the engine (worker/wasm-support.js).
    engineModule.then((module) => {
      try {
        worker.postMessage({ engineModule: module });
      } catch {
        // A browser that cannot send a compiled module: the worker fetches the wasm itself.
        worker.postMessage({ engineModule: null });
      }
    });
    let started = false;
    let watching = false;
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
    const stopped = () => {
      if (!dropped) worker.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'it stopped' }));
    };
    let heard = Date.now();
    const watchBeats = () => {
      const timer = setInterval(() => {
        if (dropped || Date.now() - heard > SILENCE_MS) {
          clearInterval(timer);
          stopped();
        }
      }, SILENCE_MS / 5);
    };
    // Any word from the worker is a sign of life; its first beat says it runs, and then it says
    // whether it holds a lock (free again only once it is gone).
    worker.addEventListener('message', ({ data }) => {
      heard = Date.now();
      if (data === null || typeof data !== 'object') return;
      if ('beat' in data || 'alive' in data) started = true;
      if (watching || !('alive' in data)) return;
      watching = true;
      if (typeof data.alive === 'string') watchLock(data.alive, stopped, watchBeats);
      else watchBeats();
    });
    return own;
  };
  return remote((path, args) => (call ??= start())(path, args));
}

// Asks for the worker's lock (granted once the worker is gone, then `stopped()`); where this page
// may not use locks (missing, or refused: a SecurityError thrown or as a rejection), the worker's
// heartbeat is watched instead.
function watchLock(name, stopped, watchBeats) {
  try {
    const request = navigator.locks?.request(name, stopped);
    if (request === undefined) watchBeats();
    else request.catch(watchBeats);
  } catch {
    watchBeats();
  }
}
