// Benchmark section: training speed on the digits (64-32-10, 1,438 training images) against the
// reference 2-16-16-2 spiral, both on the CPU path at R = 1, batch 32, relu, SGD with momentum;
// alternated, medians of run-steps/s. What the wider first layer and 64 inputs cost per step.
import { Session } from '../../pkg/lr_playground.js';
import { median, pause, round, timeMs } from './stats.js';

const CASES = {
  spiral: { layers: [2, 16, 16, 2], data: { kind: 'spiral', n: 512, noise: 0.1, validation_fraction: 0, seed: 1 } },
  digits: { layers: [64, 32, 10], data: { kind: 'digits', seed: 1 } },
};

async function runStepsPerSecond({ layers, data }, steps, warmup) {
  const session = await Session.create({
    backend: 'cpu', layers, activation: 'relu', optimizer: { kind: 'sgd', momentum: 0.9 }, data, batch_size: 32,
    runs: [{ seed: 1, schedule: { kind: 'Constant', lr: 0.05 } }],
  });
  try {
    await session.step(warmup);
    const ms = await timeMs(() => session.step(steps));
    return (steps / ms) * 1000;
  } finally {
    session.destroy();
  }
}

/** `{ spiral, digits, digits_over_spiral, ... }`: medians over `reps` alternated repetitions. */
export async function digitsVsSpiral({ reps, steps, warmup, status }) {
  const times = { spiral: [], digits: [] };
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? ['digits', 'spiral'] : ['spiral', 'digits'];
    for (const name of order) {
      status(`digits vs spiral, ${name}, repetition ${rep + 1}/${reps}`);
      await pause();
      times[name].push(await runStepsPerSecond(CASES[name], steps, warmup));
    }
  }
  return {
    what: 'CPU path, R=1, batch 32, relu: run-steps/s of digits 64-32-10 vs spiral 2-16-16-2',
    steps,
    digits_run_steps_per_s: round(median(times.digits)),
    spiral_run_steps_per_s: round(median(times.spiral)),
    digits_over_spiral: round(median(times.digits) / median(times.spiral), 3),
  };
}
