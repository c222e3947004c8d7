// The Surfaces demo's DOM-free parts that talk to the engine: the network's landscape run and the
// plateau race's curves.
import { describe, expect, test } from 'vitest';
import { exploreLandscape, NETWORK, SNAPSHOT_EVERY, TRAIN_STEPS } from '../../www/demos/surfaces/network.js';
import { median, medianCurves } from '../../www/demos/surfaces/race.js';

// engine.session in memory: parameters are [steps taken], each step's loss 1 / (steps + 1).
function fakeEngine() {
  const calls = [];
  const sessions = new Map();
  const session = {
    freed: [],
    async create(options) {
      calls.push(['create', options]);
      sessions.set(1, { steps: 0 });
      return { id: 1, runs: 1, backend: { backend: 'cpu' } };
    },
    async step(id, n) {
      const s = sessions.get(id);
      const losses = Float32Array.from({ length: n }, (_, i) => 1 / (s.steps + i + 1));
      s.steps += n;
      return { losses, runs: 1 };
    },
    async params(id, run) {
      return Float32Array.of(sessions.get(id).steps, run);
    },
    async landscape(id, options) {
      calls.push(['landscape', options]);
      return { grid: options.grid, span: options.span, coords: Float64Array.of(-1, 0, 1), loss: new Float32Array(9), center_loss: 0.5 };
    },
    async projectTrajectory(id, snapshots, options) {
      calls.push(['projectTrajectory', snapshots.map((p) => p[0]), options]);
      return { x: new Float64Array(snapshots.length), y: new Float64Array(snapshots.length), explained: [0.9, 0.05], grid: options.grid, x_range: [-1, 1], y_range: [-1, 1], loss: new Float32Array(9) };
    },
    async destroy(id) {
      session.freed.push(id);
    },
  };
  return { session, calls };
}

describe("the network's landscape", () => {
  test('trains the reference network, taking its parameters every few steps, then measures around the last', async () => {
    const engine = fakeEngine();
    const progress = [];
    const found = await exploreLandscape(engine, { current: () => true, onProgress: (steps) => progress.push(steps) });
    expect(engine.calls[0]).toEqual(['create', NETWORK]);
    expect(NETWORK).toMatchObject({ layers: [2, 16, 16, 2], batch_size: 32, data: { kind: 'spiral', n: 512 }, optimizer: { kind: 'sgd', momentum: 0.9 } });
    expect(found.losses).toHaveLength(TRAIN_STEPS);
    expect(found.losses[TRAIN_STEPS - 1]).toBeCloseTo(1 / TRAIN_STEPS);
    // Snapshots at steps 0, K, 2K, ... TRAIN_STEPS, in order.
    const taken = Array.from({ length: TRAIN_STEPS / SNAPSHOT_EVERY + 1 }, (_, i) => i * SNAPSHOT_EVERY);
    expect(engine.calls.find((c) => c[0] === 'projectTrajectory')[1]).toEqual(taken);
    expect(found.snapshots).toBe(taken.length);
    expect(progress.at(-1)).toBe(TRAIN_STEPS);
    expect(found.landscape.center_loss).toBe(0.5);
    expect(found.projection.explained).toEqual([0.9, 0.05]);
    expect(engine.session.freed).toEqual([1]);
  });

  test('stops when no longer wanted, and frees the session', async () => {
    const engine = fakeEngine();
    let steps = 0;
    const found = await exploreLandscape(engine, { current: () => steps < 50, onProgress: (n) => (steps = n) });
    expect(found).toBeNull();
    expect(engine.calls.some((c) => c[0] === 'landscape')).toBe(false);
    expect(engine.session.freed).toEqual([1]);
  });

  test('a refusal is thrown, and the session is freed all the same', async () => {
    const engine = fakeEngine();
    engine.session.landscape = async () => {
      throw Object.assign(new Error('options.grid: must be an odd integer in [3, 51], got 41'), { field: 'options.grid' });
    };
    await expect(exploreLandscape(engine, { current: () => true })).rejects.toThrow('options.grid');
    expect(engine.session.freed).toEqual([1]);
  });
});

describe("the race's curves", () => {
  test('the median over seeds, per schedule and step; a NaN counts as the highest', () => {
    // 2 steps, 2 schedules × 3 seeds; run s·3 + k.
    const loss = Float32Array.of(1, 2, 3, 10, 20, NaN, 4, 6, 5, 1, 1, 2);
    const [a, b] = medianCurves(loss, { steps: 2, runs: 6, seeds: 3 });
    expect(Array.from(a)).toEqual([2, 5]);
    expect(Array.from(b)).toEqual([20, 1]);
  });

  test('an even count takes the mean of the middle two', () => {
    expect(median(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
    expect(median(Float64Array.of(7))).toBe(7);
  });
});
