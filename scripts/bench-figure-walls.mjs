#!/usr/bin/env node
// The wall time of the figures that train many runs, on the CPU path in Chromium (launched without
// WebGPU, so every session trains there): Find's range test and its check by training, the
// Surfaces demo's plateau race, the guide's range test and its saddle figure (the same race).
// Each is the time from the page's engine call to its answer (for the check: its calls, one per
// seed, back to back), read from the page's messages to the engine worker. With --against DIR,
// another build is timed beside dist/, loads alternating. Prints one JSON object on stdout and a
// table of medians on stderr.
//
// Usage: node scripts/bench-figure-walls.mjs [--loads N] [--only REGEX] [--against DIR] [--out FILE]
import { median } from '../www/bench/stats.js';
import { parseBuildArgs, report, run, withBuilds } from './bench-builds.mjs';

const TARGET_MS = 1000;
const TIMEOUT_MS = 120_000;

/** Every figure: where it is, what starts it once the page is open, and the engine calls it times. */
const FIGURES = [
  { name: 'find range test', hash: 'demo=find', calls: ['session.findLr'], done: () => window.__lrp?.find?.done },
  {
    name: 'find check by training',
    hash: 'demo=find',
    ready: () => window.__lrp?.find?.done,
    act: (page) => page.getByTestId('find-check').click(),
    calls: ['session.verifyLr'],
    done: () => window.__lrp?.find?.check?.length > 0,
  },
  { name: 'surfaces plateau race', hash: 'demo=surfaces&preset=race', calls: ['plateauRace'], done: () => window.__lrp?.surfaces?.race?.drawn },
  { name: 'guide range test', hash: 'demo=guide&figure=range-test', calls: ['session.findLr'], done: () => document.querySelector('[data-figure="range-test"]')?.dataset.state === 'drawn' },
  { name: 'guide saddle', hash: 'demo=guide&figure=saddle', calls: ['plateauRace'], done: () => document.querySelector('[data-figure="saddle"]')?.dataset.state === 'drawn' },
];

// Runs in the page before its scripts: notes when each engine call was sent and answered.
function watchCalls() {
  const calls = (window.__engineCalls = []);
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => {
        const call = data && data.callback === undefined ? calls.find((c) => c.id === data.id && c.end === undefined) : null;
        if (call) call.end = performance.now();
      });
    }
    postMessage(message, transfer) {
      if (message?.path) calls.push({ id: message.id, path: message.path.join('.'), start: performance.now() });
      return super.postMessage(message, transfer);
    }
  };
}

/** One cold load of `figure` from `base`: its calls' wall ms, summed. */
async function wallOf(browser, base, figure) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchCalls);
    await page.goto(`${base}index.html#${figure.hash}`);
    // A figure started by a button: only the calls from the press on (one that starts itself: all).
    let from = 0;
    if (figure.ready) {
      await page.waitForFunction(figure.ready, null, { timeout: TIMEOUT_MS });
      from = await page.evaluate(() => window.__engineCalls.length);
    }
    await figure.act?.(page);
    await page.waitForFunction(figure.done, null, { timeout: TIMEOUT_MS, polling: 100 });
    const calls = await page.evaluate((from) => window.__engineCalls.slice(from), from);
    const timed = calls.filter((c) => figure.calls.includes(c.path) && c.end !== undefined);
    if (!timed.length) throw new Error(`${figure.name}: no ${figure.calls.join(' or ')} call answered`);
    return Math.round(timed.reduce((sum, c) => sum + (c.end - c.start), 0));
  } finally {
    await context.close();
  }
}

run(async () => {
  const args = parseBuildArgs(process.argv.slice(2));
  await withBuilds(args.against, { webgpu: false }, async (browser, bases) => {
    const chosen = FIGURES.filter((f) => !args.only || args.only.test(f.name));
    const walls = Object.fromEntries(chosen.map((f) => [f.name, Object.fromEntries(Object.keys(bases).map((label) => [label, []]))]));
    // Builds and figures interleaved, so drift in the machine's load falls on all of them alike.
    for (let i = 0; i < args.loads; i++) {
      for (const figure of chosen) {
        for (const [label, base] of Object.entries(bases)) {
          console.error(`${figure.name} (${label}): load ${i + 1}/${args.loads}`);
          walls[figure.name][label].push(await wallOf(browser, base, figure));
        }
      }
    }
    const figures = Object.fromEntries(Object.entries(walls).map(([name, byBuild]) => [name, Object.fromEntries(Object.entries(byBuild).map(([label, all]) => [label, { median_ms: median(all), all_ms: all }]))]));
    const result = { what: "wall ms of the figure's engine calls on the CPU path (Chromium without WebGPU), fresh browser context per load", target: `< ${TARGET_MS} ms`, loads: args.loads, figures, browser: browser.version() };
    await report(result, { out: args.out, title: `median wall ms on the CPU path (${args.loads} loads)`, rows: figures, targetMs: TARGET_MS, width: 28 });
  });
});
