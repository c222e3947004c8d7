import { describe, expect, test } from 'vitest';
import { sessionApi } from '../../www/worker/session-table.js';

// A stand-in for the wasm Session that records the order of calls and, like the real one,
// refuses to be touched while its step() is in flight. Shaped like a wasm-bindgen class:
// getters, `free`, and wasm-bindgen's own `__` methods on the prototype.
class FakeSession {
  static log = [];
  static async create(options) {
    if (options.bad) throw Object.assign(new Error('options.batch_size: must be an integer in [1, 4096], got 0'), { field: 'batch_size' });
    return new FakeSession();
  }
  stepping = false;
  get backend() {
    return { backend: 'cpu', adapter: null, fallback: 'no WebGPU' };
  }
  get runs() {
    return 2;
  }
  trainingData() {
    return { x: new Float32Array([0.5, -0.5]), y: new Float32Array([1]), features: 2 };
  }
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
  layerStats(run) {
    if (run > 1) throw new Error(`run ${run} out of range`);
    return [{ layer: 0, run }];
  }
  destroy() {
    FakeSession.log.push('destroy');
  }
  free() {}
  __destroy_into_raw() {}
}

describe('training sessions in the worker', () => {
  const api = () => sessionApi(FakeSession, Promise.resolve());

  test('every method of the Session class is called by id; getters, free and wasm-bindgen internals are not', () => {
    expect(Object.keys(api()).sort()).toEqual(['create', 'destroy', 'evaluate', 'layerStats', 'step', 'trainingData']);
  });

  test('create gives an id with the backend, run count and training points; bad options reject with the Error', async () => {
    const s = api();
    const created = await s.create({});
    expect(created).toEqual({
      id: expect.any(String),
      backend: { backend: 'cpu', adapter: null, fallback: 'no WebGPU' },
      runs: 2,
      points: { x: new Float32Array([0.5, -0.5]), y: new Float32Array([1]), features: 2 },
    });
    expect((await s.create({})).id).not.toBe(created.id);
    await expect(s.create({ bad: true })).rejects.toMatchObject({ message: 'options.batch_size: must be an integer in [1, 4096], got 0', field: 'batch_size' });
  });

  test('ids are unique across workers: one held from a failed worker names nothing in a new one', async () => {
    const { id } = await api().create({});
    await expect(api().evaluate(id)).rejects.toThrow(`session ${id}: no such session (destroyed, or the engine restarted)`);
  });

  test('calls on a session run in order, never while a step is in flight, with their arguments', async () => {
    const s = api();
    const { id } = await s.create({});
    FakeSession.log = [];
    const results = await Promise.all([s.step(id, 3), s.evaluate(id), s.step(id, 1), s.evaluate(id), s.layerStats(id, 1)]);
    expect(FakeSession.log).toEqual(['step 3', 'evaluate', 'step 1', 'evaluate']);
    expect(results[0].losses).toHaveLength(6);
    expect(results[4]).toEqual([{ layer: 0, run: 1 }]);
  });

  test('a failed call does not block the ones after it', async () => {
    const s = api();
    const { id } = await s.create({});
    await expect(s.layerStats(id, 5)).rejects.toThrow('run 5 out of range');
    expect(await s.evaluate(id)).toEqual([]);
  });

  test('functions that take a Session are called by id, in its queue, with callbacks passed through', async () => {
    const progress = [];
    const s = sessionApi(FakeSession, Promise.resolve(), {
      async findLr(session, options, onProgress) {
        if (session.stepping) throw new Error('Session: a step() is still running; await it first');
        onProgress({ i: 0, lr: options.start_lr });
        return session.runs;
      },
    });
    const { id } = await s.create({});
    const [, runs] = await Promise.all([s.step(id, 1), s.findLr(id, { start_lr: 1e-4 }, (p) => progress.push(p))]);
    expect(runs).toBe(2);
    expect(progress).toEqual([{ i: 0, lr: 1e-4 }]);
    await expect(s.findLr('nope', {})).rejects.toThrow('session nope: no such session');
  });

  test('destroy frees the session after its queued calls; later calls reject', async () => {
    const s = api();
    const { id } = await s.create({});
    FakeSession.log = [];
    const step = s.step(id, 2);
    await s.destroy(id);
    await step;
    expect(FakeSession.log).toEqual(['step 2', 'destroy']);
    await expect(s.evaluate(id)).rejects.toThrow(`session ${id}: no such session`);
  });
});
