import { describe, expect, test } from 'vitest';
import { CHUNK, Trainer } from '../../www/demos/train/trainer.js';
import { watched } from './watched.js';

const WEBGPU = { backend: 'webgpu', adapter: 'fake', fallback: null };
const CPU = { backend: 'cpu', adapter: null, fallback: 'the GPU device was lost' };

// The worker's session api (engine.session, see worker/session-table.js), in memory: every step's loss is 1 / (step + 1).
function fakeEngine({ runs = 2, states = () => 'training', failStepAt = Infinity, loss = (step) => 1 / (step + 1), features = 2 } = {}) {
  const sessions = new Map();
  let nextId = 1;
  const session = {
    freed: [],
    async create(options) {
      if (options.bad) throw Object.assign(new Error('options.batch_size: must be an integer in [1, 4096], got 0'), { field: 'batch_size' });
      const id = nextId++;
      sessions.set(id, { steps: 0, backend: WEBGPU });
      return { id, backend: WEBGPU, runs, points: { x: new Float32Array(features), y: new Float32Array(1), features } };
    },
    async step(id, n) {
      const s = sessions.get(id);
      if (s.steps >= failStepAt) throw new Error('engine worker failed: Uncaught RuntimeError: unreachable');
      const losses = new Float32Array(n * runs).map((_, i) => loss(s.steps + Math.floor(i / runs), i % runs));
      s.steps += n;
      return { losses, runs, backend: s.backend };
    },
    async evaluate(id) {
      return Array.from({ length: runs }, (_, r) => ({ state: states(sessions.get(id).steps, r) }));
    },
    async predictGrid(id, run, n) {
      return { values: new Float32Array(n * n * 2), n, outputs: 2, lo: -1, hi: 1 };
    },
    async predictSet(id, run, options) {
      return { x: new Float32Array(features), y: new Float32Array([1]), features, predictions: new Float32Array([0, run]), outputs: 2, options };
    },
    async layerStats(id, run) {
      return [{ layer: 0, run }];
    },
    stopped: [],
    async stopRun(id, run) {
      session.stopped.push(run);
    },
    updated: [],
    async updateRun(id, run, update) {
      session.updated.push([run, update]);
    },
    async loseDevice(id) {
      sessions.get(id).backend = CPU;
    },
    async destroy(id) {
      session.freed.push(id);
    },
  };
  return { session };
}

function watchedTrainer(engine) {
  const { driven: trainer, seen } = watched(Trainer, engine, { backend: (backend, { moved }) => [backend.backend, moved], error: (error) => error });
  return { trainer, seen };
}

// Lets every pending promise (the fake engine answers at once) settle.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Trainer', () => {
  test('a new session is evaluated at once; Start trains in chunks up to the budget, then stops', async () => {
    const { trainer, seen } = watchedTrainer(fakeEngine());
    await trainer.rebuild({}, { budget: CHUNK * 2 + 3, selected: 1 });
    const first = seen.views.at(-1);
    expect(first.session.steps).toBe(0);
    expect(first.session.report).toHaveLength(2);
    expect(first.session.stats).toEqual([{ layer: 0, run: 1 }]);
    expect(seen.backends).toEqual([['webgpu', false]]);

    trainer.play();
    await settle();
    const last = seen.views.at(-1);
    expect(last.session.steps).toBe(CHUNK * 2 + 3);
    expect(last.session.losses[0]).toHaveLength(CHUNK * 2 + 3);
    expect(last.session.losses[1].at(-1)).toBeCloseTo(1 / (CHUNK * 2 + 3));
    expect(last).toMatchObject({ playing: false, finished: true });
    expect(seen.errors).toEqual([]);
  });

  test('past two inputs, the selected run predicts the validation set instead of a heatmap grid', async () => {
    const { trainer, seen } = watchedTrainer(fakeEngine({ features: 64 }));
    await trainer.rebuild({}, { budget: CHUNK, selected: 1 });
    const { session } = seen.views.at(-1);
    expect(session.grid).toBeNull();
    expect(session.set).toMatchObject({ features: 64, outputs: 2, options: { set: 'validation' } });
    expect(Array.from(session.set.predictions)).toEqual([0, 1]);
    const flat = watchedTrainer(fakeEngine({ features: 2 }));
    await flat.trainer.rebuild({}, { budget: CHUNK, selected: 0 });
    expect(flat.seen.views.at(-1).session).toMatchObject({ set: null, grid: { n: 48 } });
  });

  test('Step trains one chunk; a larger budget lets training go on', async () => {
    const { trainer, seen } = watchedTrainer(fakeEngine());
    await trainer.rebuild({}, { budget: CHUNK, selected: 0 });
    trainer.step();
    await settle();
    expect(seen.views.at(-1).session.steps).toBe(CHUNK);
    trainer.step();
    await settle();
    expect(seen.views.at(-1).session.steps).toBe(CHUNK);
    trainer.setBudget(CHUNK * 2);
    trainer.step();
    await settle();
    expect(seen.views.at(-1).session.steps).toBe(CHUNK * 2);
  });

  test('training stops early once no run is training', async () => {
    const { trainer, seen } = watchedTrainer(fakeEngine({ states: (steps, run) => (run === 0 && steps > 0 ? 'diverged' : steps >= CHUNK * 2 ? 'finished' : 'training') }));
    await trainer.rebuild({}, { budget: 1000, selected: 0 });
    trainer.play();
    await settle();
    expect(seen.views.at(-1)).toMatchObject({ playing: false, finished: true, session: { steps: CHUNK * 2 } });
  });

  test("bad options: the engine's Error with its field, and no session", async () => {
    const { trainer, seen } = watchedTrainer(fakeEngine());
    await trainer.rebuild({ bad: true }, { budget: 10, selected: 0 });
    expect(seen.errors).toHaveLength(1);
    expect(seen.errors[0]).toMatchObject({ message: 'options.batch_size: must be an integer in [1, 4096], got 0', field: 'batch_size' });
    expect(seen.views.at(-1).session).toBeNull();
  });

  test('a rebuild frees the old session and ignores its late answers; play carries over', async () => {
    const engine = fakeEngine();
    const { trainer, seen } = watchedTrainer(engine);
    await trainer.rebuild({}, { budget: 1000, selected: 0 });
    trainer.play();
    await trainer.rebuild({}, { budget: CHUNK, selected: 0 });
    await settle();
    expect(engine.session.freed).toEqual([1]);
    const last = seen.views.at(-1);
    expect(last.session.id).toBe(2);
    expect(last.session.steps).toBe(CHUNK);
    expect(last.session.losses[0][0]).toBe(1);
  });

  test('a run whose loss blows up (finite, far above its start) is marked at the step and stopped', async () => {
    // Run 1's loss leaps from 0.7 to 121 at step 20 (lr 100); run 0's falls.
    const engine = fakeEngine({ loss: (step, run) => (run === 1 && step >= 20 ? 121 : 0.7 / (1 + step * (1 - run))) });
    const { trainer, seen } = watchedTrainer(engine);
    await trainer.rebuild({}, { budget: CHUNK * 4, selected: 0 });
    trainer.play();
    await settle();
    expect(seen.views.at(-1).session.blownUp).toEqual([null, 20]);
    expect(engine.session.stopped).toEqual([1]);
  });

  test("a schedule change goes to the engine for the runs given, from the next step", async () => {
    const engine = fakeEngine();
    const { trainer, seen } = watchedTrainer(engine);
    await trainer.rebuild({}, { budget: CHUNK * 2, selected: 0 });
    await trainer.updateSchedule([0, 1], { kind: 'Constant', lr: 0.5 });
    expect(engine.session.updated).toEqual([
      [0, { schedule: { kind: 'Constant', lr: 0.5 } }],
      [1, { schedule: { kind: 'Constant', lr: 0.5 } }],
    ]);
    expect(seen.errors).toEqual([]);
  });

  test('the evaluations are kept, one per step count', async () => {
    const { trainer, seen } = watchedTrainer(fakeEngine());
    await trainer.rebuild({}, { budget: CHUNK * 2, selected: 0 });
    trainer.play();
    await settle();
    expect(seen.views.at(-1).session.evaluations.map((e) => e.step)).toEqual([0, CHUNK, CHUNK * 2]);
  });

  test('losing the GPU: the next chunk reports the move to the CPU path', async () => {
    const { trainer, seen } = watchedTrainer(fakeEngine());
    await trainer.rebuild({}, { budget: CHUNK * 2, selected: 0 });
    trainer.loseDevice();
    expect(seen.views.at(-1).session.deviceLost).toBe(true);
    await settle();
    trainer.play();
    await settle();
    expect(seen.backends).toEqual([
      ['webgpu', false],
      ['cpu', true],
    ]);
    expect(seen.views.at(-1).session.backend).toEqual(CPU);
  });

  test('a failed call drops the session and reports the Error; a rebuild starts over', async () => {
    const engine = fakeEngine({ failStepAt: CHUNK });
    const { trainer, seen } = watchedTrainer(engine);
    await trainer.rebuild({}, { budget: 1000, selected: 0 });
    trainer.play();
    await settle();
    expect(seen.errors.map((e) => e.message)).toEqual(['engine worker failed: Uncaught RuntimeError: unreachable']);
    expect(seen.views.at(-1)).toMatchObject({ session: null, playing: false });
    expect(engine.session.freed).toEqual([1]);

    await trainer.rebuild({}, { budget: CHUNK, selected: 0 });
    trainer.step();
    await settle();
    expect(seen.views.at(-1).session).toMatchObject({ id: 2, steps: CHUNK });
  });
});
