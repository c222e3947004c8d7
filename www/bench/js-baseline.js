// THE JS BASELINE of the benchmark page (see shared/TARGETS.md): a plain, hand-written Float32Array
// implementation of the reference network and its training, against which the wasm CPU path is timed.
// It is meant to be a fair, straightforward JS version, the one a careful person would write without
// tricks: MLP 2-16-16-2 (any widths work), tanh or relu between the Linear layers, softmax
// cross-entropy (mean over the batch), SGD with momentum as torch.optim.SGD does it
// (buf = momentum * buf + grad; p -= lr * buf), batches of 32 rows drawn from a per-epoch shuffle of
// every row (no validation split). Weights are PyTorch's nn.Linear default init: U(-1/sqrt(fan_in), +).
// One `step()` is one optimizer step and computes the batch loss, as Session.step does.

/** A small seeded PRNG (mulberry32): uniform floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The engine's 2-class spiral (src/data/synthetic.rs): two arms of 1.75 turns out to radius 5,
 * class 0 the class-1 arm turned by π, points jittered by up to ±noise. Same shape, own noise bits.
 */
export function spiral(n, noise, seed = 1) {
  const random = rng(seed);
  const x = new Float32Array(n * 2);
  const y = new Uint8Array(n);
  const positive = Math.ceil(n / 2);
  let row = 0;
  for (const [count, delta, label] of [[positive, 0, 1], [n - positive, Math.PI, 0]]) {
    for (let i = 0; i < count; i++, row++) {
      const along = i / count;
      const r = along * 5;
      const t = 1.75 * along * 2 * Math.PI + delta;
      x[row * 2] = r * Math.sin(t) + (random() * 2 - 1) * noise;
      x[row * 2 + 1] = r * Math.cos(t) + (random() * 2 - 1) * noise;
      y[row] = label;
    }
  }
  return { x, y, rows: n };
}

/** Batches of row indices: Fisher–Yates over every row once per epoch; full batches only (a short tail is dropped). */
export class EpochOrder {
  constructor(rows, random) {
    this.random = random;
    this.order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) this.order[i] = i;
    this.cursor = rows; // forces a shuffle on the first batch
  }

  /** The next `batch` row indices (a view, valid until the next call). */
  next(batch) {
    const { order } = this;
    if (this.cursor + batch > order.length) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      this.cursor = 0;
    }
    this.cursor += batch;
    return order.subarray(this.cursor - batch, this.cursor);
  }
}

export class JsMlp {
  /**
   * @param {{layers: number[], activation: 'tanh' | 'relu', lr: number, momentum: number,
   *          batchSize: number, data: {x: Float32Array, y: Uint8Array, rows: number}, seed: number}} o
   */
  constructor({ layers, activation, lr, momentum, batchSize, data, seed }) {
    if (activation !== 'tanh' && activation !== 'relu') throw new Error(`activation: ${activation}`);
    this.layers = layers;
    this.relu = activation === 'relu';
    this.lr = lr;
    this.momentum = momentum;
    this.batch = batchSize;
    this.data = data;
    this.random = rng(seed);

    // All parameters in one array, layer by layer: W (out × in, row-major), then b (out).
    // Gradients and momentum buffers share that layout, so the optimizer is one loop.
    this.wOffset = [];
    this.bOffset = [];
    let size = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      this.wOffset.push(size);
      size += layers[l + 1] * layers[l];
      this.bOffset.push(size);
      size += layers[l + 1];
    }
    this.params = new Float32Array(size);
    this.grads = new Float32Array(size);
    this.velocity = new Float32Array(size);
    for (let l = 0; l + 1 < layers.length; l++) {
      const bound = 1 / Math.sqrt(layers[l]);
      const end = this.bOffset[l] + layers[l + 1];
      for (let i = this.wOffset[l]; i < end; i++) this.params[i] = (this.random() * 2 - 1) * bound;
    }

    // Activations per layer (acts[0] is the input batch) and their gradients, batch × width.
    this.acts = layers.map((w) => new Float32Array(batchSize * w));
    this.deltas = layers.map((w) => new Float32Array(batchSize * w));
    this.labels = new Uint8Array(batchSize);

    this.order = new EpochOrder(data.rows, this.random);
  }

  nextBatch() {
    const { batch, data } = this;
    const rows = this.order.next(batch);
    const input = this.acts[0];
    for (let b = 0; b < batch; b++) {
      const row = rows[b];
      input[b * 2] = data.x[row * 2];
      input[b * 2 + 1] = data.x[row * 2 + 1];
      this.labels[b] = data.y[row];
    }
  }

  /** One optimizer step on the next batch; returns the batch's mean loss. */
  step() {
    this.nextBatch();
    const { layers, params, grads, acts, deltas, batch, relu } = this;
    const last = layers.length - 1;

    // Forward: acts[l+1] = act(acts[l] · Wᵀ + b); the last layer stays linear (the logits).
    for (let l = 0; l < last; l++) {
      const nIn = layers[l], nOut = layers[l + 1], w = this.wOffset[l], bo = this.bOffset[l];
      const a = acts[l], z = acts[l + 1];
      const hidden = l + 1 < last;
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < nOut; j++) {
          let s = params[bo + j];
          const row = w + j * nIn;
          for (let k = 0; k < nIn; k++) s += params[row + k] * a[b * nIn + k];
          if (hidden) s = relu ? (s > 0 ? s : 0) : Math.tanh(s);
          z[b * nOut + j] = s;
        }
      }
    }

    // Softmax cross-entropy, mean over the batch; its gradient w.r.t. the logits into deltas[last].
    const nCls = layers[last], logits = acts[last], dLogits = deltas[last];
    let loss = 0;
    for (let b = 0; b < batch; b++) {
      let max = -Infinity;
      for (let c = 0; c < nCls; c++) max = Math.max(max, logits[b * nCls + c]);
      let sum = 0;
      for (let c = 0; c < nCls; c++) sum += Math.exp(logits[b * nCls + c] - max);
      const label = this.labels[b];
      loss += Math.log(sum) + max - logits[b * nCls + label];
      for (let c = 0; c < nCls; c++) {
        const p = Math.exp(logits[b * nCls + c] - max) / sum;
        dLogits[b * nCls + c] = (p - (c === label ? 1 : 0)) / batch;
      }
    }

    // Backward: dW = deltaᵀ · a_in, db = Σ delta, delta_in = (delta · W) ⊙ act'(a_in).
    for (let l = last - 1; l >= 0; l--) {
      const nIn = layers[l], nOut = layers[l + 1], w = this.wOffset[l], bo = this.bOffset[l];
      const a = acts[l], d = deltas[l + 1];
      for (let j = 0; j < nOut; j++) {
        let gb = 0;
        const row = w + j * nIn;
        for (let k = 0; k < nIn; k++) grads[row + k] = 0;
        for (let b = 0; b < batch; b++) {
          const dj = d[b * nOut + j];
          gb += dj;
          for (let k = 0; k < nIn; k++) grads[row + k] += dj * a[b * nIn + k];
        }
        grads[bo + j] = gb;
      }
      if (l === 0) break; // no gradient needed for the inputs
      const dIn = deltas[l];
      for (let b = 0; b < batch; b++) {
        for (let k = 0; k < nIn; k++) {
          let s = 0;
          for (let j = 0; j < nOut; j++) s += d[b * nOut + j] * params[w + j * nIn + k];
          const ak = a[b * nIn + k];
          dIn[b * nIn + k] = relu ? (ak > 0 ? s : 0) : s * (1 - ak * ak);
        }
      }
    }

    // SGD with momentum, as torch.optim.SGD (dampening 0, no nesterov, no weight decay).
    const { velocity, momentum, lr } = this;
    for (let i = 0; i < params.length; i++) {
      const v = momentum * velocity[i] + grads[i];
      velocity[i] = v;
      params[i] -= lr * v;
    }
    return loss / batch;
  }

  /** `n` steps; returns the last loss (so the work cannot be optimized away). */
  train(n) {
    let loss = NaN;
    for (let i = 0; i < n; i++) loss = this.step();
    return loss;
  }
}
