// The wasm package exactly as the page gets it, loaded in Node. Needs `make wasm` first.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import train from '../../www/demos/train/index.js';
import { pageSchema } from '../../www/state.js';

const PKG = new URL('../../pkg/', import.meta.url);
// The Train demo's state from an empty link, a good run, and a bad value for each setting.
const defaults = () => pageSchema([train]).defaults().train;
const DEFAULT_RUN = defaults().runs[0];
const BAD_SETTINGS = { data: 'mnist', noise: 2, points: 3, hidden: [0], activation: 'swish', batch: 0 };
const built = existsSync(new URL('lr_playground_bg.wasm', PKG));
if (!built) console.warn('pkg.test.js: SKIPPED, pkg/ is absent (run `make wasm` first)');

async function load() {
  const pkg = await import(new URL('lr_playground.js', PKG).href);
  pkg.initSync({ module: readFileSync(new URL('lr_playground_bg.wasm', PKG)) });
  return pkg;
}

describe.skipIf(!built)(built ? 'pkg/ in Node' : 'pkg/ in Node: SKIPPED, pkg/ is absent (run `make wasm`)', () => {
  test('StepLR samples as PyTorch does', async () => {
    const { Schedule } = await load();
    const schedule = new Schedule({ kind: 'StepLR', lr: 0.1, step_size: 3, gamma: 0.5 });
    expect(Array.from(schedule.sample(7).lr)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
    schedule.free();
  });

  test('a bad spec throws an Error naming the field and its range', async () => {
    const { Schedule } = await load();
    // "CyclicLR.step_size_up: ..." before the engine named fields, "step_size_up (CyclicLR): ..." since.
    expect(() => new Schedule({ kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 0 })).toThrow(
      /\bstep_size_up\b.*: must be an integer in \[1, \d+\], got 0$/,
    );
  });

  test('every preset of the page builds', async () => {
    const { Schedule } = await load();
    const { PRESETS } = await import('../../www/demos/schedules/presets.js');
    for (const spec of PRESETS.flatMap((p) => p.schedules)) new Schedule(spec).free();
  });

  test("the Train demo's settings build Sessions: the defaults, every data kind, every optimizer", async () => {
    const { Session } = await load();
    const { sessionOptions } = await import('../../www/demos/train/options.js');
    const session = await Session.create(sessionOptions(defaults()));
    const { losses, runs } = await session.step(4);
    expect(runs).toBe(3);
    expect(losses.every(Number.isFinite)).toBe(true);
    // The heatmap's points: 80% of the 400 for training, two features, classes 0 and 1.
    const { x, y, features } = session.trainingData();
    expect([x.length, y.length, features]).toEqual([640, 320, 2]);
    expect(new Set(y)).toEqual(new Set([0, 1]));
    session.destroy();
    const { optimizers } = Session.optionFields();
    const { dataKinds } = await import('../../www/data-sets.js');
    const kinds = dataKinds(Session.optionFields());
    expect(kinds).toContain('digits');
    for (const data of kinds) (await Session.create(sessionOptions({ ...defaults(), data }))).destroy();
    for (const [kind, fields] of Object.entries(optimizers)) {
      const optimizer = { kind, ...Object.fromEntries(fields.map((f) => [f.name, f.default])) };
      (await Session.create(sessionOptions({ ...defaults(), optimizer }))).destroy();
    }
  });

  test('a CSV table trains as the page sends it, and predictSet gives every validation row with its predictions', async () => {
    const { Session } = await load();
    const { sessionOptions } = await import('../../www/demos/train/options.js');
    const { withOwnData } = await import('../../www/data-input/own-data.js');
    const { parseTable } = await import('../../www/data-input/table.js');
    const rows = Array.from({ length: 50 }, (_, i) => `${i % 5},${(i * 7) % 11},${i % 3},${['a', 'b', 'c'][i % 3]}`);
    const table = parseTable(['p,q,r,label', ...rows].join('\n'));
    const session = await Session.create({ ...withOwnData(sessionOptions(defaults()), table), backend: 'cpu' });
    await session.step(8);
    const set = session.predictSet(1, { set: 'validation' });
    expect([set.features, set.outputs, set.y.length]).toEqual([3, 3, 10]);
    expect(set.x).toHaveLength(30);
    expect(set.predictions).toHaveLength(30);
    expect(set.predictions.every(Number.isFinite)).toBe(true);
    expect(session.predictSet(0).y).toHaveLength(40);
    expect(() => session.predictSet(7, { set: 'validation' })).toThrow(/run/);
    expect(() => session.predictSet(0, { set: 'test' })).toThrow(/set/);
    session.destroy();
    // 256 features are taken, as the page's limit says.
    const wide = Array.from({ length: 2 }, (_, i) => [...Array.from({ length: 256 }, (_, j) => j + i), i].join(','));
    const wideTable = parseTable(wide.join('\n'));
    (await Session.create({ ...withOwnData(sessionOptions(defaults()), wideTable, { validation: 0 }), batch_size: 1, backend: 'cpu' })).destroy();
  });

  test("the Train demo's settings are engine options under the page's names, and each is refused", async () => {
    const { Session } = await load();
    const { sessionOptions, settingFields } = await import('../../www/demos/train/options.js');
    const engine = Session.optionFields();
    const fields = settingFields(engine);
    expect(fields.data.choices).toEqual([...engine.data_kinds, 'digits']);
    expect(fields.activation.choices).toContain('relu');
    for (const [key, value] of Object.entries(BAD_SETTINGS)) {
      expect(fields[key], key).toMatchObject({ name: key, required: true, type: expect.any(String), description: expect.any(String) });
      await expect(Session.create(sessionOptions({ ...defaults(), [key]: value })), key).rejects.toBeInstanceOf(Error);
    }
  });

  test("the engine's Errors name the field the demos place them by", async () => {
    const { Schedule, Session } = await load();
    const { OPTION_PATH, sessionOptions } = await import('../../www/demos/train/options.js');
    const { below } = await import('../../www/field-errors.js');
    const scheduleError = (spec) => {
      try {
        new Schedule(spec).free();
      } catch (err) {
        return err;
      }
    };
    expect(scheduleError({ kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 0 }).field).toBe('step_size_up');
    const nested = { kind: 'SequentialLR', schedules: [{ kind: 'Constant', lr: 0.1 }, { kind: 'ExponentialLR', lr: 0.1, gamma: 0 }], milestones: [10] };
    expect(scheduleError(nested).field).toBe('schedules[1].gamma');
    const createError = (patch) => Session.create(sessionOptions({ ...defaults(), ...patch })).then(() => null, (err) => err);
    for (const [key, value] of Object.entries(BAD_SETTINGS)) {
      const err = await createError({ [key]: value });
      expect(below(err.field, OPTION_PATH[key]), `${key}: ${err.field}`).not.toBeNull();
    }
    const badRun = { schedule: { kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 0 } };
    expect((await createError({ runs: [DEFAULT_RUN, badRun] })).field).toBe('runs[1].schedule.step_size_up');
    expect((await createError({ optimizer: { kind: 'sgd', momentum: 2 } })).field).toBe('optimizer.momentum');
  });

  test('kinds() describes every field the page builds controls from', async () => {
    const { Schedule } = await load();
    const types = new Set(['float', 'int', 'bool', 'choice', 'int_list', 'float_list', 'schedules', 'json']);
    for (const kind of Schedule.kinds()) {
      expect(['pytorch', 'fastai', 'ulmfit', 'lr-playground', 'transformers', 'timm', 'optax', 'keras']).toContain(kind.library);
      for (const field of kind.fields) expect(types).toContain(field.type);
    }
  });

  test('ReduceLROnPlateau replays metrics as PyTorch steps it, and refuses what is not a metric', async () => {
    const { Schedule } = await load();
    const plateau = new Schedule({ kind: 'ReduceLROnPlateau', lr: 0.1, factor: 0.5, patience: 2 });
    const replay = plateau.replay([1.0, 0.9, 0.9, 0.9, 0.9]);
    expect(Array.from(replay.lr)).toEqual([0.1, 0.1, 0.1, 0.1, 0.05]);
    expect(Array.from(replay.num_bad_epochs)).toEqual([0, 0, 1, 2, 0]);
    expect(Array.from(replay.best)).toEqual([1.0, 0.9, 0.9, 0.9, 0.9]);
    expect(plateau.lrAt(1000)).toBe(0.1);
    const thrown = (f) => {
      try {
        f();
      } catch (err) {
        return err;
      }
      throw new Error('did not throw');
    };
    const bad = thrown(() => plateau.replay([0.5, 'low']));
    expect([bad.field, bad.message]).toEqual(['metrics[1]', 'metrics[1]: must be a number, got "low"']);
    const other = thrown(() => new Schedule({ kind: 'StepLR', step_size: 3 }).replay([1]));
    expect(other.field).toBe('metrics');
    plateau.free();
  });

  test('a Train run with ReduceLROnPlateau reports its scheduler after each evaluation', async () => {
    const { Session } = await load();
    const { sessionOptions } = await import('../../www/demos/train/options.js');
    const run = { eval_every: 4, schedule: { kind: 'ReduceLROnPlateau', lr: 0.05, patience: 1 } };
    const session = await Session.create(sessionOptions({ ...defaults(), runs: [DEFAULT_RUN, run] }));
    expect(session.evaluate()[0].plateau).toBeUndefined();
    await session.step(8);
    const { plateau, validation_loss } = session.evaluate()[1];
    expect(plateau).toMatchObject({ lr: 0.05, patience: 1, evaluations: 2, next_evaluation: 12 });
    expect(plateau.best).toBeLessThanOrEqual(validation_loss + 1e-6);
    session.destroy();
  });

  test("step(n)'s work bound counts the evaluations that feed ReduceLROnPlateau", async () => {
    const { Session } = await load();
    const wide = { backend: 'cpu', layers: [2, 1024, 1024, 2], activation: 'relu', batch_size: 32 };
    const data = { kind: 'circle', n: 2000, seed: 7, validation_fraction: 0.5 };
    const refusal = async (run) => {
      const session = await Session.create({ ...wide, data, runs: [run] });
      try {
        session.step(1e5);
      } catch (err) {
        return err.message;
      } finally {
        session.destroy();
      }
      throw new Error('did not throw');
    };
    expect(await refusal({ schedule: { kind: 'Constant', lr: 0.01 } })).toBe('steps: must be at most 21 for this network, batch size and number of runs (more would be too much work to run at once), got 100000');
    // 1000 validation rows × 1054722 parameters after every step leave room for one step.
    expect(await refusal({ eval_every: 1, schedule: { kind: 'ReduceLROnPlateau', lr: 0.01 } })).toBe(
      "steps: must be at most 1 for this network, batch size, number of runs and ReduceLROnPlateau's evaluations (more would be too much work to run at once), got 100000",
    );
  });

  test("the engine's limit on a range test's batches is a sentence the page shows as it is", async () => {
    const { LrFinder, Session } = await load();
    const { errorText } = await import('../../www/messages.js');
    const data = { kind: 'circle', n: 200, seed: 7 };
    const session = await Session.create({ backend: 'cpu', layers: [2, 1024, 1024, 2], batch_size: 32, data, runs: [{ schedule: { kind: 'Constant' } }] });
    let refusal;
    try {
      LrFinder.run(session, { num_it: 200 });
    } catch (err) {
      refusal = err;
    }
    session.destroy();
    expect(refusal?.field).toBe('num_it');
    expect(refusal.message).toBe('num_it: must be at most 21 for this network, batch size and number of seeds (more would be too much work to run at once), got 200');
    expect(errorText(refusal)).toBe(refusal.message);
  });

  // `using` calls [Symbol.dispose]() as its block ends (Node 20 has the symbol, not the syntax).
  test('every owning class frees on Symbol.dispose, as `using` does, at once', async () => {
    const { LrFinder, Schedule, Session, Snapshot } = await load();
    for (const owning of [LrFinder, Schedule, Session, Snapshot]) {
      expect(owning.prototype[Symbol.dispose], owning.name).toBe(owning.prototype.free);
    }
    const data = { kind: 'circle', n: 64 };
    const session = await Session.create({ backend: 'cpu', layers: [2, 4, 2], data, runs: [{ schedule: { kind: 'Constant' } }] });
    const snapshot = session.snapshot();
    snapshot[Symbol.dispose]();
    expect(() => session.restore(snapshot)).toThrow();
    session[Symbol.dispose]();
    expect(() => session.runs).toThrow();
  });

  test('sessions a loop never frees meet the memory budget as an Error naming what to free', async () => {
    const { Session } = await load();
    const runs = [1, 2, 3, 4].map((seed) => ({ seed, schedule: { kind: 'Constant' } }));
    const options = { backend: 'cpu', layers: [2, 256, 256, 2], batch_size: 16, data: { kind: 'circle', n: 64 }, runs };
    // Snapshots never freed fill most of the budget cheaply; then sessions, never destroyed.
    const kept = await Session.create(options);
    const snapshots = [];
    for (;;) {
      try {
        snapshots.push(kept.snapshot());
      } catch (e) {
        expect(e.message).toMatch(/^Session\.snapshot: needs 5\.\d MB more/);
        break;
      }
    }
    for (const s of snapshots.splice(0, 20)) s.free();
    const held = [];
    let refusal;
    while (!refusal && held.length < 100) {
      await Session.create(options).then((s) => held.push(s), (e) => { refusal = e; });
    }
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal.message).toMatch(/^Session\.create: needs 5\.\d MB more, and the engine already holds \d+\.\d MB of its 1024 MB memory budget: call destroy\(\) on the Sessions/);
    expect(held.length).toBeGreaterThan(10);
    for (const s of held) s[Symbol.dispose]();
    (await Session.create(options)).destroy();
    for (const s of snapshots) s.free();
    kept.destroy();
  }, 60_000);
});
