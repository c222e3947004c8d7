// The package's types at work: results typed without a cast, and the mistakes an editor must
// catch (each `@ts-expect-error` line fails the compile if it stops being an error).
import init, {
  LrFinder,
  Schedule,
  Session,
  planGroups,
  trajectory,
  type PlanSpec,
  type RangeTestResult,
  type ScheduleKindInfo,
  type ScheduleSpec,
  type SessionOptions,
  type StepResult,
} from 'lr-playground';

await init();

const warmup: ScheduleSpec = { kind: 'LinearLR', lr: 0.1, start_factor: 0.1, total_iters: 100 };
const spec: ScheduleSpec = {
  kind: 'SequentialLR',
  schedules: [warmup, { kind: 'CosineAnnealingLR', lr: 0.1, T_max: 900 }],
  milestones: [100],
};
const schedule = new Schedule(spec);
const lr: Float64Array = schedule.sample(10).lr;
const momentum: Float64Array | null = schedule.sample(10).momentum;
const kinds: ScheduleKindInfo[] = Schedule.kinds();
const library: 'pytorch' | 'fastai' | 'ulmfit' | 'transformers' | 'timm' | 'optax' | 'keras' | 'lr-playground' = kinds[0].library;

const options: SessionOptions = {
  layers: [2, 16, 2],
  optimizer: { kind: 'AdamW', weight_decay: 0.01 },
  data: { kind: 'spiral', n: 256, augment: { rotate: 10 } },
  runs: [{ schedule: spec }, { phases: [{ steps: 50, schedule: warmup, frozen: [true, false] }, { schedule: spec }] }],
};
const session = await Session.create(options);
const step: StepResult = await session.step(10);
const losses: Float32Array = step.losses;
const state: 'training' | 'diverged' | 'finished' = session.evaluate()[0].state;
const finder: RangeTestResult = await LrFinder.run(session, { convention: 'torch_lr_finder', smooth_f: 0.1 });
const valley: number | null = finder.suggestions.valley.lr;
const run = LrFinder.run(session, undefined, ({ lr: rate }) => rate < 1);
const plan: PlanSpec = { method: 'fit_one_cycle', n_groups: 2, steps_per_epoch: 10, n_epoch: 2, lr_max: { slice: [1e-4, 1e-2] } };
session.updateRun(0, { schedule: { kind: 'Constant', lr: 0.01 }, frozen: null });
const path = trajectory({ surface: 'rosenbrock', start: [0, 0], steps: 10, schedule: { kind: 'Constant', lr: 1e-3 } });
const diverged: boolean = path.state === 'diverged';
console.log(lr, momentum, library, losses, state, valley, run, planGroups(plan).lr, diverged);

// @ts-expect-error: a misspelt field (StepLR's is step_size)
new Schedule({ kind: 'StepLR', stepsize: 30 });
// @ts-expect-error: a kind that does not exist
new Schedule({ kind: 'StepLr', step_size: 30 });
// @ts-expect-error: another kind's field (max_lr is OneCycleLR's)
new Schedule({ kind: 'StepLR', step_size: 30, max_lr: 0.1 });
// @ts-expect-error: a required field left out
new Schedule({ kind: 'OneCycleLR', total_steps: 100 });
// @ts-expect-error: a number given as text
new Schedule({ kind: 'StepLR', step_size: '30' });
// @ts-expect-error: a choice that is not one (CyclicLR's modes are triangular, triangular2, exp_range)
new Schedule({ kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.1, mode: 'triangle' });
// @ts-expect-error: a session option that does not exist (batch_size)
await Session.create({ ...options, batchsize: 32 });
// @ts-expect-error: an optimizer's field on another optimizer (betas are Adam's)
await Session.create({ ...options, optimizer: { kind: 'sgd', betas: [0.9, 0.99] } });
// @ts-expect-error: a run option misspelt inside a nested run
await Session.create({ ...options, runs: [{ schedule: spec, group_lr_multiplier: [1, 1] }] });
// @ts-expect-error: the range test's options are checked too
await LrFinder.run(session, { convention: 'fastai', num_iter: 100 });
// @ts-expect-error: results are typed: a Schedule's samples have no `values`
schedule.sample(10).values;
