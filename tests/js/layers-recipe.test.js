import { describe, expect, test } from 'vitest';
import { FIND_OPTIONS, FIRST_LR, Recipe, STEPS, validationLosses } from '../../www/demos/layers/recipe.js';
import { timelineSteps } from '../../www/demos/layers/timeline.js';

const SPE = 10;

// The Lab's recipe-facing api, in memory: it records every call; each training step lowers the
// fine-tuning run's validation loss by `gain(step)` (the scratch run's by half as much).
function fakeLab({ gain = () => 0.001, suggestion = 0.02 } = {}) {
  const calls = [];
  const lab = {
    calls,
    target: null,
    sessions: 0,
    losses: [1, 1.2],
    open(options) {
      calls.push(['open', structuredClone(options)]);
      lab.sessions += 1;
      const record = options.mark?.record;
      lab.target = { steps: record?.steps ?? 0, timeline: record?.timeline ?? { lr: [[], [], []], frozen: [[], [], []] } };
      if (record) lab.losses = record.losses.slice();
      else lab.losses = [1, 1.2];
      return Promise.resolve(true);
    },
    async update(updates, stage) {
      calls.push(['update', structuredClone(updates)]);
      if (stage) stage.lr.forEach((column, g) => lab.target.timeline.lr[g].push(...column));
      return true;
    },
    async train(steps) {
      calls.push(['train', steps]);
      for (let t = 0; t < steps; t++) {
        const g = gain(lab.target.steps);
        lab.losses = [lab.losses[0] - g, lab.losses[1] - g / 2];
        lab.target.steps += 1;
      }
      return true;
    },
    async findLr(options) {
      calls.push(['findLr', options]);
      const suggestions = suggestion === null ? { valley: { lr: null, reason: 'valley needs at least 1 point' }, slide: { lr: null } } : { valley: { lr: suggestion, index: 50 } };
      // The engine's group_lrs: the suggestion times the multipliers the recipe set last.
      const mult = calls.filter(([name, u]) => name === 'update' && u[0]?.group_lr_mult).at(-1)?.[1][0].group_lr_mult ?? [1, 1, 1];
      const group_lrs = { valley: suggestion === null ? null : Float64Array.from(mult, (m) => m * suggestion) };
      return { lrs: [1e-7, 1], runs: [{ losses: new Array(80).fill(1), smoothed: [1, 1], suggestions, group_lrs }, { losses: [], smoothed: [], suggestions: {} }] };
    },
    async mark() {
      return { params: ['p0', 'p1'], record: { steps: lab.target.steps, losses: lab.losses.slice(), timeline: structuredClone(lab.target.timeline) } };
    },
    // Five seeds, each pair [fine-tune, scratch] at the runs' losses.
    report() {
      return Array.from({ length: 5 }, () => lab.losses.map((loss) => ({ validation_loss: loss, validation_accuracy: 1 - loss }))).flat();
    },
  };
  return lab;
}

function recipeOn(lab, settings = {}) {
  const views = [];
  let clock = 0;
  const recipe = new Recipe(lab, {
    open: (args) => lab.open(args),
    sample: async (spec, steps) => ({ lr: new Float64Array(steps).fill(spec.lr_max) }),
    stepsPerEpoch: SPE,
    groups: 3,
    settings,
    now: () => (clock += 5),
    onUpdate: (view) => views.push(view),
  });
  return { recipe, views };
}

const updatesOf = (lab) => lab.calls.filter(([name]) => name === 'update').map(([, u]) => u);

describe('the eight-step recipe', () => {
  test('run as one: every step in order, each saying what it changed and what it cost', async () => {
    const lab = fakeLab();
    const { recipe, views } = recipeOn(lab);
    expect(await recipe.reset()).toBe(true);
    expect(lab.calls[0][1]).toMatchObject({ augment: false, mark: null, context: { frozen: [true, true, false], mult: [1, 1, 1], lr: FIRST_LR } });
    expect(await recipe.runAll()).toBe(true);

    const view = views.at(-1);
    expect(view.steps.map((s) => s.state)).toEqual(new Array(8).fill('done'));
    expect(view.next).toBe(STEPS.length);
    // lr_find twice, fastai's way, on the session as the recipe has it.
    expect(lab.calls.filter(([name]) => name === 'findLr').map(([, o]) => o)).toEqual([FIND_OPTIONS, FIND_OPTIONS]);
    // Step 4 with augmentation asked for (step 1): precompute off, the same runs on augmented batches.
    const opens = lab.calls.filter(([name]) => name === 'open');
    expect(opens).toHaveLength(2);
    expect(opens[1][1]).toMatchObject({ augment: true, mark: { params: ['p0', 'p1'], record: { steps: SPE } }, context: { frozen: [true, true, false] } });

    const updates = updatesOf(lab);
    // Step 3: one cycle, the body frozen, at lr_find's rate; run 1 (from scratch) trains every layer.
    const head = updates.find((u) => u[0]?.schedule?.kind === 'fit_one_cycle');
    expect(head[0]).toEqual({ schedule: { kind: 'fit_one_cycle', n_epoch: 1, steps_per_epoch: SPE, lr_max: 0.02 }, group_lr_mult: [1, 1, 1], frozen: [true, true, false] });
    expect(head[1]).toEqual({ schedule: head[0].schedule, group_lr_mult: [1, 1, 1], frozen: [false, false, false] });
    // Step 4: two one-epoch cosine cycles.
    expect(updates.find((u) => u[0]?.schedule?.cycle_mult === 1)[0].schedule).toEqual({ kind: 'fit_sgdr', n_cycles: 2, cycle_len: 1, cycle_mult: 1, steps_per_epoch: SPE, lr_max: 0.02 });
    // Steps 5 and 6: everything trains, each group 3x slower than the next.
    const last = updates.find((u) => u[0]?.schedule?.cycle_mult === 2)[0];
    expect(last.frozen).toEqual([false, false, false]);
    expect(last.group_lr_mult).toEqual([1 / 9, 1 / 3, 1]);
    expect(last.schedule).toEqual({ kind: 'fit_sgdr', n_cycles: 3, cycle_len: 1, cycle_mult: 2, steps_per_epoch: SPE, lr_max: 0.02 });

    // Costs: training steps per step; lr_find's are undone; the losses before and after.
    const reports = view.steps.map((s) => s.report);
    expect(reports.map((r) => r.steps)).toEqual([0, 80, SPE, 2 * SPE, 0, 0, 80, 7 * SPE]);
    expect(reports[1].undone).toBe(true);
    expect(reports[2].before).toEqual([1, 1.2]);
    expect(reports[2].after[0]).toBeCloseTo(1 - 0.001 * SPE, 10);
    expect(reports[2].ms).toBeGreaterThan(0);
    expect(reports[5].changed).toContain('lr/9, lr/3, lr');
    expect(reports[1].changed).toBe('valley suggests 0.02 for the head: group 2 0.02. 80 steps of a rising rate, then the weights put back.');
    expect(reports[6].changed).toBe('valley suggests 0.02 for the head: group 0 0.00222, group 1 0.00667, group 2 0.02. 80 steps of a rising rate, then the weights put back.');
    expect(reports[7].changed).toMatch(/^SGDR \(cycle_len=1, cycle_mult=2\): 3 cycles, the validation loss after each [\d.]+ → [\d.]+ → [\d.]+\.$/);
    expect(view.verdict).toMatchObject({ winner: 'fine-tuning', better: true, seeds: 5, fineTune: { loss: lab.losses[0] }, scratch: { loss: lab.losses[1] } });
    // The timeline holds the rates of every step trained.
    expect(timelineSteps(lab.target.timeline)).toBe(lab.target.steps);
  });

  test('step 8 stops once a cycle ends no better than the one before', async () => {
    // Steps 3 and 4 take 30 steps; SGDR's first cycle (steps 30-39) makes the loss worse, and still
    // the second runs; it gains; the third (steps 60-99) loses again: no fourth.
    const lab = fakeLab({ gain: (t) => (t < 30 ? 0.001 : t < 40 ? -0.001 : t < 60 ? 0.001 : -0.001) });
    const { recipe, views } = recipeOn(lab, { maxCycles: 4 });
    await recipe.reset();
    await recipe.runAll();
    const trains = lab.calls.filter(([name]) => name === 'train').map(([, n]) => n);
    // 1 epoch, 2 epochs, then SGDR cycles of 1, 2 and 4 epochs.
    expect(trains).toEqual([SPE, 2 * SPE, SPE, 2 * SPE, 4 * SPE]);
    const report = views.at(-1).steps[7].report;
    expect(report.changed).toMatch(/^SGDR \(cycle_len=1, cycle_mult=2\): cycle 3 ended at a validation loss of [\d.]+, no better than cycle 2's [\d.]+, so training stopped after 3 of 4 cycles\.$/);
    // The planned cycles that never ran leave the timeline.
    expect(updatesOf(lab).at(-1)).toEqual([]);
  });

  test('skipping step 1 leaves augmentation out: step 4 trains the same session', async () => {
    const lab = fakeLab();
    const { recipe, views } = recipeOn(lab);
    await recipe.reset();
    expect(await recipe.skip()).toBe(true);
    expect(await recipe.skip(3)).toBe(false); // only the next step is skipped
    for (let i = 1; i < 4; i++) expect(await recipe.next()).toBe(true);
    expect(lab.calls.filter(([name]) => name === 'open')).toHaveLength(1);
    const view = views.at(-1);
    expect(view.steps.map((s) => s.state)).toEqual(['skipped', 'done', 'done', 'done', 'pending', 'pending', 'pending', 'pending']);
    expect(view.steps[3].report.changed).toContain('no augmentation (step 1 skipped)');
    expect(view.verdict).toBeNull();
  });

  test('a step is redone from the weights it started from, with changed settings, and the later steps undone', async () => {
    const lab = fakeLab();
    const { recipe, views } = recipeOn(lab);
    await recipe.reset();
    for (let i = 0; i < 6; i++) await recipe.next();
    expect(recipe.context.mult).toEqual([1 / 9, 1 / 3, 1]);
    // Step 8 cannot run before step 7; a pending step is not redone.
    expect(await recipe.run(7)).toBe(false);

    // Redo step 3 (index 2): back to its mark, every later step pending again.
    const opens = lab.calls.filter(([name]) => name === 'open').length;
    recipe.setSettings({ headEpochs: 2 });
    expect(await recipe.run(2)).toBe(true);
    const reopened = lab.calls.filter(([name]) => name === 'open');
    expect(reopened).toHaveLength(opens + 1);
    expect(reopened.at(-1)[1]).toMatchObject({ augment: false, mark: { record: { steps: 0 } }, context: { frozen: [true, true, false], mult: [1, 1, 1], lr: 0.02 } });
    const view = views.at(-1);
    expect(view.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'pending', 'pending', 'pending', 'pending', 'pending']);
    expect(view.steps[2].report.steps).toBe(2 * SPE);
    expect(view.steps[2].report.changed).toContain('fit_one_cycle(2, 0.02)');
    expect(lab.target.steps).toBe(2 * SPE);

    // Step 6 again with another factor.
    recipe.setSettings({ factor: 4 });
    for (let i = 3; i < 6; i++) await recipe.next();
    expect(recipe.context.mult).toEqual([1 / 16, 1 / 4, 1]);
  });

  test('lr_find without a suggestion keeps the rate and says why', async () => {
    const lab = fakeLab({ suggestion: null });
    const { recipe, views } = recipeOn(lab);
    await recipe.reset();
    await recipe.skip();
    await recipe.next();
    expect(recipe.context.lr).toBe(FIRST_LR);
    expect(views.at(-1).steps[1].report.changed).toMatch(/^No suggestion \(valley needs at least 1 point\): the rate stays 0\.001/);
  });

  test('a step the engine fails is marked failed, and can be run again', async () => {
    const lab = fakeLab();
    const { recipe, views } = recipeOn(lab);
    await recipe.reset();
    await recipe.skip();
    await recipe.next();
    lab.train = async () => false;
    expect(await recipe.next()).toBe(false);
    expect(views.at(-1).steps[2]).toMatchObject({ state: 'failed' });
    expect(views.at(-1).next).toBe(2);
  });

  test("each arm's validation loss is its seeds' median", () => {
    expect(validationLosses(null)).toEqual([null, null]);
    const report = [0.2, 0.5, 0.3, 0.4, 0.1, 0.9].map((validation_loss) => ({ validation_loss }));
    expect(validationLosses(report)).toEqual([0.2, 0.5]);
    expect(validationLosses([{}, { validation_loss: 0.5 }])).toEqual([null, 0.5]);
  });
});
