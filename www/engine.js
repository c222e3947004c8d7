// The page's handle on the engine: one module worker running the wasm, reached through rpc.js.
import { connect } from './rpc.js';

export function startEngine() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const call = connect(worker);
  return {
    /** Schedule.kinds(): every kind with its field metadata. */
    kinds: () => call('kinds'),
    /** detectBackend(): { backend: 'webgpu' | 'cpu', adapter, reason }. */
    backend: () => call('backend'),
    /** Resolves when `spec` builds a Schedule; rejects with the engine's message naming the field. */
    validate: (spec) => call('validate', spec),
    /** { lr: Float64Array, momentum: Float64Array | null, totalSteps } for steps 0..min(steps, totalSteps + 1) - 1. */
    sample: (spec, steps) => call('sample', spec, steps),
  };
}
