// Benchmark section: TensorFlow.js 4.22's wasm backend (SIMD; threads need cross-origin isolation,
// which a plain static page does not have) against the engine's CPU path, on the reference network
// (2-16-16-2, softmax cross-entropy, SGD momentum 0.9, batch 32, 512-point spiral), both on this
// page's main thread, alternated, medians of run-steps/s:
//   R = 1: one tf.variable per weight and bias, `optimizer.minimize` each step — what a tfjs user writes;
//   R = 64: the 64 models as one batched matMul ([64, 32, in] × [64, in, out]) and one minimize —
//           the fastest way tfjs can train many small models at once.
// Batches are drawn with tf.gather from the whole set (indices from a seeded per-epoch shuffle).
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone has no gradients registered (the tfjs bundle does this): training needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { Session } from '../../pkg/lr_playground.js';
import { EpochOrder, rng } from './js-baseline.js';
import { median, pause, round, timeMs } from './stats.js';

const LAYERS = [2, 16, 16, 2];

/** Starts the wasm backend once (its .wasm files come from this page's own build). */
let ready;
function tfjsWasm() {
  ready ??= (async () => {
    setWasmPaths({
      'tfjs-backend-wasm.wasm': plainWasm,
      'tfjs-backend-wasm-simd.wasm': simdWasm,
      'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
    });
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend did not start');
    await tf.ready();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return `${tf.getBackend()}${simd ? ' + SIMD' : ''}${threads ? ' + threads' : ''}`;
  })();
  return ready;
}

/** R models' weights as variables shaped [R, in, out] / [R, 1, out], PyTorch's default init. */
function batchedParameters(runs, seed) {
  const random = rng(seed);
  const params = [];
  for (let l = 0; l + 1 < LAYERS.length; l++) {
    const [fanIn, fanOut] = [LAYERS[l], LAYERS[l + 1]];
    const bound = 1 / Math.sqrt(fanIn);
    const draw = (n) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * bound);
    params.push({
      w: tf.variable(tf.tensor3d(draw(runs * fanIn * fanOut), [runs, fanIn, fanOut])),
      b: tf.variable(tf.tensor3d(draw(runs * fanOut), [runs, 1, fanOut])),
    });
  }
  return params;
}

/** Every run's next batch indices, from its own per-epoch shuffle: `[runs * batch]`. */
function batchSampler(runs, rows, batch, seed) {
  const orders = Array.from({ length: runs }, (_, r) => new EpochOrder(rows, rng(seed + r)));
  return () => {
    const out = new Int32Array(runs * batch);
    orders.forEach((order, r) => out.set(order.next(batch), r * batch));
    return out;
  };
}

/** Run-steps/s of tfjs training R models for `steps` steps after `warmup`. */
async function tfjsRunStepsPerSecond({ runs, activation, data, lr, momentum, batch, steps, warmup, seed }) {
  const x = tf.tensor2d(data.x, [data.rows, 2]);
  const y = tf.oneHot(tf.tensor1d(data.y, 'int32'), 2);
  const params = batchedParameters(runs, seed);
  const optimizer = tf.train.momentum(lr, momentum);
  const nextBatch = batchSampler(runs, data.rows, batch, seed);
  const act = activation === 'relu' ? tf.relu : tf.tanh;
  const step = () => {
    const idx = tf.tensor1d(nextBatch(), 'int32');
    const cost = optimizer.minimize(() => {
      let h = tf.reshape(tf.gather(x, idx), [runs, batch, 2]);
      params.forEach(({ w, b }, l) => {
        h = tf.add(tf.matMul(h, w), b);
        if (l + 1 < params.length) h = act(h);
      });
      const labels = tf.reshape(tf.gather(y, idx), [runs, batch, 2]);
      // Each model's own mean over its batch, summed over models: the same gradients as R separate runs.
      return tf.mul(tf.losses.softmaxCrossEntropy(labels, h, undefined, 0, tf.Reduction.MEAN), runs);
    }, true);
    idx.dispose();
    return cost;
  };
  try {
    for (let i = 0; i < warmup; i++) step().dispose();
    let last;
    const ms = await timeMs(async () => {
      for (let i = 1; i < steps; i++) step().dispose();
      const cost = step();
      last = (await cost.data())[0];
      cost.dispose();
    });
    if (!Number.isFinite(last)) throw new Error(`tfjs ${activation} R=${runs}: loss ${last}`);
    return ((runs * steps) / ms) * 1000;
  } finally {
    optimizer.dispose();
    params.forEach(({ w, b }) => tf.dispose([w, b]));
    tf.dispose([x, y]);
  }
}

/** Run-steps/s of the engine's CPU path at R runs (same network, data and optimizer). */
async function engineRunStepsPerSecond({ runs, activation, lr, momentum, batch, points, noise, steps, warmup, seed }) {
  const session = await Session.create({
    backend: 'cpu',
    layers: LAYERS,
    activation,
    loss: 'cross_entropy',
    optimizer: { kind: 'sgd', momentum },
    data: { kind: 'spiral', n: points, noise, validation_fraction: 0, seed: 1 },
    batch_size: batch,
    shuffle: true,
    runs: Array.from({ length: runs }, (_, i) => ({ seed: seed + i, schedule: { kind: 'Constant', lr } })),
  });
  try {
    await session.step(warmup);
    const ms = await timeMs(() => session.step(steps));
    return ((runs * steps) / ms) * 1000;
  } finally {
    session.destroy();
  }
}

/**
 * `{ backend, relu: {R1, R64}, tanh: {R1, R64} }`, each `{ engine, tfjs, engine_over_tfjs }` in
 * run-steps/s: medians over `reps` repetitions, engine and tfjs alternated (order swapped each time).
 */
export async function tfjsVsEngine({ reps, data, lr, momentum, batch, points, noise, status }) {
  const backend = await tfjsWasm();
  const out = {
    what: 'TensorFlow.js 4.22 wasm backend vs the CPU path in wasm, run-steps/s on this page\'s main thread; R = 64 in tfjs is one batched matMul per layer',
    tfjs_backend: backend,
    targets: 'R1 engine/tfjs >= 50; R64 engine/tfjs >= 10',
    reps,
  };
  // Fewer tfjs steps: it is slow, and a longer run would not change its rate.
  const sizes = { R1: { runs: 1, engine: 2000, tfjs: 300 }, R64: { runs: 64, engine: 200, tfjs: 20 } };
  for (const activation of ['relu', 'tanh']) {
    out[activation] = {};
    for (const [name, size] of Object.entries(sizes)) {
      const engine = [];
      const tfjs = [];
      for (let rep = 0; rep < reps; rep++) {
        status(`TensorFlow.js vs CPU path, ${activation}, ${name}, repetition ${rep + 1}/${reps}`);
        const order = rep % 2 === 0 ? ['engine', 'tfjs'] : ['tfjs', 'engine'];
        for (const which of order) {
          await pause();
          const common = { runs: size.runs, activation, lr, momentum, batch, seed: rep + 1 };
          if (which === 'engine') {
            engine.push(await engineRunStepsPerSecond({ ...common, points, noise, steps: size.engine, warmup: 50 }));
          } else {
            tfjs.push(await tfjsRunStepsPerSecond({ ...common, data, steps: size.tfjs, warmup: 10 }));
          }
        }
      }
      out[activation][name] = {
        engine_run_steps_per_s: round(median(engine)),
        tfjs_run_steps_per_s: round(median(tfjs)),
        engine_over_tfjs: round(median(engine) / median(tfjs), 3),
      };
    }
  }
  return out;
}
