// Benchmark section: what `backend: "auto"` picks for the reference network at R = 1 and R = 64,
// against both paths timed by name in the same page (alternated, medians of run-steps/s), and
// what its calibration costs (the first "auto" session of a shape, against the next one, which
// finds the calibration remembered). The target: the pick within 25% of the faster path.
import { Session } from '../../pkg/lr_playground.js';
import { median, pause, round, timeMs } from './stats.js';

/** A pick is right when its path runs at least this share of the faster one (within 25%). */
const WITHIN = 1 / 1.25;

async function created(options) {
  let session;
  const ms = await timeMs(async () => (session = await Session.create(options)));
  const { backend, reason } = session.backend;
  session.destroy();
  return { ms, backend, reason };
}

async function runStepsPerSecond(options, runs, steps) {
  const session = await Session.create(options);
  try {
    await session.step(32); // warm-up block
    const ms = await timeMs(() => session.step(steps));
    const after = session.backend;
    if (options.backend === 'gpu' && (after.backend !== 'webgpu' || after.fallback)) throw new Error(`WebGPU fell back: ${JSON.stringify(after)}`);
    return ((runs * steps) / ms) * 1000;
  } finally {
    session.destroy();
  }
}

/**
 * `{ R1, R64 }`, each `{ picked, reason, calibration_ms, remembered_ms, cpu_run_steps_per_s,
 * webgpu_run_steps_per_s, picked_over_faster, within_25_percent }`. `options(backend, runs)`: the
 * reference network's Session options.
 */
export async function autoVsBoth({ options, reps, gpuSteps, cpuSteps, status }) {
  const out = { what: 'backend "auto": its pick against both paths timed by name (relu), run-steps/s; calibration paid once per shape' };
  for (const runs of [1, 64]) {
    status(`"auto" at R = ${runs}: calibrating`);
    await pause();
    const first = await created(options('auto', runs));
    const again = await created(options('auto', runs));
    const rates = { cpu: [], gpu: [] };
    for (let rep = 0; rep < reps; rep++) {
      status(`"auto" at R = ${runs}: both paths by name, repetition ${rep + 1}/${reps}`);
      for (const which of rep % 2 === 0 ? ['gpu', 'cpu'] : ['cpu', 'gpu']) {
        await pause();
        rates[which].push(await runStepsPerSecond(options(which, runs), runs, which === 'gpu' ? gpuSteps : cpuSteps));
      }
    }
    const [cpu, gpu] = [median(rates.cpu), median(rates.gpu)];
    const picked = first.backend === 'webgpu' ? gpu : cpu;
    out[`R${runs}`] = {
      picked: first.backend,
      reason: first.reason,
      calibration_ms: round(first.ms - again.ms, 3),
      remembered_ms: round(again.ms, 3),
      cpu_run_steps_per_s: round(cpu),
      webgpu_run_steps_per_s: round(gpu),
      picked_over_faster: round(picked / Math.max(cpu, gpu), 3),
      within_25_percent: picked >= WITHIN * Math.max(cpu, gpu),
    };
  }
  return out;
}
