import { describe, expect, test } from 'vitest';
import layers from '../../www/demos/layers/index.js';
import { FINE_TUNE, GROUPS, SCRATCH, SCRATCH_CANDIDATES, SEEDS, TASKS, armRuns, bestCandidate, bodyLength, layersFor, planSpec, pretrainOptions, runOf, stepsPerEpoch, targetOptions } from '../../www/demos/layers/options.js';
import { STATE, recipeSettings } from '../../www/demos/layers/state.js';
import { defaultSettings } from '../../www/demos/layers/recipe.js';
import { pageSchema } from '../../www/state.js';

const schema = pageSchema([layers]);

describe('the Layers demo settings', () => {
  test('the body is every Linear layer but the head, in params() order', () => {
    // 2→32, 32→32, 32→32 (weights and biases); the head 32→3 is left out.
    expect(bodyLength([2, 32, 32, 32, 3])).toBe(2 * 32 + 32 + 2 * (32 * 32 + 32));
    expect(bodyLength(layersFor(TASKS.spiral.a))).toBe(bodyLength(layersFor(TASKS.spiral.b)));
    expect(layersFor(TASKS.spiral.a).at(-1)).toBe(8);
    expect(layersFor(TASKS.spiral.b).at(-1)).toBe(3);
    // Digits: 64 inputs; the body moves over from 0–4 to 5–9 unchanged.
    expect(layersFor(TASKS.digits.a)).toEqual([64, 32, 32, 32, 10]);
    expect(bodyLength(layersFor(TASKS.digits.a))).toBe(bodyLength(layersFor(TASKS.digits.b)));
    expect(TASKS.digits.b.data).toEqual({ kind: 'digits', classes: [5, 6, 7, 8, 9], n: 125 });
    // 20 training examples a class: 100 rows, 10 steps of 10 an epoch.
    expect(stepsPerEpoch(TASKS.digits.b)).toBe(10);
    // One group per block of the diagram, covering every Linear layer in order.
    expect(GROUPS.flat()).toEqual([0, 1, 2, 3]);
  });

  test('steps per epoch count full batches of the training rows', () => {
    // 240 points, 48 held out: 192 rows in batches of 16.
    expect(stepsPerEpoch(TASKS.spiral.b)).toBe(12);
    expect(stepsPerEpoch(TASKS.spiral.a)).toBe(40);
  });

  test('each preset is a planGroups spec with the same groups and epoch length', () => {
    const specs = ['fine_tune', 'slice', 'ulmfit', 'one_rate'].map((p) => planSpec(p, { epochs: 5, stepsPerEpoch: 12 }));
    expect(specs.map((s) => s.method)).toEqual(['fine_tune', 'fit_one_cycle', 'gradual_unfreezing', 'fit_one_cycle']);
    for (const s of specs) expect(s).toMatchObject({ n_groups: 3, steps_per_epoch: 12 });
    // fastai's fine_tune defaults.
    expect(specs[0]).toMatchObject({ epochs: 5, base_lr: 2e-3, freeze_epochs: 1, lr_mult: 100, pct_start: 0.3, div: 5 });
    expect(specs[1].lr_max).toEqual({ slice: [1e-4, 1e-2] });
    expect(specs[2]).toMatchObject({ factor: 2.6, lr_max: 1e-2 });
    expect(specs[3].lr_max).toBe(1e-2);
    expect(() => planSpec('adam', { epochs: 1, stepsPerEpoch: 1 })).toThrow('preset: unknown preset adam');
  });

  test('task B pairs the arms seed by seed: the same head seed and batch order, each arm carrying what it is given', () => {
    const options = targetOptions(TASKS.spiral, 4, { fineTune: (k) => ({ init_params: [k], phases: [] }), scratch: { schedule: { kind: 'Constant', lr: 1 } }, augment: { jitter: 0.1 } });
    expect(SEEDS).toBe(5);
    expect(options.runs).toHaveLength(2 * SEEDS);
    expect(options.runs.slice(0, 4)).toEqual([
      { seed: 6, init_params: [0], phases: [] },
      { seed: 6, schedule: { kind: 'Constant', lr: 1 } },
      { seed: 7, data_seed: 5, init_params: [1], phases: [] },
      { seed: 7, data_seed: 5, schedule: { kind: 'Constant', lr: 1 } },
    ]);
    // Seed k's pair sits at runOf(arm, k); every seed has its own weights and batch order.
    for (let k = 0; k < SEEDS; k++) {
      const [ft, scratch] = [runOf(FINE_TUNE, k), runOf(SCRATCH, k)].map((r) => options.runs[r]);
      expect(ft.init_params).toEqual([k]);
      expect(scratch.schedule.lr).toBe(1);
      expect([ft.seed, ft.data_seed]).toEqual([scratch.seed, scratch.data_seed]);
    }
    expect(new Set(options.runs.map((r) => r.seed)).size).toBe(SEEDS);
    expect(new Set(options.runs.map((r) => r.data_seed)).size).toBe(SEEDS);
    expect(armRuns(FINE_TUNE, options.runs.length)).toEqual([0, 2, 4, 6, 8]);
    expect(armRuns(SCRATCH, options.runs.length)).toEqual([1, 3, 5, 7, 9]);
    expect(armRuns(SCRATCH, 3)).toEqual([1]);
    expect(options.data).toMatchObject({ kind: 'spiral', arms: 3, rotation: 40, augment: { jitter: 0.1 }, seed: 5 });
    expect(targetOptions(TASKS.moons, 0, { fineTune: {}, scratch: {} }).data).not.toHaveProperty('augment');
    const a = pretrainOptions(TASKS.spiral, 4);
    expect(a.layers).toEqual([2, 32, 32, 32, 8]);
    // One body per seed, each from its own weights and batches.
    expect(a.runs.map((r) => [r.seed, r.data_seed])).toEqual([[4, undefined], [5, 5], [6, 6], [7, 7], [8, 8]]);
    a.runs.forEach((r) => expect(r.schedule).toMatchObject({ kind: 'fit_one_cycle', steps_per_epoch: 40 }));
  });

  test("the largest seed a link may hold keeps every run's seeds within the engine's u32", () => {
    const largest = STATE.find((e) => e.key === 'seed').max;
    const seeds = (options) => options.runs.flatMap((r) => [r.seed, r.data_seed ?? 0]).concat(options.seed, options.data.seed);
    for (const options of [pretrainOptions(TASKS.spiral, largest), targetOptions(TASKS.spiral, largest, { fineTune: {}, scratch: {} })]) {
      expect(Math.max(...seeds(options))).toBeLessThanOrEqual(2 ** 32 - 1);
    }
  });

  test('the state round-trips through a link, and bad values fall back with a notice', () => {
    const state = { ...schema.defaults(), demo: 'layers' };
    expect(state.layers).toEqual({ task: 'spiral', seed: 0, preset: 'fine_tune', epochs: 6, factor: 3, headepochs: 1, headcycles: 2, cycles: 3, own: false });
    expect(recipeSettings(state.layers)).toEqual(defaultSettings());
    const changed = { ...state, layers: { ...state.layers, task: 'moons', preset: 'ulmfit', factor: 7.5, cycles: 5, seed: 12, own: true } };
    expect(schema.parse(`#${schema.serialize(changed)}`)).toEqual({ state: changed, notices: [] });
    const bad = schema.parse('#demo=layers&preset=adam&factor=11&headepochs=3&task=mnist');
    expect(bad.state.layers).toEqual(state.layers);
    expect(bad.notices).toEqual([
      'Ignored task="mnist" from the link: expected one of spiral, moons, digits; using the default.',
      'Ignored preset="adam" from the link: expected one of fine_tune, slice, ulmfit, one_rate; using the default.',
      'Ignored factor="11" from the link: expected a number in [3, 10]; using the default.',
      'Ignored headepochs="3" from the link: expected an integer in [1, 2]; using the default.',
    ]);
  });
});

describe('tuning the from-scratch baseline', () => {
  test('the best candidate has the lowest median validation loss over the seeds, a diverged training counting as the worst', () => {
    expect(SCRATCH_CANDIDATES.length).toBeGreaterThanOrEqual(5);
    const check = (validation_loss, diverged = validation_loss.map(() => false)) => ({ candidates: [1, 2, 3], validation_loss, diverged });
    expect(bestCandidate([check([0.5, 0.1, 0.05], [false, false, true])])).toBe(2);
    // Rate 3 is best in two seeds of three but diverges in the third: its median is still lowest.
    expect(bestCandidate([check([0.5, 0.1, 0.05]), check([0.5, 0.1, 0.06]), check([0.5, 0.1, NaN], [false, false, true])])).toBe(3);
    // Diverging in two of three puts its median at the worst: rate 2 wins.
    expect(bestCandidate([check([0.5, 0.1, 0.05]), check([0.5, 0.1, NaN], [false, false, true]), check([0.5, 0.1, NaN], [false, false, true])])).toBe(2);
    // A median, not a mean: one seed's bad loss does not sink rate 2.
    expect(bestCandidate([check([0.3, 0.2, 0.4]), check([0.3, 0.2, 0.4]), check([0.3, 9, 0.4])])).toBe(2);
    expect(bestCandidate([{ candidates: [1, 2], validation_loss: [NaN, NaN], diverged: [true, true] }])).toBeNull();
  });
});
