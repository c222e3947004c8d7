#!/usr/bin/env node
// Drives the in-browser benchmarks in headless Chromium (Debian's /usr/bin/chromium, WebGPU on):
//   - opens dist/bench.html and waits for its JSON (wasm CPU path vs JS baseline, range test,
//     trajectories, loss landscape, WebGPU vs CPU, digits vs spiral, TensorFlow.js vs the CPU path,
//     what backend "auto" picks);
//   - loads every demo, its embeds and every guide figure several times, each in a fresh browser
//     context (cold cache), and times navigation start -> the figure shows a picture
//     (scripts/first-pictures.mjs; scripts/bench-first-pictures.mjs compares two builds);
//   - records main-thread frame times while the Train demo trains and while the Surfaces demo animates.
// Prints one JSON object on stdout (a summary on stderr). Exit status: 0 all good; 1 the run failed;
// 2 the figures are printed but the WebGPU section failed (e.g. the training shader fell back to the CPU).
// Needs a built dist/: `npm run build` (or `make dist`) first.
//
// Usage: node scripts/bench-page.mjs [key=value ...] [--loads N] [--out FILE]
//   --loads: cold loads per first-picture case (default 3; 47 cases).
//   key=value pairs go to bench.html's query (reps, steps, warmup, gpu, gpuReps, gpuSteps, cpuSteps,
//   rangeReps, pathReps, landscapeReps, csvReps, tfjsReps).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { launchOptions } from '../tests/e2e/browser.js';
import { serveStatic } from '../tests/e2e/static-server.js';
import { median } from '../www/bench/stats.js';
import { firstPictures } from './first-pictures.mjs';

const BENCH_TIMEOUT_MS = 600_000;
const LOAD_TIMEOUT_MS = 30_000;

function parseArgs(argv) {
  const args = { query: new URLSearchParams(), loads: 3, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--loads') args.loads = Number(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else if (/^\w+=/.test(a)) {
      const [k, v] = a.split('=', 2);
      args.query.set(k, v);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(args.loads >= 1)) throw new Error('--loads must be >= 1');
  return args;
}

const round1 = (x) => (x === null ? null : Math.round(x * 10) / 10);

async function runBenchPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error') errors.push(`console: ${text}`);
    if (text.startsWith('BENCH_ERROR ')) errors.push(text);
  });
  await page.goto(url);
  await page.waitForFunction(() => window.__bench || window.__benchError, null, { timeout: BENCH_TIMEOUT_MS, polling: 500 });
  const { bench, error } = await page.evaluate(() => ({ bench: window.__bench ?? null, error: window.__benchError ?? null }));
  await page.close();
  if (error || !bench) throw new Error(`bench.html failed: ${error ?? 'no result'}\n${errors.join('\n')}`);
  return bench;
}

/** requestAnimationFrame intervals on `page` for `seconds` (or, `untilPaused`, until the Surfaces animation stops), ms. */
async function frameTimes(page, seconds, untilPaused = false) {
  const frames = await page.evaluate(
    ([ms, stopAtPause]) =>
      new Promise((resolve) => {
        const done = () => stopAtPause && !window.__lrp.surfaces.playing;
        const times = [];
        const end = performance.now() + ms;
        const tick = (now) => {
          times.push(now);
          if (now < end && !done()) requestAnimationFrame(tick);
          else resolve(times.slice(1).map((t, i) => t - times[i]));
        };
        requestAnimationFrame(tick);
      }),
    [seconds * 1000, untilPaused],
  );
  const sorted = [...frames].sort((a, b) => a - b);
  return { frames: frames.length, median_ms: round1(median(frames)), p95_ms: round1(sorted[Math.floor(0.95 * (sorted.length - 1))]) };
}

/** Main-thread frame times while the Train demo trains (the engine runs in its worker), ms. */
async function trainingFrames(browser, url, seconds = 4) {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}#demo=train`);
    await page.getByTestId('train-start').click();
    const frames = await frameTimes(page, seconds);
    return {
      what: 'requestAnimationFrame intervals on the main thread while the Train demo trains (default settings)',
      target: 'p95_ms <= 20',
      ...frames,
      progress: await page.getByText(/^step \d+ of/).first().textContent(),
    };
  } finally {
    await page.close();
  }
}

/**
 * Main-thread frame times while the Surfaces demo animates its 'momentum' figure (3 paths of 1000
 * steps on Rosenbrock at the default 50 steps/s: 20 s of animation), from its first animated frame, ms.
 */
async function surfacesFrames(browser, url, seconds = 4) {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}#demo=surfaces`);
    await page.waitForFunction(() => window.__lrp?.surfaces?.paths, null, { timeout: LOAD_TIMEOUT_MS });
    await page.getByTestId('surfaces-preset').selectOption('momentum');
    await page.waitForFunction(() => window.__lrp.surfaces.preset === 'momentum' && window.__lrp.surfaces.last === 1000 && window.__lrp.surfaces.playing && window.__lrp.surfaces.step > 0, null, { timeout: LOAD_TIMEOUT_MS });
    const from = await page.evaluate(() => window.__lrp.surfaces.step);
    const frames = await frameTimes(page, seconds, true);
    const to = await page.evaluate(() => window.__lrp.surfaces.step);
    return {
      what: "requestAnimationFrame intervals on the main thread while the Surfaces demo animates (figure 'momentum', 2-D map)",
      target: 'p95_ms <= 20',
      ...frames,
      progress: `steps ${from} to ${to}`,
    };
  } finally {
    await page.close();
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync('dist/bench.html') || !existsSync('dist/index.html')) {
    throw new Error('dist/bench.html or dist/index.html is missing: run `npm run build` (or `make dist`) first');
  }
  warnIfStale();
  const server = await serveStatic('dist');
  const browser = await chromium.launch(launchOptions({ webgpu: true }));
  try {
    const query = args.query.toString();
    const started = Date.now();
    console.error(`bench.html: running (about a minute on 2 cores)…`);
    const bench = await runBenchPage(browser, `${server.url}bench.html${query ? `?${query}` : ''}`);

    console.error('first pictures: every demo, its embeds and every guide figure');
    const pictures = await firstPictures(browser, { page: server.url }, { loads: args.loads, log: (line) => console.error(line) });
    bench.first_demo = {
      what: 'every demo (page, iframe embed, <lr-playground> element) and every guide figure (the bare URL scrolled to it, alone, iframe embed, element), fresh browser context (cold cache) per load: ms from navigation start (scrolled: from the scroll) until the figure shows a canvas painted in two colours or more, or a drawn SVG shape (scripts/first-pictures.mjs; null: none within 15 s)',
      target: 'median_ms < 1500, every case',
      loads: args.loads,
      ...Object.fromEntries(Object.entries(pictures).map(([name, byBuild]) => [name, byBuild.page])),
    };
    console.error('index.html: frame times while training');
    bench.training_frames = await trainingFrames(browser, server.url);
    console.error('index.html: frame times while the Surfaces demo animates');
    bench.surfaces_frames = await surfacesFrames(browser, server.url);
    bench.driver = { browser: browser.version(), wall_s: (Date.now() - started) / 1000 };

    const json = JSON.stringify(bench, null, 2);
    console.log(json);
    if (args.out) await writeFile(args.out, `${json}\n`);
    summarize(bench);
    for (const [name, section] of [['WebGPU vs CPU', bench.gpu_vs_cpu], ['loss landscape', bench.landscape]]) {
      if (!section.error) continue;
      console.error(`FAILED: the ${name} section: ${section.error}`);
      process.exitCode = 2;
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The figures are only as fresh as pkg/: warn when the Rust or WGSL sources are newer than it. */
function warnIfStale() {
  const wasm = 'pkg/lr_playground_bg.wasm';
  if (!existsSync(wasm)) return;
  const built = statSync(wasm).mtimeMs;
  const newest = (dir) =>
    !existsSync(dir) ? 0 : Math.max(0, ...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, f)).mtimeMs));
  // The WGSL lives in src/ beside the Rust that drives it.
  if (newest('src') > built) console.error('WARNING: src/ is newer than pkg/: run `make wasm && npm run build` for current figures');
  if (statSync('dist/bench.html').mtimeMs < built) console.error('WARNING: pkg/ is newer than dist/: run `npm run build`');
}

function summarize(b) {
  const c = b.cpu_vs_js;
  const lines = ['', 'summary (medians):'];
  for (const a of ['tanh', 'relu']) {
    lines.push(`  ${a}: wasm ${c[a].wasm_steps_per_s} vs JS ${c[a].js_steps_per_s} steps/s -> ${c[a].ratio}x (target >= 5x)`);
  }
  lines.push(`  range test (LrFinder.run) 8 seeds x 100 steps: ${b.range_test.ms} ms (finder only ${b.range_test.step_ms} ms; target < 20)`);
  const p = b.trajectories;
  lines.push(`  8 trajectories x 1000 steps: wasm call ${p.wasm_ms} ms in the worker, round trip ${p.round_trip_ms} ms from the page (target < 20)`);
  for (const a of ['relu', 'tanh']) {
    const l = b.landscape[a];
    lines.push(`  landscape 51x51 ${a}: CPU ${l.cpu_ms} ms, GPU ${l.gpu_ms ?? '-'} ms (${b.landscape.gpu}; target CPU < 300)`);
  }
  const g = b.gpu_vs_cpu;
  if (g.skipped) lines.push(`  WebGPU vs CPU: skipped (${g.skipped})`);
  else {
    for (const k of ['R1', 'R8', 'R64'].filter((key) => g[key])) {
      lines.push(`  ${k}: WebGPU ${g[k].webgpu_run_steps_per_s} vs CPU ${g[k].cpu_run_steps_per_s} run-steps/s (${g.adapter}; emulated, overhead only)`);
    }
  }
  const csv = b.csv_parse;
  lines.push(`  own data: a ${csv.rows}-row CSV (${csv.megabytes} MB) read in ${csv.ms} ms, dropped to preview painted in ${csv.preview_ms} ms (target < ${csv.target_ms}), kept in IndexedDB in ${csv.store_ms} ms`);
  const digits = b.digits;
  lines.push(`  digits 64-32-10: ${digits.digits_run_steps_per_s} vs spiral 2-16-16-2: ${digits.spiral_run_steps_per_s} run-steps/s on the CPU path, batch 32 (${digits.digits_over_spiral}x)`);
  for (const a of b.tfjs ? ['relu', 'tanh'] : []) {
    for (const [k, target] of [['R1', 50], ['R64', 10]]) {
      const t = b.tfjs[a][k];
      lines.push(`  ${a} ${k}: CPU path ${t.engine_run_steps_per_s} vs TensorFlow.js (${b.tfjs.tfjs_backend}) ${t.tfjs_run_steps_per_s} run-steps/s -> ${t.engine_over_tfjs}x (target >= ${target}x)`);
    }
  }
  for (const k of ['R1', 'R64'].filter((key) => b.auto?.[key])) {
    const a = b.auto[k];
    lines.push(`  auto ${k}: picked ${a.picked} (${a.picked_over_faster} of the faster; WebGPU ${a.webgpu_run_steps_per_s}, CPU ${a.cpu_run_steps_per_s} run-steps/s by name; calibration ${a.calibration_ms} ms): ${a.reason}`);
  }
  for (const [name, d] of Object.entries(b.first_demo)) {
    if (d?.median_ms !== undefined) lines.push(`  first picture, ${name}: ${d.median_ms ?? 'none in 15 s'} ms (target < 1500)`);
  }
  for (const [what, f] of [['training', b.training_frames], ['Surfaces animates', b.surfaces_frames]]) {
    lines.push(`  frames while ${what}: median ${f.median_ms} ms, p95 ${f.p95_ms} ms over ${f.frames} frames (${f.progress}; target p95 <= 20)`);
  }
  console.error(lines.join('\n'));
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
