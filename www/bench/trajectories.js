// Benchmark section: 8 analytic trajectories × 1000 steps (the Surfaces demo's whole computation
// for a figure of 8 paths), timed two ways, alternated: the wasm call inside a worker, and the
// round trip from the page through the engine worker's `trajectories` (engine.js), structured
// clone of the answer included.
import { startEngine } from '../engine.js';
import { wrap } from '../rpc.js';
import { median, pause, round } from './stats.js';

const STEPS = 1000;
// Rosenbrock's valley from its usual start, one path per optimizer the surfaces offer.
const OPTIMIZERS = [
  { kind: 'sgd' },
  { kind: 'sgd', momentum: 0.9 },
  { kind: 'sgd', momentum: 0.9, nesterov: true },
  { kind: 'adam' },
  { kind: 'adamw' },
  { kind: 'rmsprop' },
  { kind: 'adagrad' },
  { kind: 'sgd', momentum: 0.9 },
];

function specs(start) {
  return OPTIMIZERS.map((optimizer, i) => ({
    surface: 'rosenbrock',
    start,
    optimizer,
    // The last path under a one-cycle schedule: the schedule is sampled at every step too.
    schedule: i === OPTIMIZERS.length - 1 ? { kind: 'OneCycleLR', max_lr: 0.002, total_steps: STEPS } : { kind: 'Constant', lr: 0.001 },
    steps: STEPS,
  }));
}

export async function trajectoryTimes({ reps, status }) {
  const engine = startEngine();
  const worker = new Worker(new URL('../worker/trajectory-bench.js', import.meta.url), { type: 'module' });
  const timed = wrap(worker);
  try {
    const start = (await engine.surfaces()).find((s) => s.name === 'rosenbrock').start;
    const requests = specs(start);
    // Untimed first calls: both workers load the wasm and tier it up.
    await engine.trajectories(requests);
    await timed.timeTrajectories(requests);
    const wasm = [];
    const roundTrip = [];
    let steps = null;
    for (let rep = 0; rep < reps; rep++) {
      status(`3/5 trajectories, repetition ${rep + 1}/${reps}`);
      const order = rep % 2 === 0 ? ['wasm', 'page'] : ['page', 'wasm'];
      for (const which of order) {
        await pause();
        if (which === 'wasm') {
          const answer = await timed.timeTrajectories(requests);
          wasm.push(answer.ms);
          steps = answer.steps;
        } else {
          const t0 = performance.now();
          const paths = await engine.trajectories(requests);
          roundTrip.push(performance.now() - t0);
          if (paths.length !== requests.length) throw new Error(`trajectories: ${paths.length} paths for ${requests.length} requests`);
        }
      }
    }
    return {
      what: '8 trajectories x 1000 steps on rosenbrock (sgd, momentum, Nesterov, adam, adamw, rmsprop, adagrad, one-cycle momentum): the wasm trajectories() call timed inside a worker, and the round trip from the page through the engine worker',
      target: 'round_trip_ms < 20',
      reps,
      steps_per_path: steps,
      wasm_ms: round(median(wasm), 3),
      round_trip_ms: round(median(roundTrip), 3),
      wasm_ms_all: wasm.map((x) => round(x, 3)),
      round_trip_ms_all: roundTrip.map((x) => round(x, 3)),
    };
  } finally {
    worker.terminate();
  }
}
