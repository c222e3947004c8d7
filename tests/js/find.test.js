import { describe, expect, test } from 'vitest';
import { parseCurve } from '../../www/demos/find/csv.js';
import { RangeTest } from '../../www/demos/find/finder.js';
import { finderOptions, scheduleWith, sessionOptions, trainWith } from '../../www/demos/find/options.js';
import { suggestCurve } from '../../www/demos/find/paste.js';
import { CHECK, candidateRates, centreIndex, checkView, combineSeeds, verifyOptions } from '../../www/demos/find/verify.js';
import { plotView, suggestionMarkers } from '../../www/demos/find/view.js';
import { DEMOS, LINKS } from '../../www/demos/index.js';
import { pageSchema } from '../../www/state.js';
import { watched } from './watched.js';

const defaults = () => pageSchema(DEMOS, LINKS).defaults().find;

describe('a pasted curve', () => {
  test('a header, comments and blank lines are skipped; commas, semicolons, tabs and spaces all split', () => {
    const { lrs, losses, skipped } = parseCurve('lr,loss\n# from fastai\n\n1e-7, 2.3\n1e-6;2.2\r\n1e-5\t2.0\n  1e-4   NaN  \n');
    expect(Array.from(lrs)).toEqual([1e-7, 1e-6, 1e-5, 1e-4]);
    expect(Array.from(losses)).toEqual([2.3, 2.2, 2.0, NaN]);
    expect(skipped).toEqual([]);
  });

  test('bad lines are left out and reported by their line number', () => {
    const { lrs, skipped } = parseCurve('1e-7,2.3\n1e-6,2.2,9\nabc,1\n0,2\n1e-7,2.1\n0x10,1\n1e-5,inf\n');
    expect(Array.from(lrs)).toEqual([1e-7, 1e-5]);
    expect(skipped).toEqual([
      { line: 2, reason: 'expected 2 values, got 3' },
      { line: 3, reason: 'not a number' },
      { line: 4, reason: 'the rate must be a positive number, got 0' },
      { line: 5, reason: 'the rate must grow, but 1e-7 is not above 1e-7' },
      { line: 6, reason: 'not a number' },
    ]);
  });

  test('a long run of digits is refused as a number at once (no quadratic backtracking)', () => {
    const digits = '1'.repeat(1 << 20);
    const { lrs, skipped } = parseCurve(`1e-7,2.3\n${digits}x,1\n1e-6,${digits}x\n1e-5,2.1\n`);
    expect(Array.from(lrs)).toEqual([1e-7, 1e-5]);
    expect(skipped).toEqual([
      { line: 2, reason: 'not a number' },
      { line: 3, reason: 'not a number' },
    ]);
  });

  test('a header is a header only before any data', () => {
    expect(parseCurve('1,2\nlr,loss').skipped).toEqual([{ line: 2, reason: 'not a number' }]);
  });

  test("its suggestions come from the engine's pure functions; a refused method gets a reason", async () => {
    const calls = [];
    const engine = {
      smoothLosses: async (losses, options) => (calls.push(['smooth', options]), losses.map((x) => x / 2)),
      suggestLr: async (lrs, losses, { method }) => {
        calls.push([method, Array.from(losses)]);
        if (method === 'steepest') throw new Error('steepest: needs at least 17 points, got 3');
        return { lr: lrs[1], index: 1 };
      },
    };
    const curve = { lrs: new Float64Array([1, 2, 3]), losses: new Float64Array([4, 2, 6]) };
    const result = await suggestCurve(engine, curve, 'fastai');
    expect(calls[0]).toEqual(['smooth', { style: 'fastai' }]);
    expect(calls[1]).toEqual(['valley', [2, 1, 3]]);
    expect(result.suggestions.valley).toEqual({ lr: 2, index: 1 });
    expect(result.suggestions.steepest).toEqual({ lr: null, reason: 'steepest: needs at least 17 points, got 3' });
    expect(result.runs).toHaveLength(1);
    const asRecorded = await suggestCurve(engine, curve, 'none');
    expect(Array.from(asRecorded.runs[0].smoothed)).toEqual([4, 2, 6]);
  });
});

describe('the Find state and options', () => {
  const schema = pageSchema(DEMOS, LINKS);

  test('round trip: serialize then parse gives the same Find state', () => {
    const state = { ...schema.defaults(), demo: 'find' };
    state.find = { ...state.find, convention: 'torch_lr_finder', start: 1e-5, end: 3, iters: 50, stepmode: 'linear', smooth: 0.1, diverge: 4, hidden: [8], optimizer: { kind: 'adam' }, seeds: 3, orders: true, pick: 'steepest' };
    expect(schema.parse(`#${schema.serialize(state)}`)).toEqual({ state, notices: [] });
  });

  test('the range test runs 8 seeds by default; a link that names its seeds keeps them', () => {
    expect(schema.parse('#demo=find').state.find.seeds).toBe(8);
    expect(schema.parse('#demo=find&seeds=4').state.find.seeds).toBe(4);
    expect(schema.serialize(schema.parse('#demo=find&seeds=4').state)).toContain('seeds=4');
  });

  test('a bad value in a link falls back to its default with a notice', () => {
    const { state, notices } = schema.parse('#demo=find&convention=keras&seeds=99');
    expect(state.find.convention).toBe('fastai');
    expect(state.find.seeds).toBe(defaults().seeds);
    expect(notices).toHaveLength(2);
  });

  test("each convention sends its own library's fields only", () => {
    const state = { ...defaults(), start: 1e-6, iters: 80 };
    expect(finderOptions(state)).toEqual({ convention: 'fastai', start_lr: 1e-6, end_lr: 10, num_it: 80, step_mode: 'exp', stop_div: true });
    expect(finderOptions({ ...state, convention: 'torch_lr_finder' })).toEqual({ convention: 'torch_lr_finder', start_lr: 1e-6, end_lr: 10, num_it: 80, step_mode: 'exp', smooth_f: 0.05, diverge_th: 5 });
  });

  test('one run per seed, with its own batch order only when asked', () => {
    const options = sessionOptions({ ...defaults(), seeds: 3, hidden: [8] });
    expect(options.layers).toEqual([2, 8, 2]);
    expect(options.runs.map((r) => r.seed)).toEqual([1, 2, 3]);
    expect(options.runs.some((r) => 'data_seed' in r)).toBe(false);
    expect(sessionOptions({ ...defaults(), seeds: 2, orders: true }).runs.map((r) => r.data_seed)).toEqual([1, 2]);
  });

  test('the chosen rate becomes a Train link with a one-cycle to it, and a Schedules link', () => {
    const train = trainWith(0.02, { ...defaults(), hidden: [8] }, 500);
    expect(train.runs[0].schedule).toEqual({ kind: 'OneCycleLR', max_lr: 0.02, total_steps: 500 });
    const schema = pageSchema(DEMOS, LINKS);
    const link = { ...schema.defaults(), demo: 'train', train: { ...schema.defaults().train, ...train } };
    expect(schema.parse(`#${schema.serialize(link)}`)).toEqual({ state: link, notices: [] });
    expect(train.own).toBe(false);
    expect(trainWith(0.02, { ...defaults(), own: true }).own).toBe(true);
    expect(scheduleWith(0.02).schedules).toEqual([{ kind: 'OneCycleLR', max_lr: 0.02, total_steps: 1000 }]);
  });
});

describe('what the plot shows', () => {
  test("while running: each run's raw and smoothed losses up to the batches arrived, no band or markers yet", () => {
    const view = plotView({ progress: { lrs: [1e-7, 1e-6, , 1e-4], losses: [[3, 2], [3, 1]], smoothed: [[3, 2.5], [3, 2]] }, result: null }, 'valley');
    expect(view.lrs).toEqual([1e-7, 1e-6]);
    expect(view.curves).toEqual([
      { label: 'seed 1', raw: [3, 2], smoothed: [3, 2.5] },
      { label: 'seed 2', raw: [3, 1], smoothed: [3, 2] },
    ]);
    expect(view.band).toBeNull();
    expect(view.markers).toEqual([]);
  });

  test('once done: a marker per suggestion with a rate, on the median curve, the picked one marked', () => {
    const result = {
      lrs: new Float64Array([1, 2, 3]),
      runs: [{ losses: [3, 2, 4], smoothed: [3, 2, 4] }],
      suggestions: { valley: { lr: 2, index: 1 }, steep: { lr: null, reason: 'too few' }, minimum: { lr: 0.2, index: 1 } },
    };
    const view = plotView({ progress: null, result }, 'minimum');
    expect(view.band).toBeNull();
    expect(view.markers).toEqual([
      { name: 'valley', lr: 2, loss: 2, picked: false },
      { name: 'minimum', lr: 0.2, loss: 3, picked: true },
    ]);
    expect(suggestionMarkers(undefined, [], [], 'valley')).toEqual([]);
  });

  test("with several seeds the markers sit on the engine's median curve", () => {
    const band = { median: [2, 1, 3], min: [1, 1, 1], max: [3, 3, 3], q25: [1, 1, 1], q75: [3, 3, 3] };
    const runs = [{ losses: [2, 1, 3], smoothed: [2, 1.5, 3] }, { losses: [2, 1, 3], smoothed: [2, 0.5, 3] }];
    const view = plotView({ progress: null, result: { lrs: [1, 2, 3], runs, band, suggestions: { valley: { lr: 2, index: 1 } } } }, 'valley');
    expect(view.band).toBe(band);
    expect(view.markers).toEqual([{ name: 'valley', lr: 2, loss: 1, picked: true }]);
  });
});

// The worker's session api (worker/session-table.js) with the finder, in memory: each test's points arrive
// when the test calls `release(id)`.
function fakeEngine() {
  const waiting = new Map();
  let nextId = 1;
  const engine = {
    freed: [],
    session: {
      async create(options) {
        if (options.bad) throw Object.assign(new Error('batch_size: must be an integer in [1, 4096], got 0'), { field: 'batch_size' });
        return { id: nextId++, backend: { backend: 'cpu' }, runs: options.runs?.length ?? 1 };
      },
      findLr(id, options, onProgress, signal) {
        return new Promise((resolve, reject) => waiting.set(id, { options, onProgress, signal, resolve, reject }));
      },
      verifyLr(id, options) {
        return new Promise((resolve, reject) => waiting.set(id, { options, resolve, reject }));
      },
      async destroy(id) {
        engine.freed.push(id);
      },
    },
    aborted: (id) => waiting.get(id).signal.aborted,
    answer: (id, value) => waiting.get(id).resolve(value),
    refuse: (id, error) => waiting.get(id).reject(error),
    release(id, { fail } = {}) {
      const { options, onProgress, resolve, reject } = waiting.get(id);
      if (fail) return reject(fail);
      onProgress({ run: 0, i: 0, lr: options.start_lr, loss: 2, smoothed: 2 });
      onProgress({ run: 0, i: 1, lr: options.start_lr * 10, loss: 1, smoothed: 1.5 });
      resolve({ lrs: new Float64Array([options.start_lr, options.start_lr * 10]), runs: [{ losses: [2, 1], smoothed: [2, 1.5] }], suggestions: {} });
    },
  };
  return engine;
}

function watchedTest(engine) {
  const { driven: rangeTest, seen } = watched(RangeTest, engine, { view: structuredClone, error: (error, stage) => [error.message, error.field, stage] });
  return { rangeTest, seen };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the range test', () => {
  test('points are recorded as they arrive, then the answer; the session is freed after', async () => {
    const engine = fakeEngine();
    const { rangeTest, seen } = watchedTest(engine);
    const done = rangeTest.run({}, { start_lr: 1e-3 });
    await settle();
    expect(seen.views.at(-1)).toMatchObject({ running: true, result: null });
    engine.release(1);
    await done;
    const progress = seen.views.find((v) => v.progress.lrs.length === 2 && !v.result);
    expect(progress.progress).toEqual({ lrs: [1e-3, 1e-2], losses: [[2, 1]], smoothed: [[2, 1.5]] });
    expect(seen.views.at(-1)).toMatchObject({ running: false, result: { suggestions: {} } });
    expect(seen.backends).toEqual(['cpu']);
    await settle();
    expect(engine.freed).toEqual([1]);
  });

  test("a new test drops the old one's points and answer; Cancel drops the running one's", async () => {
    const engine = fakeEngine();
    const { rangeTest, seen } = watchedTest(engine);
    const first = rangeTest.run({}, { start_lr: 1 });
    await settle();
    const second = rangeTest.run({}, { start_lr: 5 });
    await settle();
    engine.release(1);
    await first;
    expect(seen.views.at(-1)).toMatchObject({ running: true, progress: { lrs: [] } });
    expect([engine.aborted(1), engine.aborted(2)]).toEqual([true, false]);
    rangeTest.cancel();
    expect(engine.aborted(2)).toBe(true);
    expect(seen.views.at(-1)).toMatchObject({ running: false, cancelled: true });
    const count = seen.views.length;
    engine.release(2);
    await second;
    expect(seen.views).toHaveLength(count);
    await settle();
    expect(engine.freed.sort()).toEqual([1, 2]);
  });

  test("the engine's refusals say which call made them; a stale refusal is dropped", async () => {
    const engine = fakeEngine();
    const { rangeTest, seen } = watchedTest(engine);
    await rangeTest.run({ bad: true }, {});
    const bad = rangeTest.run({}, {});
    await settle();
    engine.release(1, { fail: Object.assign(new Error('start_lr: must be below end_lr'), { field: 'start_lr' }) });
    await bad;
    expect(seen.errors).toEqual([
      ['batch_size: must be an integer in [1, 4096], got 0', 'batch_size', 'session'],
      ['start_lr: must be below end_lr', 'start_lr', 'finder'],
    ]);
    const stale = rangeTest.run({}, {});
    await settle();
    rangeTest.cancel();
    engine.release(2, { fail: new Error('late') });
    await stale;
    expect(seen.errors).toHaveLength(2);
    expect(seen.views.at(-1).running).toBe(false);
  });
});

describe('the check by training', () => {
  test('12 rates log-spaced over two decades, the suggestion itself among them', () => {
    const rates = candidateRates(0.01);
    expect(rates).toHaveLength(12);
    expect(rates[centreIndex(12)]).toBe(0.01);
    expect(centreIndex(12)).toBe(5);
    expect(Math.log10(rates.at(-1) / rates[0])).toBeCloseTo(2, 12);
    for (let i = 1; i < 12; i++) expect(Math.log10(rates[i] / rates[i - 1])).toBeCloseTo(2 / 11, 12);
    expect(candidateRates(0.01, { count: 8, decades: 2 })).toHaveLength(8);
    expect(candidateRates(1, { count: 3, decades: 2 }).map((r) => Math.log10(r))).toEqual([-1, 0, 1]);
    expect(candidateRates(0.5, { count: 1, decades: 2 })).toEqual([0.5]);
    expect(verifyOptions(0.01)).toEqual({ candidates: rates, steps: CHECK.steps });
  });

  const result = (losses, diverged = losses.map(() => false)) => ({ candidates: Float64Array.from(losses, (_, i) => 10 ** (i - 1)), validation_loss: Float64Array.from(losses), diverged });

  test('the best candidate, against the suggestion it was centred on', () => {
    const view = checkView(result([0.5, 0.4, 0.2, NaN], [false, false, false, true]), { name: 'valley', lr: 1 }, 60);
    expect(view.points.map((p) => [p.best, p.diverged])).toEqual([[false, false], [false, false], [true, false], [false, true]]);
    expect(view.steps).toBe(60);
    expect(view.text).toBe('After 60 steps of one-cycle, 10 does best (validation loss 0.2), 10× above the valley suggestion 1 (validation loss 0.4).');
    expect(checkView(result([0.1, 0.4]), { name: 'slide', lr: 1 }, 60).text).toContain('0.1 does best (validation loss 0.1), 10× below the slide suggestion 1 (validation loss 0.4)');
    expect(checkView(result([0.5, 0.1]), { name: 'steep', lr: 1 }, 30).text).toBe('After 30 steps of one-cycle, the steep suggestion 1 does best of the 2 rates (validation loss 0.1).');
    expect(checkView(result([0.1, NaN]), { name: 'valley', lr: 1 }, 60).text).toContain('(which diverged)');
    expect(checkView(result([NaN, NaN], [true, true]), { name: 'valley', lr: 1 }, 60).text).toBe('All 2 rates diverged within 60 steps of one-cycle.');
  });

  test('it trains on a session of its own, freed after; a new range test drops it, and its refusals say so', async () => {
    const engine = fakeEngine();
    const { rangeTest, seen } = watchedTest(engine);
    const test1 = rangeTest.run({}, { start_lr: 1e-3 });
    await settle();
    engine.release(1);
    await test1;
    const options = verifyOptions(1e-2);
    const checking = rangeTest.verify({}, options, { name: 'valley', lr: 1e-2 });
    await settle();
    expect(seen.views.at(-1)).toMatchObject({ result: { suggestions: {} }, check: { running: true, about: { name: 'valley' }, result: null } });
    const answer = result([0.3, 0.2]);
    engine.answer(2, answer);
    await checking;
    expect(seen.views.at(-1).check).toMatchObject({ running: false, options, result: { diverged: [false, false] } });
    await settle();
    expect(engine.freed.sort()).toEqual([1, 2]);

    const stale = rangeTest.verify({}, options, { name: 'valley', lr: 1e-2 });
    await settle();
    const rerun = rangeTest.run({}, { start_lr: 1e-3 });
    await settle();
    engine.answer(3, answer);
    await stale;
    expect(seen.views.at(-1)).toMatchObject({ running: true, check: null });

    engine.release(4);
    await rerun;
    const refused = rangeTest.verify({}, { candidates: [] }, { name: 'valley', lr: 1 });
    await settle();
    engine.refuse(5, Object.assign(new Error('candidates: must hold 1 to 64 rates'), { field: 'options.candidates' }));
    await refused;
    expect(seen.errors).toEqual([['candidates: must hold 1 to 64 rates', 'options.candidates', 'verify']]);
    expect(seen.views.at(-1).check.running).toBe(false);
  });
});

describe('the check by training over seeds', () => {
  const seed = (losses, diverged = losses.map((l) => !Number.isFinite(l))) => ({ candidates: Float64Array.from([0.1, 1, 10]), validation_loss: Float32Array.from(losses), diverged });

  test('medians per rate, diverged where most seeds diverged, and on how many seeds each rate won', () => {
    const combined = combineSeeds([seed([0.3, 0.2, NaN]), seed([0.1, 0.2, NaN]), seed([0.5, 0.4, 0.9])]);
    expect(Array.from(combined.validation_loss)).toEqual([0.30000001192092896, 0.20000000298023224, 0.8999999761581421]);
    expect(combined.diverged).toEqual([false, false, true]);
    expect(combined.wins).toEqual([1, 2, 0]);
    expect(combined.seeds).toBe(3);
  });

  test('the sentence says how sure: medians over the seeds, and how many the best rate won', () => {
    const combined = combineSeeds([seed([0.3, 0.2, NaN]), seed([0.1, 0.2, NaN]), seed([0.5, 0.4, 0.9])]);
    expect(checkView(combined, { name: 'valley', lr: 1 }, 60).text).toBe(
      'After 60 steps of one-cycle, the valley suggestion 1 does best of the 3 rates (validation loss 0.2). Medians over 3 seeds; that rate did best on 2 of 3 seeds.',
    );
    const unanimous = combineSeeds([seed([0.3, 0.2, 0.4]), seed([0.3, 0.1, 0.4])]);
    expect(checkView(unanimous, { name: 'valley', lr: 0.1 }, 60).text).toContain('does best (validation loss 0.15), 10× above the valley suggestion 0.1 (validation loss 0.3). Medians over 2 seeds; that rate did best on every seed.');
  });
});
