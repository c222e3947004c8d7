// The engine thread: loads the wasm package and exposes the api the page calls through www/engine.js.
// Errors thrown here (the engine's own name the field at fault in `error.field`) reach the page.
import init, {
  LrFinder,
  Schedule,
  Session,
  detectBackend,
  escape,
  exportCode,
  exportPlanCode,
  exportRunCode,
  planGroups,
  planMethods,
  plateauRace,
  smoothLosses,
  suggestLr,
  surfaceGrid,
  surfaceOptimizerFields,
  surfaces,
  trajectories,
  trajectory,
} from '../../pkg/lr_playground.js';
import { expose } from '../rpc.js';
import { announceLife } from './liveness.js';
import { randomId } from './random-id.js';
import { failOnTrap } from './trap-guard.js';
import { sessionApi } from './session-table.js';
import { loadEngine, moduleFromPage } from './wasm-support.js';

// Listening from the first line: the page's compiled module may already be waiting.
const fromPage = moduleFromPage(self);
const ready = loadEngine(async () => init(await fromPage));

announceLife(self, `lr-playground-engine-${randomId()}`);

// Frees the wasm-side schedule whatever happens: wasm memory is not garbage collected.
function withSchedule(spec, use) {
  const schedule = new Schedule(spec);
  try {
    return use(schedule);
  } finally {
    schedule.free();
  }
}

// Each function as an async method that first waits for the module to load.
function afterInit(functions) {
  return Object.fromEntries(
    Object.entries(functions).map(([name, call]) => [
      name,
      async (...args) => {
        await ready;
        return call(...args);
      },
    ]),
  );
}

expose(
  failOnTrap({
    /** Schedule.kinds(): every kind with its field metadata. */
    async kinds() {
      await ready;
      return Schedule.kinds();
    },
    /** Session.optionFields(): the fields of every Session option, by part (session, optimizers, data, run). */
    async optionFields() {
      await ready;
      return Session.optionFields();
    },
    /** detectBackend(): { backend: 'webgpu' | 'cpu', adapter, reason }. */
    async backend() {
      await ready;
      return detectBackend();
    },
    /** Resolves when `spec` builds a Schedule; rejects with the engine's Error otherwise. */
    async validate(spec) {
      await ready;
      withSchedule(spec, () => {});
    },
    /**
     * { lr: Float64Array, momentum: Float64Array | null, totalSteps } at steps 0..n-1, where n stops
     * at the schedule's own end (OneCycleLR allows t <= totalSteps).
     */
    async sample(spec, steps) {
      await ready;
      return withSchedule(spec, (schedule) => {
        const total = schedule.totalSteps;
        const n = total === undefined ? steps : Math.min(steps, total + 1);
        const { lr, momentum } = schedule.sample(n);
        return { lr, momentum, totalSteps: total };
      });
    },
    // The engine's plain functions, each answered once the module has loaded (shapes in README):
    ...afterInit({
      // (losses, { style, beta?, smooth_f? }): a curve recorded elsewhere, smoothed as its library does.
      smoothLosses,
      // (lrs, losses, { method, num_it? }) -> { lr, index }: one of the finder's suggestions for such a curve.
      suggestLr,
      // () -> every analytic surface { name, title, formula, params, domain, view, start, minima, saddles }.
      surfaces,
      // () -> { optimizer_kind, optimizers: { sgd, adam, adamw, rmsprop, adagrad } } field metadata.
      surfaceOptimizerFields,
      // ({ surface, x: [lo, hi], y: [lo, hi], nx, ny }) -> { values: Float64Array(nx * ny), nx, ny }, x fastest.
      surfaceGrid,
      // ({ surface, start, optimizer, schedule, steps, noise?, seed? }) ->
      // { x, y, loss: Float64Array(n), lr: Float64Array(n - 1), state: 'finished' | 'diverged', steps }.
      trajectory,
      // ([spec, ...]): up to 64 trajectories (10^6 steps in all), each as trajectory() gives it.
      trajectories,
      // (trajectory, { center, radius, delta?, surface }): the first index away from center and below f(center) - delta, or null.
      escape,
      // (spec) -> { steps, n_groups, lr, momentum: Float64Array, trainable: Uint8Array, phases }: every layer
      // group's rate, momentum and trainable flag at every step ([step][group]) of fastai's fit_one_cycle /
      // fine_tune / fit_sgdr or ULMFiT's gradual unfreezing, and the phases that train them (a run's `phases`).
      planGroups,
      // () -> every plan method with its fields (default, range, log scale, description) and limits.
      planMethods,
      // (spec, { target? }) -> Python that gives the schedule's rates in PyTorch, transformers, timm, optax, Keras or fastai.
      exportCode,
      // (sessionOptions, { run?, target? }) -> Python for one run: its optimizer, param groups and phases.
      exportRunCode,
      // (planSpec, { target? }) -> Python for a per-group plan: fastai's calls, or PyTorch param groups.
      exportPlanCode,
    }),
    /**
     * plateauRace(options, onProgress, signal): schedules racing off a saddle plateau, each over
     * several seeds, in one session of its own; `onProgress({step, loss})` every 100 steps, and the
     * race stops (`cancelled`) at the next report once `signal` aborts.
     */
    async plateauRace(options, onProgress, signal) {
      await ready;
      return plateauRace(options, (report) => {
        onProgress?.(report);
        return !signal?.aborted;
      });
    },
    /**
     * Training sessions by id: create, destroy, every method of the wasm Session, and the range
     * test, `findLr(id, options, onProgress, signal)`: LrFinder.run on that session, stopping
     * (`cancelled`) at the next block of steps once `signal` aborts (session-table.js, rpc.js); and
     * `verifyLr(id, options)`: LrFinder.verify on it, short trainings at candidate rates.
     */
    session: sessionApi(Session, ready, {
      findLr: (session, options, onProgress, signal) =>
        LrFinder.run(session, options, (point) => {
          onProgress(point);
          return !signal.aborted;
        }),
      verifyLr: (session, options) => LrFinder.verify(session, options),
    }),
  }),
  self,
);
