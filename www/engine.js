// The page's handle on the engine: one module worker running the wasm, reached through rpc.js.
import { connect } from './rpc.js';

export function startEngine() {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const call = connect(worker);
  return {
    /** Schedule.kinds(): every kind with its field metadata. */
    kinds: () => call('kinds'),
    /** Session.optionFields(): the fields of every Session option, by part (session, optimizers, data, run). */
    optionFields: () => call('optionFields'),
    /** detectBackend(): { backend: 'webgpu' | 'cpu', adapter, reason }. */
    backend: () => call('backend'),
    /** Resolves when `spec` builds a Schedule; rejects with the engine's message naming the field. */
    validate: (spec) => call('validate', spec),
    /** { lr: Float64Array, momentum: Float64Array | null, totalSteps } for steps 0..min(steps, totalSteps + 1) - 1. */
    sample: (spec, steps) => call('sample', spec, steps),

    // Training sessions (see README, "Training from JavaScript"), by id; calls on one session run in order.
    /**
     * Session.create(options): { id, backend, runs, points: the training rows { x, y, features } };
     * rejects with the engine's message naming the field.
     */
    createSession: (options) => call('createSession', options),
    /** { losses: Float32Array(n × runs), runs, backend }, losses[step * runs + run]. */
    step: (id, n) => call('step', id, n),
    /** Per run: { state, diverged_at, train_loss, train_accuracy, validation_loss, validation_accuracy }. */
    evaluate: (id) => call('evaluate', id),
    /** { values: Float32Array(n × n × outputs), n, outputs, lo, hi }, rows from y = lo. */
    predictGrid: (id, run, n) => call('predictGrid', id, run, n),
    /** Per layer: { layer, group, lr, weight_norm, grad_norm, update_ratio }. */
    layerStats: (id, run) => call('layerStats', id, run),
    /** Destroys the GPU device: the next step falls back to the CPU path (backend.fallback says why). */
    loseDevice: (id) => call('loseDevice', id),
    destroySession: (id) => call('destroySession', id),
  };
}
