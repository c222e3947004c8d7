import { describe, expect, test } from 'vitest';
import { SessionDriver, emptyCurves, lossesByRun, trainInChunks } from '../../www/session-driver.js';
import { Tickets } from '../../www/tickets.js';

const GPU = { backend: 'webgpu' };
const CPU = { backend: 'cpu' };

// engine.session in memory: `create` waits for `gates[id]` when there is one; run r's loss at
// step t is 10 * r + t; `backends[id]` says where session id trains now.
function fakeEngine({ gates = {}, refuse = false } = {}) {
  let nextId = 1;
  const backends = {};
  const session = {
    freed: [],
    async create() {
      const id = nextId++;
      await gates[id];
      if (refuse) throw Object.assign(new Error('batch_size: must be at least 1'), { field: 'batch_size' });
      backends[id] = GPU;
      return { id, runs: 2, backend: GPU };
    },
    async step(id, n) {
      const losses = Float32Array.from({ length: n * 2 }, (_, i) => 10 * (i % 2) + Math.floor(i / 2));
      return { losses, runs: 2, backend: backends[id] };
    },
    async destroy(id) {
      session.freed.push(id);
    },
  };
  return { session, backends };
}

function watched(engine) {
  const seen = { backends: [], errors: [], changes: 0 };
  const driver = new SessionDriver(engine, {
    onBackend: (backend, { moved }) => seen.backends.push([backend.backend, moved]),
    onError: (error, stage) => seen.errors.push([error.message, stage]),
    onChange: () => (seen.changes += 1),
  });
  return { driver, seen };
}

const record = ({ id, runs, backend }) => ({ id, runs, backend, steps: 0, losses: emptyCurves(runs) });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SessionDriver', () => {
  test('open: the session and its backend while current; a superseded one is freed at once', async () => {
    let release;
    const engine = fakeEngine({ gates: { 1: new Promise((resolve) => (release = resolve)) } });
    const { driver, seen } = watched(engine);
    const tickets = new Tickets();
    const late = driver.open({}, tickets.issue());
    const created = await driver.open({}, tickets.issue());
    expect(created).toEqual({ id: 2, runs: 2, backend: GPU });
    release();
    expect(await late).toBeNull();
    await settle();
    expect(engine.session.freed).toEqual([1]);
    expect(seen.backends).toEqual([['webgpu', false]]);
  });

  test("open: the engine's refusal goes to onError as the 'session' stage, unless superseded", async () => {
    const { driver, seen } = watched(fakeEngine({ refuse: true }));
    expect(await driver.open({}, () => true)).toBeNull();
    expect(await driver.open({}, () => false)).toBeNull();
    expect(seen.errors).toEqual([['batch_size: must be at least 1', 'session']]);
  });

  test("borrow: the use's answer, the session freed after; a failure names the caller's stage", async () => {
    const engine = fakeEngine();
    const { driver, seen } = watched(engine);
    expect(await driver.borrow({}, () => true, 'finder', async ({ id }) => `answer ${id}`)).toBe('answer 1');
    const failing = await driver.borrow({}, () => true, 'verify', async () => {
      throw new Error('candidates: must hold 1 to 64 rates');
    });
    expect(failing).toBeNull();
    let current = true;
    const stale = await driver.borrow({}, () => current, 'finder', async () => {
      current = false;
      throw new Error('late');
    });
    expect(stale).toBeNull();
    await settle();
    expect(engine.session.freed).toEqual([1, 2, 3]);
    expect(seen.errors).toEqual([['candidates: must hold 1 to 64 rates', 'verify']]);
  });

  test('hold: a new session replaces the one held (freed); a newer hold or destroy wins a race', async () => {
    let release;
    const engine = fakeEngine({ gates: { 3: new Promise((resolve) => (release = resolve)) } });
    const { driver, seen } = watched(engine);
    const first = await driver.hold({}, record);
    expect(driver.session).toBe(first);
    expect(driver.holds(first)).toBe(true);
    const second = await driver.hold({}, record);
    expect(driver.holds(first)).toBe(false);
    expect(driver.holds(null)).toBe(false);
    const third = driver.hold({}, record);
    driver.destroy();
    release();
    expect(await third).toBeNull();
    await settle();
    expect(engine.session.freed).toEqual([1, 2, 3]);
    expect(second.id).toBe(2);
    expect(driver.session).toBeNull();
    expect(seen.changes).toBe(4);
  });

  test('fail: the held session is dropped and the error shown, training stops; on another session, moot', async () => {
    const engine = fakeEngine();
    const { driver, seen } = watched(engine);
    const old = await driver.hold({}, record);
    const s = await driver.hold({}, record);
    driver.playing = true;
    driver.fail(old, new Error('stale'));
    expect([driver.session, driver.playing, seen.errors]).toEqual([s, true, []]);
    driver.fail(s, new Error('engine worker failed: unreachable'));
    expect([driver.session, driver.playing]).toEqual([null, false]);
    expect(seen.errors).toEqual([['engine worker failed: unreachable', 'training']]);
    await settle();
    expect(engine.session.freed).toEqual([1, 2]);
  });

  test("step: each run's losses onto its curve, steps and backend follow, a move is told", async () => {
    const engine = fakeEngine();
    const { driver, seen } = watched(engine);
    const s = await driver.hold({}, record);
    expect(await driver.step(s, 3)).toBe(true);
    engine.backends[s.id] = CPU;
    expect(await driver.step(s, 2)).toBe(true);
    expect(s.losses).toEqual([
      [0, 1, 2, 0, 1],
      [10, 11, 12, 10, 11],
    ]);
    expect(s.steps).toBe(5);
    expect(s.backend).toBe(CPU);
    expect(seen.backends).toEqual([
      ['webgpu', false],
      ['cpu', true],
    ]);
    const answer = driver.step(s, 4);
    driver.release();
    expect(await answer).toBe(false);
    expect(s.steps).toBe(5);
  });
});

describe('training in chunks', () => {
  test("a step answer is split into each run's losses", () => {
    expect(lossesByRun(Float32Array.from([1, 10, 2, 20, 3, 30]), 2)).toEqual([
      [1, 2, 3],
      [10, 20, 30],
    ]);
    expect(lossesByRun([], 0)).toEqual([]);
  });

  test('requests of at most the chunk, each handed on by run, until the steps are done or the caller stops', async () => {
    const { session } = fakeEngine();
    const seen = [];
    expect(await trainInChunks({ session }, 1, { steps: 5, chunk: 2, onChunk: (curves, done) => seen.push([done, curves]) })).toBe(true);
    expect(seen.map(([done, curves]) => [done, curves[0].length])).toEqual([
      [2, 2],
      [4, 2],
      [5, 1],
    ]);
    expect(seen[0][1]).toEqual([
      [0, 1],
      [10, 11],
    ]);
    let asked = 0;
    const stopping = { session: { step: async (id, n) => ((asked += 1), session.step(id, n)) } };
    expect(await trainInChunks(stopping, 1, { steps: 5, chunk: 2, current: () => asked < 2, onChunk: () => {} })).toBe(false);
    expect(asked).toBe(2);
    expect(await trainInChunks(stopping, 1, { steps: 5, chunk: 2, current: () => false, onChunk: () => {} })).toBe(false);
    expect(asked).toBe(2);
  });
});
