import { describe, expect, test } from 'vitest';
import { trainingHandlers } from '../../www/training.js';

// A stand-in for the wasm Session that records the order of calls and, like the real one,
// refuses to be touched while its step() is in flight.
class FakeSession {
  static log = [];
  static async create(options) {
    if (options.bad) throw new Error('options.batch_size: must be an integer in [1, 4096], got 0');
    return new FakeSession();
  }
  backend = { backend: 'cpu', adapter: null, fallback: 'no WebGPU' };
  runs = 2;
  trainingData() {
    return { x: new Float32Array([0.5, -0.5]), y: new Float32Array([1]), features: 2 };
  }
  stepping = false;
  async step(n) {
    this.stepping = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.stepping = false;
    FakeSession.log.push(`step ${n}`);
    return { losses: new Float32Array(n * 2), runs: 2, backend: this.backend };
  }
  evaluate() {
    if (this.stepping) throw new Error('Session: a step() is still running; await it first');
    FakeSession.log.push('evaluate');
    return [];
  }
  destroy() {
    FakeSession.log.push('destroy');
  }
}

describe('training sessions in the worker', () => {
  const handlers = () => trainingHandlers(FakeSession, Promise.resolve());

  test('create gives an id with the backend, run count and training points; bad options reject with the message', async () => {
    const h = handlers();
    expect(await h.createSession({})).toEqual({
      id: 1,
      backend: { backend: 'cpu', adapter: null, fallback: 'no WebGPU' },
      runs: 2,
      points: { x: new Float32Array([0.5, -0.5]), y: new Float32Array([1]), features: 2 },
    });
    expect((await h.createSession({})).id).toBe(2);
    await expect(h.createSession({ bad: true })).rejects.toThrow('options.batch_size: must be an integer in [1, 4096], got 0');
  });

  test('calls on a session run in order, never while a step is in flight', async () => {
    const h = handlers();
    const { id } = await h.createSession({});
    FakeSession.log = [];
    const results = await Promise.all([h.step(id, 3), h.evaluate(id), h.step(id, 1), h.evaluate(id)]);
    expect(FakeSession.log).toEqual(['step 3', 'evaluate', 'step 1', 'evaluate']);
    expect(results[0].losses).toHaveLength(6);
  });

  test('a failed call does not block the ones after it', async () => {
    const h = handlers();
    const { id } = await h.createSession({});
    await expect(h.predictGrid(id, 0, 8)).rejects.toThrow();
    expect(await h.evaluate(id)).toEqual([]);
  });

  test('destroy frees the session after its queued calls; later calls reject', async () => {
    const h = handlers();
    const { id } = await h.createSession({});
    FakeSession.log = [];
    const step = h.step(id, 2);
    await h.destroySession(id);
    await step;
    expect(FakeSession.log).toEqual(['step 2', 'destroy']);
    await expect(h.evaluate(id)).rejects.toThrow(`session ${id}: no such session (destroyed?)`);
  });
});
