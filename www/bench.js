// The in-browser benchmark page (bench.html). Runs on the main thread, in one page load:
//   1. the CPU path in wasm (Session, backend 'cpu', R = 1) vs the plain JS baseline (bench/js-baseline.js),
//      tanh and relu, A and B alternated (order swapped every repetition), medians and their ratio;
//   2. the LR range test (LrFinder.run, fastai convention, stop_div off): 8 seeds × 100 steps on the CPU path;
//   3. 8 analytic trajectories × 1000 steps: the wasm call in a worker, and the page's round trip
//      through the engine worker (bench/trajectories.js);
//   4. the 51 × 51 loss landscape of the reference network (Session.landscape), relu and tanh, on
//      the CPU path and, where WebGPU is offered, the GPU path, alternated;
//   5. WebGPU vs the CPU path at R = 1, 8, 64 (run-steps/s). In headless Chromium the adapter is
//      SwiftShader, a CPU emulation of a GPU: those figures measure overhead, never GPU speed;
//   6. reading a 100,000-row CSV into a training table, and the same file dropped on the own-data
//      panel until its preview is painted, then kept in IndexedDB (bench/csv.js).
//   7. digits 64-32-10 vs the spiral's 2-16-16-2 on the CPU path, batch 32 (bench/digits.js);
//   8. TensorFlow.js 4.22's wasm backend vs the CPU path, R = 1 and R = 64, relu and tanh (bench/tfjs.js).
//   9. what backend "auto" picks at R = 1 and 64 against both paths timed by name (bench/auto.js).
// Then sets window.__bench and logs one line `BENCH_JSON {...}` (scripts/bench-page.mjs reads it);
// on failure window.__benchError and a `BENCH_ERROR ...` line.
// Query options: reps (5), steps (2000), warmup (200), gpu (1; 0 skips section 3), gpuReps (3),
// gpuSteps (64), cpuSteps (512, CPU side of section 5), rangeReps (5), pathReps (9), landscapeReps (3),
// csvReps (5), tfjsReps (3; 0 skips section 8).
import init, { LrFinder, Session, detectBackend } from '../pkg/lr_playground.js';
import { JsMlp, spiral } from './bench/js-baseline.js';
import { median, pause, round, timeMs } from './bench/stats.js';
import { trajectoryTimes } from './bench/trajectories.js';
import { csvParseTimes } from './bench/csv.js';
import { digitsVsSpiral } from './bench/digits.js';
import { tfjsVsEngine } from './bench/tfjs.js';
import { autoVsBoth } from './bench/auto.js';

const query = new URLSearchParams(location.search);
const opt = (name, fallback) => (query.has(name) ? Number(query.get(name)) : fallback);
const CONFIG = {
  reps: opt('reps', 5),
  steps: opt('steps', 2000),
  warmup: opt('warmup', 200),
  gpu: opt('gpu', 1) !== 0,
  gpuReps: opt('gpuReps', 3),
  gpuSteps: opt('gpuSteps', 64),
  cpuSteps: opt('cpuSteps', 512),
  rangeReps: opt('rangeReps', 5),
  pathReps: opt('pathReps', 9),
  landscapeReps: opt('landscapeReps', 3),
  csvReps: opt('csvReps', 5),
  tfjsReps: opt('tfjsReps', 3),
};
// The landscape's grid: the largest the engine draws (2601 forward passes over the 512 points).
const LANDSCAPE_GRID = 51;

// The reference network and data, shared by the wasm sessions and the JS baseline.
const LAYERS = [2, 16, 16, 2];
const LR = 0.05;
const MOMENTUM = 0.9;
const BATCH = 32;
const POINTS = 512;
const NOISE = 0.1;

const statusLine = document.getElementById('status');
const resultsBox = document.getElementById('results');
const status = (text) => {
  statusLine.textContent = text;
};

function sessionOptions({ backend, activation, runs }) {
  return {
    backend,
    layers: LAYERS,
    activation,
    loss: 'cross_entropy',
    optimizer: { kind: 'sgd', momentum: MOMENTUM },
    data: { kind: 'spiral', n: POINTS, noise: NOISE, validation_fraction: 0, seed: 1 },
    batch_size: BATCH,
    shuffle: true,
    runs,
  };
}

const constantRuns = (count, seed) =>
  Array.from({ length: count }, (_, i) => ({ seed: seed + i, schedule: { kind: 'Constant', lr: LR } }));

/** A: Session on the CPU path; steps/s over one `await session.step(steps)` after a warm-up. */
async function wasmStepsPerSecond(activation, seed) {
  const session = await Session.create(sessionOptions({ backend: 'cpu', activation, runs: constantRuns(1, seed) }));
  try {
    await session.step(CONFIG.warmup);
    let last;
    const ms = await timeMs(async () => {
      const { losses } = await session.step(CONFIG.steps);
      last = losses[losses.length - 1];
    });
    if (!Number.isFinite(last)) throw new Error(`wasm ${activation}: loss ${last}`);
    return (CONFIG.steps / ms) * 1000;
  } finally {
    session.destroy();
  }
}

/** B: the JS baseline, same network, data shape, batch and optimizer; same warm-up and step count. */
function jsStepsPerSecond(activation, seed, data) {
  const net = new JsMlp({ layers: LAYERS, activation, lr: LR, momentum: MOMENTUM, batchSize: BATCH, data, seed });
  net.train(CONFIG.warmup);
  const t0 = performance.now();
  const last = net.train(CONFIG.steps);
  const ms = performance.now() - t0;
  if (!Number.isFinite(last)) throw new Error(`js ${activation}: loss ${last}`);
  return (CONFIG.steps / ms) * 1000;
}

async function cpuVsJs() {
  const data = spiral(POINTS, NOISE, 1);
  const out = {};
  for (const activation of ['tanh', 'relu']) {
    // One untimed round of each first: lets V8 tier both up (wasm Liftoff -> TurboFan, JS -> optimized).
    status(`1/5 wasm CPU vs JS, ${activation}, warm-up round`);
    await wasmStepsPerSecond(activation, 99);
    jsStepsPerSecond(activation, 99, data);
    const wasm = [];
    const js = [];
    for (let rep = 0; rep < CONFIG.reps; rep++) {
      status(`1/5 wasm CPU vs JS, ${activation}, repetition ${rep + 1}/${CONFIG.reps}`);
      // ABBA...: swap which goes first every repetition, so drift in the machine's load cancels.
      const order = rep % 2 === 0 ? ['wasm', 'js'] : ['js', 'wasm'];
      for (const which of order) {
        await pause();
        if (which === 'wasm') wasm.push(await wasmStepsPerSecond(activation, rep + 1));
        else js.push(jsStepsPerSecond(activation, rep + 1, data));
      }
    }
    const ratios = wasm.map((w, i) => w / js[i]);
    out[activation] = {
      wasm_steps_per_s: round(median(wasm)),
      js_steps_per_s: round(median(js)),
      ratio: round(median(wasm) / median(js), 3),
      ratio_median_of_pairs: round(median(ratios), 3),
      wasm_all: wasm.map((x) => round(x)),
      js_all: js.map((x) => round(x)),
    };
  }
  return {
    what: 'CPU path in wasm (Session backend cpu, R=1) vs the plain Float32Array JS baseline, steps/s',
    target: 'ratio >= 5',
    steps: CONFIG.steps,
    warmup: CONFIG.warmup,
    reps: CONFIG.reps,
    ...out,
  };
}

/** LrFinder.run over 8 seeds × 100 steps (stop_div off, so every run takes all 100 steps). */
async function rangeTest() {
  const runs = constantRuns(8, 1);
  const total = [];
  const finderOnly = [];
  for (let rep = 0; rep < CONFIG.rangeReps; rep++) {
    status(`2/5 range test, repetition ${rep + 1}/${CONFIG.rangeReps}`);
    await pause();
    const t0 = performance.now();
    const session = await Session.create(sessionOptions({ backend: 'cpu', activation: 'relu', runs }));
    const t1 = performance.now();
    const result = await LrFinder.run(session, { convention: 'fastai', num_it: 100, stop_div: false });
    const t2 = performance.now();
    session.destroy();
    if (result.runs.length !== 8 || result.runs.some((r) => r.losses.length !== 100)) {
      throw new Error('range test: not 8 runs of 100 points');
    }
    total.push(t2 - t0);
    finderOnly.push(t2 - t1);
  }
  return {
    what: 'LrFinder.run on the CPU path: 8 seeds x 100 steps, fastai convention, stop_div off, relu; wall ms of Session.create + the range test (snapshot, steps, restore)',
    target: 'ms < 20',
    reps: CONFIG.rangeReps,
    ms: round(median(total), 3),
    step_ms: round(median(finderOnly), 3),
    ms_all: total.map((x) => round(x, 3)),
  };
}

/** ms of one `session.landscape({grid: 51})` on `backend`, the network trained `warmup` steps first. */
async function landscapeMs(backend, activation) {
  const session = await Session.create(sessionOptions({ backend, activation, runs: constantRuns(1, 1) }));
  try {
    await session.step(CONFIG.warmup);
    let result;
    const ms = await timeMs(async () => {
      result = await session.landscape({ grid: LANDSCAPE_GRID });
    });
    if (result.loss.length !== LANDSCAPE_GRID ** 2 || !Number.isFinite(result.center_loss)) throw new Error(`landscape ${backend} ${activation}: ${result.loss.length} values, center ${result.center_loss}`);
    const after = session.backend;
    if (backend === 'gpu' && (after.backend !== 'webgpu' || after.fallback)) throw new Error(`WebGPU fell back: ${JSON.stringify(after)}`);
    return ms;
  } finally {
    session.destroy();
  }
}

async function landscapes() {
  const detected = CONFIG.gpu ? await detectBackend() : null;
  const backends = detected?.backend === 'webgpu' ? ['cpu', 'gpu'] : ['cpu'];
  const out = {
    what: `Session.landscape({grid: ${LANDSCAPE_GRID}}) of the reference network after ${CONFIG.warmup} steps: ${LANDSCAPE_GRID ** 2} forward passes over the ${POINTS} points, wall ms; the GPU path on this page's adapter (SwiftShader in headless Chromium: emulated)`,
    target: 'cpu_ms < 300',
    reps: CONFIG.landscapeReps,
    gpu: backends.includes('gpu') ? detected.adapter : `skipped: ${CONFIG.gpu ? JSON.stringify(detected) : 'gpu=0'}`,
  };
  for (const activation of ['relu', 'tanh']) {
    const times = { cpu: [], gpu: [] };
    try {
      for (let rep = 0; rep < CONFIG.landscapeReps; rep++) {
        status(`4/5 loss landscape, ${activation}, repetition ${rep + 1}/${CONFIG.landscapeReps}`);
        const order = rep % 2 === 0 ? backends : [...backends].reverse();
        for (const backend of order) {
          await pause();
          times[backend].push(await landscapeMs(backend, activation));
        }
      }
    } catch (err) {
      // Reported, not thrown: the other figures still stand. The driver exits non-zero.
      out.error = String(err?.message ?? err);
    }
    out[activation] = {
      cpu_ms: round(median(times.cpu)),
      gpu_ms: round(median(times.gpu)),
      cpu_ms_all: times.cpu.map((x) => round(x)),
      gpu_ms_all: times.gpu.map((x) => round(x)),
    };
  }
  return out;
}

/** Run-steps/s (runs × steps / s) of one backend at R runs, after a warm-up block. */
async function runStepsPerSecond(backend, runs, steps) {
  const session = await Session.create(sessionOptions({ backend, activation: 'relu', runs: constantRuns(runs, 1) }));
  try {
    const info = session.backend;
    if (backend === 'gpu' && info.backend !== 'webgpu') throw new Error(`asked for gpu, got ${JSON.stringify(info)}`);
    const { losses } = await session.step(32); // warm-up block; its losses check the backends agree
    const ms = await timeMs(() => session.step(steps));
    // A GPU block that fails is redone on the CPU (backend.fallback): that would time the wrong thing.
    const after = session.backend;
    if (backend === 'gpu' && (after.backend !== 'webgpu' || after.fallback)) throw new Error(`WebGPU fell back: ${JSON.stringify(after)}`);
    return { rate: ((runs * steps) / ms) * 1000, adapter: info.adapter, losses };
  } finally {
    session.destroy();
  }
}

async function gpuVsCpu() {
  const base = {
    what: 'WebGPU vs CPU path, run-steps/s (relu). In headless Chromium the adapter is SwiftShader, a CPU emulation of a GPU: this measures overhead, not GPU speed',
    gpu_steps: CONFIG.gpuSteps,
    cpu_steps: CONFIG.cpuSteps,
    reps: CONFIG.gpuReps,
  };
  if (!CONFIG.gpu) return { ...base, skipped: 'gpu=0' };
  const detected = await detectBackend();
  if (detected?.backend !== 'webgpu') return { ...base, skipped: `no WebGPU: ${JSON.stringify(detected)}` };
  const byRuns = {};
  let adapter = null;
  try {
    for (const runs of [1, 8, 64]) await gpuVsCpuAt(runs, byRuns, (a) => (adapter = a));
  } catch (err) {
    // Reported, not thrown: the other sections' figures still stand. The driver exits non-zero.
    return { ...base, adapter, ...byRuns, error: String(err?.message ?? err) };
  }
  return { ...base, adapter, ...byRuns };
}

/** R runs: WebGPU and the CPU path alternated, medians into byRuns[`R${runs}`]. */
async function gpuVsCpuAt(runs, byRuns, setAdapter) {
  const gpu = [];
  const cpu = [];
  let gpuLosses;
  let cpuLosses;
  for (let rep = 0; rep < CONFIG.gpuReps; rep++) {
    status(`5/5 WebGPU vs CPU, R = ${runs}, repetition ${rep + 1}/${CONFIG.gpuReps}`);
    const order = rep % 2 === 0 ? ['gpu', 'cpu'] : ['cpu', 'gpu'];
    for (const which of order) {
      await pause();
      if (which === 'gpu') {
        const r = await runStepsPerSecond('gpu', runs, CONFIG.gpuSteps);
        setAdapter(r.adapter);
        gpuLosses = r.losses;
        gpu.push(r.rate);
      } else {
        const r = await runStepsPerSecond('cpu', runs, CONFIG.cpuSteps);
        cpuLosses = r.losses;
        cpu.push(r.rate);
      }
    }
  }
  byRuns[`R${runs}`] = {
    webgpu_run_steps_per_s: round(median(gpu)),
    cpu_run_steps_per_s: round(median(cpu)),
    webgpu_over_cpu: round(median(gpu) / median(cpu), 3),
    // Same seeds and batches on both backends: the first 32 losses of every run should agree.
    max_loss_diff_first_32_steps: round(Math.max(...gpuLosses.map((l, i) => Math.abs(l - cpuLosses[i]))), 2),
  };
}

function table(title, head, rows) {
  const el = document.createElement('div');
  const h2 = document.createElement('h2');
  h2.textContent = title;
  const t = document.createElement('table');
  t.innerHTML = `<tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr>`;
  for (const row of rows) {
    const tr = t.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell ?? '–';
  }
  el.append(h2, t);
  resultsBox.append(el);
}

function render(r) {
  const c = r.cpu_vs_js;
  table('1. CPU path in wasm vs JS baseline (steps/s, R = 1)', ['activation', 'wasm', 'JS baseline', 'wasm / JS', 'target'],
    ['tanh', 'relu'].map((a) => [a, c[a].wasm_steps_per_s, c[a].js_steps_per_s, c[a].ratio, '≥ 5']));
  table('2. Range test: 8 runs × 100 steps, CPU path (ms)', ['', 'create + step', 'step only', 'target'],
    [['median', r.range_test.ms, r.range_test.step_ms, '< 20']]);
  const g = r.gpu_vs_cpu;
  const note = g.skipped ?? (g.error ? `FAILED: ${g.error}` : `adapter ${g.adapter}; SwiftShader emulates a GPU on the CPU: overhead, not GPU speed`);
  const p = r.trajectories;
  table('3. 8 analytic trajectories × 1000 steps (ms)', ['', 'wasm call in a worker', 'round trip from the page', 'target'],
    [['median', p.wasm_ms, p.round_trip_ms, '< 20']]);
  const l = r.landscape;
  table(`4. Loss landscape ${LANDSCAPE_GRID} × ${LANDSCAPE_GRID} (ms) — GPU: ${l.error ? `FAILED: ${l.error}` : l.gpu}`, ['activation', 'CPU path', 'GPU path', 'target (CPU)'],
    ['relu', 'tanh'].map((a) => [a, l[a].cpu_ms, l[a].gpu_ms, '< 300']));
  table(`5. WebGPU vs CPU path, run-steps/s — ${note}`, ['R', 'WebGPU', 'CPU', 'WebGPU / CPU'],
    ['R1', 'R8', 'R64'].filter((k) => g[k]).map((k) => [k.slice(1), g[k].webgpu_run_steps_per_s, g[k].cpu_run_steps_per_s, g[k].webgpu_over_cpu]));
  const csv = r.csv_parse;
  table(`6. Own data: a ${csv.rows} × ${csv.features + 1} CSV (${csv.megabytes} MB) read into a table (ms)`, ['', 'read', 'dropped to preview painted', 'kept in IndexedDB', 'target (preview)'], [['median', csv.ms, csv.preview_ms, csv.store_ms, `< ${csv.target_ms}`]]);
  const d = r.digits;
  table('7. Digits 64-32-10 vs spiral 2-16-16-2, CPU path, batch 32 (run-steps/s)', ['digits', 'spiral', 'digits / spiral'],
    [[d.digits_run_steps_per_s, d.spiral_run_steps_per_s, d.digits_over_spiral]]);
  const t = r.tfjs;
  if (t) {
    table(`8. CPU path in wasm vs TensorFlow.js 4.22 (${t.tfjs_backend} backend), run-steps/s`, ['activation', 'R', 'CPU path', 'TensorFlow.js', 'CPU / tfjs', 'target'],
      ['relu', 'tanh'].flatMap((a) => [['R1', '≥ 50'], ['R64', '≥ 10']].map(([k, target]) =>
        [a, k.slice(1), t[a][k].engine_run_steps_per_s, t[a][k].tfjs_run_steps_per_s, t[a][k].engine_over_tfjs, target])));
  }
  const a = r.auto;
  if (a) {
    table('9. backend "auto": its pick against both paths by name (run-steps/s)', ['R', 'picked', 'WebGPU', 'CPU', 'picked / faster', 'calibration (ms)', 'reason'],
      ['R1', 'R64'].map((k) => [k.slice(1), a[k].picked, a[k].webgpu_run_steps_per_s, a[k].cpu_run_steps_per_s, a[k].picked_over_faster, a[k].calibration_ms, a[k].reason]));
  }
  document.getElementById('json').textContent = JSON.stringify(r, null, 2);
}

async function main() {
  const t0 = performance.now();
  status('Loading the wasm module…');
  await init();
  const result = { config: CONFIG, user_agent: navigator.userAgent, cores: navigator.hardwareConcurrency };
  result.cpu_vs_js = await cpuVsJs();
  result.range_test = await rangeTest();
  result.trajectories = await trajectoryTimes({ reps: CONFIG.pathReps, status });
  result.landscape = await landscapes();
  result.gpu_vs_cpu = await gpuVsCpu();
  result.csv_parse = await csvParseTimes({ reps: CONFIG.csvReps, status });
  result.digits = await digitsVsSpiral({ reps: CONFIG.reps, steps: CONFIG.cpuSteps, warmup: CONFIG.warmup, status });
  if (CONFIG.tfjsReps > 0) {
    result.tfjs = await tfjsVsEngine({
      reps: CONFIG.tfjsReps, data: spiral(POINTS, NOISE, 1), lr: LR, momentum: MOMENTUM, batch: BATCH, points: POINTS, noise: NOISE, status,
    });
  }
  if (CONFIG.gpu && (await detectBackend())?.backend === 'webgpu') {
    const options = (backend, runs) => sessionOptions({ backend, activation: 'relu', runs: constantRuns(runs, 1) });
    result.auto = await autoVsBoth({ options, reps: CONFIG.gpuReps, gpuSteps: CONFIG.gpuSteps, cpuSteps: CONFIG.cpuSteps, status });
  }
  result.total_s = round((performance.now() - t0) / 1000, 3);
  render(result);
  status(`Done in ${result.total_s} s.`);
  window.__bench = result;
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
}

main().catch((err) => {
  const message = err?.stack ?? String(err);
  status(`Failed: ${message}`);
  window.__benchError = message;
  console.log(`BENCH_ERROR ${message}`);
});
