import { describe, expect, test } from 'vitest';
import { CHUNK, Lab, PRETRAIN_CHUNK } from '../../www/demos/layers/lab.js';
import { planTimeline } from '../../www/demos/layers/timeline.js';
import { watched } from './watched.js';

const CPU = { backend: 'cpu', adapter: null, fallback: null };

// The worker's session api (worker/session-table.js) in memory: losses 1 / (step + 1), one evaluation per
// call, layer statistics whose rate is 0 for a frozen group; every call recorded.
function fakeEngine({ failStepAt = Infinity, slowCreate = null } = {}) {
  const sessions = new Map();
  const calls = [];
  let nextId = 1;
  const session = {
    calls,
    freed: [],
    async create(options) {
      const id = nextId++;
      if (slowCreate) await slowCreate(id);
      const runs = options.runs.length;
      sessions.set(id, { steps: 0, runs, frozen: options.runs[0].frozen ?? options.runs[0].phases?.[0]?.frozen ?? [false, false], params: options.runs.map((r, k) => Float32Array.from(r.init_params ?? [10 * k, 10 * k + 1, 10 * k + 2, 10 * k + 3])) });
      return { id, backend: CPU, runs };
    },
    async step(id, n) {
      const s = sessions.get(id);
      calls.push(['step', id, n, s.steps]);
      if (s.steps + n > failStepAt) throw new Error('engine worker failed: unreachable');
      const losses = new Float32Array(n * s.runs).map((_, i) => 1 / (s.steps + Math.floor(i / s.runs) + 1));
      s.steps += n;
      return { losses, runs: s.runs, backend: CPU };
    },
    async evaluate(id) {
      const s = sessions.get(id);
      return Array.from({ length: s.runs }, (_, r) => ({ state: 'training', validation_loss: 1 / (s.steps + 1 + r) }));
    },
    async layerStats(id, run) {
      const s = sessions.get(id);
      return [0, 1].map((g) => ({ layer: g, group: g, lr: s.frozen[g] ? 0 : 0.01, weight_norm: 1, grad_norm: 0.1, update_ratio: 1e-3 }));
    },
    async params(id, run) {
      return sessions.get(id).params[run].slice();
    },
    async updateRun(id, run, update) {
      calls.push(['updateRun', id, run, structuredClone(update), sessions.get(id).steps]);
      if (run === 0 && update.frozen) sessions.get(id).frozen = update.frozen;
    },
    // Candidate k's validation loss is (k - 2)² + 1: the third is best; the last diverges.
    async verifyLr(id, { candidates, run }) {
      calls.push(['verifyLr', id, run, candidates.length]);
      const validation_loss = candidates.map((_, k) => (k === candidates.length - 1 ? NaN : (k - 2) ** 2 + 1));
      return { candidates, validation_loss, diverged: candidates.map((_, k) => k === candidates.length - 1) };
    },
    async importWeights(id, run, bytes) {
      calls.push(['importWeights', id, run, bytes.length]);
      if (bytes.length === 0) throw Object.assign(new Error('bytes: not a safetensors file'), { field: 'bytes' });
      sessions.get(id).params[run] = Float32Array.from(bytes);
    },
    async findLr(id, options, onPoint) {
      onPoint({ run: 0, i: 0, lr: 1e-7, loss: 1, smoothed: 1 });
      return { lrs: [1e-7], runs: [] };
    },
    async destroy(id) {
      session.freed.push(id);
    },
  };
  return { session };
}

function watchedLab(engine) {
  const { driven: lab, seen } = watched(Lab, engine);
  return { lab, seen };
}

// Two groups over 3 + 4 steps: group 0 frozen in the first phase.
const PLAN = {
  steps: 7,
  n_groups: 2,
  lr: Float64Array.from({ length: 14 }, (_, i) => (i % 2 ? 0.01 : 0.001)),
  trainable: Uint8Array.from({ length: 14 }, (_, i) => (i < 6 && i % 2 === 0 ? 0 : 1)),
  phases: [
    { steps: 3, schedule: { kind: 'Constant', lr: 0.01 }, group_lr_mult: [0.1, 1], frozen: [true, false] },
    { steps: 4, schedule: { kind: 'Constant', lr: 0.01 }, group_lr_mult: [0.1, 1], frozen: [false, false], reset_optimizer: true },
  ],
};
// `seeds` pairs of runs (options.js: runOf): fine-tuning from `body`, and from scratch.
const options = (body = [7, 7], seeds = 1) => ({ runs: Array.from({ length: seeds }, () => [{ init_params: body, phases: PLAN.phases }, { schedule: { kind: 'Constant', lr: 0.01 } }]).flat() });
const openPlan = (lab, extra = {}) => lab.open(options(), { timeline: planTimeline(PLAN), frozen: PLAN.phases[0].frozen, plan: PLAN, budget: PLAN.steps, ...extra });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
async function until(condition) {
  for (let i = 0; i < 200 && !condition(); i++) await settle();
  expect(condition()).toBe(true);
}

describe('the Layers lab', () => {
  test("pretraining streams the seeds' median loss in chunks and hands back every body, freeing its session", async () => {
    const engine = fakeEngine();
    const { lab, seen } = watchedLab(engine);
    const bodies = await lab.pretrain({ runs: [{ schedule: {} }, { schedule: {} }, { schedule: {} }] }, PRETRAIN_CHUNK + 5, 3);
    expect(bodies.map((b) => Array.from(b))).toEqual([
      [0, 1, 2],
      [10, 11, 12],
      [20, 21, 22],
    ]);
    expect(engine.session.calls.filter(([name]) => name === 'step').map(([, , n]) => n)).toEqual([PRETRAIN_CHUNK, 5]);
    const p = seen.views.at(-1).pretraining;
    // Run r's validation loss is 1 / (steps + 1 + r): the median is run 1's.
    expect(p).toMatchObject({ steps: PRETRAIN_CHUNK + 5, done: true, report: { validation_loss: 1 / (PRETRAIN_CHUNK + 7) } });
    expect(p.reports.map((r) => r.validation_loss)).toEqual([0, 1, 2].map((r) => 1 / (PRETRAIN_CHUNK + 6 + r)));
    expect(p.losses).toHaveLength(PRETRAIN_CHUNK + 5);
    expect(p.losses[3]).toBeCloseTo(1 / 4, 7);
    await settle();
    expect(engine.session.freed).toEqual([1]);
    // Where nobody watches the losses come, in one request.
    await lab.pretrain({ runs: [{ schedule: {} }] }, PRETRAIN_CHUNK + 5, 3, { chunk: PRETRAIN_CHUNK + 5 });
    expect(engine.session.calls.filter(([name, id]) => name === 'step' && id === 2).map(([, , n]) => n)).toEqual([PRETRAIN_CHUNK + 5]);
  });

  test("a plan plays to its budget in chunks that stop at each phase's start", async () => {
    const engine = fakeEngine();
    const { lab, seen } = watchedLab(engine);
    expect(await openPlan(lab)).toBe(true);
    expect(seen.views.at(-1).target).toMatchObject({ steps: 0, frozen: [true, false], stats: [{ lr: 0 }, { lr: 0.01 }] });
    lab.play();
    await until(() => !seen.views.at(-1).playing);
    const steps = engine.session.calls.filter(([name]) => name === 'step').map(([, , n, at]) => [at, n]);
    expect(steps).toEqual([
      [0, 3],
      [3, 4],
    ]);
    expect(CHUNK).toBeGreaterThan(4);
    const s = seen.views.at(-1).target;
    expect(s).toMatchObject({ steps: 7, frozen: [false, false] });
    expect(seen.views.at(-1).finished).toBe(true);
    expect(s.losses.map((l) => l.length)).toEqual([7, 7]);
    expect(s.evaluations.map((e) => e.step)).toEqual([0, 3, 7]);
    // No click: the engine follows the plan's phases by itself.
    expect(engine.session.calls.filter(([name]) => name === 'updateRun')).toEqual([]);
  });

  test("a click freezes a group from the next step until the plan's next phase, which then comes back", async () => {
    const engine = fakeEngine();
    const { lab, seen } = watchedLab(engine);
    await openPlan(lab);
    lab.step(); // steps 0..2, the first phase
    await lab.toggleFrozen(1);
    let s = seen.views.at(-1).target;
    expect(s.steps).toBe(3);
    expect(s.frozen).toEqual([false, true]);
    // What the engine was told, and what it reports: the group's rate is 0.
    expect(engine.session.calls.filter(([name]) => name === 'updateRun')).toEqual([['updateRun', 1, 0, { frozen: [false, true] }, 3]]);
    expect(s.stats[1].lr).toBe(0);
    expect(s.timeline.frozen[1]).toEqual([false, false, false, true, true, true, true]);

    // Back at step 0 of a fresh plan, a click in the first phase lasts until its end, and the
    // second phase is put back (the engine dropped it with the click).
    await openPlan(lab);
    await lab.toggleFrozen(0);
    s = seen.views.at(-1).target;
    expect(s.frozen).toEqual([false, false]);
    expect(s.timeline.frozen[0]).toEqual([false, false, false, false, false, false, false]);
    lab.play();
    await until(() => !seen.views.at(-1).playing);
    const updates = engine.session.calls.filter(([name, id]) => name === 'updateRun' && id === 2);
    expect(updates).toEqual([
      ['updateRun', 2, 0, { frozen: [false, false] }, 0],
      ['updateRun', 2, 0, { schedule: PLAN.phases[1].schedule, group_lr_mult: [0.1, 1], frozen: [false, false], reset_optimizer: true }, 3],
    ]);
  });

  test('the from-scratch arm is tuned over its seeds before the comparison: its best rate for every seed from the next step', async () => {
    const engine = fakeEngine();
    const { lab } = watchedLab(engine);
    await lab.open(options([7, 7], 2), { timeline: planTimeline(PLAN), frozen: PLAN.phases[0].frozen, plan: PLAN, budget: PLAN.steps });
    const schedule = (lr) => ({ kind: 'OneCycleLR', max_lr: lr, total_steps: PLAN.steps });
    expect(await lab.tuneScratch([0.001, 0.01, 0.1, 1], PLAN.steps, schedule)).toEqual({ lr: 0.1, tried: 4 });
    const id = lab.target.id;
    expect(engine.session.calls.filter(([name]) => name === 'verifyLr' || name === 'updateRun')).toEqual([
      ['verifyLr', id, 1, 4],
      ['verifyLr', id, 3, 4],
      ['updateRun', id, 1, { schedule: schedule(0.1) }, 0],
      ['updateRun', id, 3, { schedule: schedule(0.1) }, 0],
    ]);
    expect(lab.target.scratchTuning).toEqual({ lr: 0.1, tried: 4 });
  });

  test("an arm's update, a click and a file reach every seed of the arm, and only that arm", async () => {
    const engine = fakeEngine();
    const { lab } = watchedLab(engine);
    await lab.open(options([7, 7], 2), { timeline: planTimeline(PLAN), frozen: PLAN.phases[0].frozen, plan: PLAN, budget: PLAN.steps });
    const id = lab.target.id;
    const calls = () => engine.session.calls.filter(([name]) => name === 'updateRun' || name === 'importWeights').map(([name, , run, what]) => [name, run, what]);
    await lab.update([{ frozen: [true, true] }, { schedule: { kind: 'Constant', lr: 1 } }]);
    await lab.toggleFrozen(0);
    await lab.loadWeights(new Uint8Array([1, 2, 3]));
    expect(calls()).toEqual([
      ['updateRun', 0, { frozen: [true, true] }],
      ['updateRun', 2, { frozen: [true, true] }],
      ['updateRun', 1, { schedule: { kind: 'Constant', lr: 1 } }],
      ['updateRun', 3, { schedule: { kind: 'Constant', lr: 1 } }],
      ['updateRun', 0, { frozen: [false, true] }],
      ['updateRun', 2, { frozen: [false, true] }],
      ['importWeights', 0, 3],
      ['importWeights', 2, 3],
    ]);
    expect(Array.from(await engine.session.params(id, 2))).toEqual([1, 2, 3]);
    // A file the engine refuses is refused with the first run: none of them changed.
    await expect(lab.loadWeights(new Uint8Array(0))).rejects.toThrow('not a safetensors file');
    expect(calls().slice(8)).toEqual([['importWeights', 0, 0]]);
    expect(lab.target.id).toBe(id);
  });

  test("a newer session drops the older one's answers and frees it", async () => {
    let release;
    const gate = new Promise((resolve) => (release = resolve));
    const engine = fakeEngine({ slowCreate: (id) => (id === 1 ? gate : null) });
    const { lab, seen } = watchedLab(engine);
    const first = openPlan(lab);
    const second = openPlan(lab, { budget: 5 });
    expect(await second).toBe(true);
    release();
    expect(await first).toBe(false);
    await settle();
    expect(engine.session.freed).toContain(1);
    expect(seen.views.at(-1).target).toMatchObject({ id: 2, budget: 5 });
  });

  test('an engine failure drops the session and is shown', async () => {
    const engine = fakeEngine({ failStepAt: 3 });
    const { lab, seen } = watchedLab(engine);
    await openPlan(lab);
    expect(await lab.train(6)).toBeNull();
    expect(seen.errors).toEqual(['engine worker failed: unreachable']);
    expect(seen.views.at(-1).target).toBeNull();
    await settle();
    expect(engine.session.freed).toEqual([1]);
  });

  test('a mark carries both runs and the record into a new session', async () => {
    const engine = fakeEngine();
    const { lab, seen } = watchedLab(engine);
    await lab.open(options([5, 6, 7, 8]), { timeline: { lr: [[], []], frozen: [[], []] }, frozen: [true, false] });
    await lab.update([{ frozen: [true, false] }, null], { lr: [[1, 1, 1, 1, 1], [2, 2, 2, 2, 2]], frozen: [[true, true, true, true, true], [false, false, false, false, false]] });
    expect(await lab.train(4)).toBe(true);
    const mark = await lab.mark();
    expect(mark.params.map((p) => Array.from(p))).toEqual([
      [5, 6, 7, 8],
      [10, 11, 12, 13],
    ]);
    expect(mark.record).toMatchObject({ steps: 4 });
    expect(mark.record.timeline.lr).toEqual([[1, 1, 1, 1], [2, 2, 2, 2]]);
    await lab.train(1);
    expect(await lab.open(options(mark.params[0]), { timeline: null, frozen: [true, false], record: mark.record })).toBe(true);
    const s = seen.views.at(-1).target;
    expect(s.steps).toBe(4);
    expect(s.losses.map((l) => l.length)).toEqual([4, 4]);
    // The record goes on from where it was cut: the new session's evaluation at step 4 replaces the old.
    expect(s.evaluations.map((e) => e.step)).toEqual([0, 4]);
    expect(s.evaluations.at(-1).report[0].validation_loss).toBe(1);
    const found = [];
    await lab.findLr({ num_it: 1 }, (point) => found.push(point.lr));
    expect(found).toEqual([1e-7]);
  });
});
