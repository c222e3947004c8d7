// The Layers demo's Lab and Recipe on the real engine (pkg/, in Node, on the CPU path): the
// options its presets and stages send are ones the engine takes, and the transfer it shows holds.
// Needs `make wasm` first.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { sessionApi } from '../../www/worker/session-table.js';
import { FINE_TUNE, Lab, SCRATCH } from '../../www/demos/layers/lab.js';
import { AUGMENT, GROUPS, PRESETS, PRETRAIN_EPOCHS, TASKS, bodyLength, layersFor, planSpec, pretrainOptions, scratchSchedule, stepsPerEpoch, targetOptions } from '../../www/demos/layers/options.js';
import { Recipe, STEPS } from '../../www/demos/layers/recipe.js';
import { emptyTimeline, planTimeline, timelineSteps } from '../../www/demos/layers/timeline.js';

const PKG = new URL('../../pkg/', import.meta.url);
const built = existsSync(new URL('lr_playground_bg.wasm', PKG));
const cpu = (options) => ({ ...options, backend: 'cpu' });
const TASK = TASKS.spiral;
const SEED = 0;

// The worker's api (worker/engine-worker.js) over the package: the same session table, finder and sampler.
async function engineOf() {
  const pkg = await import(new URL('lr_playground.js', PKG).href);
  pkg.initSync({ module: readFileSync(new URL('lr_playground_bg.wasm', PKG)) });
  return {
    session: sessionApi(pkg.Session, Promise.resolve(), { findLr: (session, options, onProgress, signal) => pkg.LrFinder.run(session, options, (point) => (onProgress(point), !signal.aborted)) }),
    planGroups: async (spec) => pkg.planGroups(spec),
    async sample(spec, steps) {
      const schedule = new pkg.Schedule(spec);
      try {
        const total = schedule.totalSteps;
        return schedule.sample(total === undefined ? steps : Math.min(steps, total + 1));
      } finally {
        schedule.free();
      }
    },
  };
}

describe.skipIf(!built)(built ? 'the Layers demo on the engine' : 'the Layers demo on the engine: SKIPPED, pkg/ is absent (run `make wasm`)', () => {
  let engine;
  let lab;
  let body;
  const errors = [];
  beforeAll(async () => {
    engine = await engineOf();
    lab = new Lab(engine, { onUpdate: () => {}, onBackend: () => {}, onError: (e) => errors.push(e.message) });
    const a = TASK.a;
    body = await lab.pretrain(cpu(pretrainOptions(TASK, SEED)), PRETRAIN_EPOCHS * stepsPerEpoch(a), bodyLength(layersFor(a)));
  });

  test('task A converges, and its body is the prefix the target network takes', () => {
    expect(errors).toEqual([]);
    expect(lab.pretraining.report.validation_accuracy).toBeGreaterThan(0.85);
    expect(body).toHaveLength(bodyLength(layersFor(TASK.b)));
  });

  test('every preset plans, trains from the body, and beats the same steps from scratch', async () => {
    const spe = stepsPerEpoch(TASK.b);
    for (const preset of Object.keys(PRESETS)) {
      const plan = await engine.planGroups(planSpec(preset, { epochs: 6, stepsPerEpoch: spe }));
      const options = cpu(targetOptions(TASK, SEED, { fineTune: { init_params: body, phases: plan.phases }, scratch: { schedule: scratchSchedule(plan.steps) } }));
      expect(await lab.open(options, { timeline: planTimeline(plan), frozen: plan.phases[0].frozen, plan, budget: plan.steps })).toBe(true);
      // Run 0 starts from the body: its first layer is task A's, run 1's is not.
      const first = await engine.session.params(lab.target.id, FINE_TUNE);
      expect(Array.from(first.slice(0, 8))).toEqual(Array.from(body.slice(0, 8)));
      expect(await lab.train(plan.steps)).toBe(true);
      expect(lab.target.steps).toBe(plan.steps);
      const [ft, scratch] = lab.report();
      expect(ft.validation_loss, preset).toBeLessThan(scratch.validation_loss);
      // The layer statistics follow the plan's last phase: every group trains at its rate.
      const planned = planTimeline(plan);
      lab.target.stats.forEach((s) => expect(s.lr).toBeCloseTo(planned.lr[s.group][plan.steps - 1], 12));
    }
    expect(errors).toEqual([]);
  });

  test("the whole recipe runs on the engine's own checks, and the fine-tuned network wins", async () => {
    const open = ({ augment, mark, context }) => {
      const schedule = { kind: 'Constant', lr: context.lr };
      const options = targetOptions(TASK, SEED, {
        fineTune: { init_params: mark?.params[FINE_TUNE] ?? body, schedule, frozen: context.frozen, group_lr_mult: context.mult },
        scratch: { ...(mark && { init_params: mark.params[SCRATCH] }), schedule },
        augment: augment ? AUGMENT : null,
      });
      return lab.open(cpu(options), { timeline: emptyTimeline(GROUPS.length), frozen: context.frozen, record: mark?.record ?? null });
    };
    let view;
    const recipe = new Recipe(lab, { open, sample: engine.sample, stepsPerEpoch: stepsPerEpoch(TASK.b), groups: GROUPS.length, onUpdate: (v) => (view = v) });
    expect(await recipe.reset()).toBe(true);
    for (let i = 0; i < 4; i++) expect(await recipe.next()).toBe(true);
    // Steps 3 and 4 trained the head alone: the body keeps task A's weights, the head has moved.
    const params = await engine.session.params(lab.target.id, FINE_TUNE);
    expect(Array.from(params.slice(0, body.length))).toEqual(Array.from(body));
    expect(view.steps[3].report.after[FINE_TUNE]).toBeLessThan(view.steps[2].report.before[FINE_TUNE]);
    expect(await recipe.runAll()).toBe(true);
    expect(errors).toEqual([]);
    expect(view.steps.map((s) => s.state)).toEqual(STEPS.map(() => 'done'));
    // ... until step 5 unfroze it.
    const after = await engine.session.params(lab.target.id, FINE_TUNE);
    expect(Array.from(after.slice(0, body.length))).not.toEqual(Array.from(body));
    // lr_find's steps are undone: the record holds only the training stages.
    const trained = view.steps.filter((s) => !s.report.undone).reduce((n, s) => n + s.report.steps, 0);
    expect(lab.target.steps).toBe(trained);
    expect(timelineSteps(lab.target.timeline)).toBe(trained);
    expect(view.verdict.better).toBe(true);
    expect(view.verdict.fineTune.accuracy).toBeGreaterThan(view.verdict.scratch.accuracy);
  });
});
