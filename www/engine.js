// The page's handle on the engine: a module worker running the wasm, as a proxy (rpc.js) over the
// api that worker.js exposes, e.g. `engine.sample(spec, steps)`, `engine.session.step(id, n)`.
// A worker that fails is dropped: the calls waiting on it reject, and the next call starts a new
// one, so a demo can try again (the failed worker's sessions are gone with it).
import { connect, remote } from './rpc.js';

/** `onRestart()`: a new worker has replaced one that failed (after the call that started it). */
export function startEngine({ onRestart = () => {} } = {}) {
  let call = null;
  let failed = false;
  const start = () => {
    if (failed) queueMicrotask(onRestart);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    const own = connect(worker, {
      onFailure: () => {
        worker.terminate();
        failed = true;
        if (call === own) call = null;
      },
    });
    return own;
  };
  return remote((path, args) => (call ??= start())(path, args));
}
