#!/usr/bin/env node
// The wall time of the figures that train many runs, on the CPU path in Chromium (launched without
// WebGPU, so every session trains there): Find's range test and its check by training, the
// Surfaces demo's plateau race, the guide's range test and its saddle figure (the same race). Each is the time from
// the page's engine call to its answer (for the check: its calls, one per seed, back to back),
// read from the page's messages to the engine worker. Prints one JSON object on stdout and a table
// of medians on stderr.
//
// Usage: node scripts/bench-figure-walls.mjs [--loads N] [--only REGEX] [--against DIR] [--out FILE]
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { launchOptions } from '../tests/e2e/browser.js';
import { serveStatic } from '../tests/e2e/static-server.js';
import { median } from '../www/bench/stats.js';

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

function parseArgs(argv) {
  const args = { loads: 3, only: null, against: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--loads') args.loads = Number(argv[++i]);
    else if (a === '--only') args.only = new RegExp(argv[++i]);
    else if (a === '--against') args.against = argv[++i];
    else if (a === '--out') args.out = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(args.loads >= 1)) throw new Error('--loads must be >= 1');
  for (const dir of ['dist', args.against].filter(Boolean)) {
    if (!existsSync(`${dir}/index.html`)) throw new Error(`${dir}/index.html is missing: build it first (npm run build)`);
  }
  return args;
}

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

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const servers = { dist: await serveStatic('dist') };
  if (args.against) servers[args.against] = await serveStatic(args.against);
  const browser = await chromium.launch(launchOptions({ webgpu: false }));
  try {
    const chosen = FIGURES.filter((f) => !args.only || args.only.test(f.name));
    const walls = Object.fromEntries(chosen.map((f) => [f.name, Object.fromEntries(Object.keys(servers).map((label) => [label, []]))]));
    // Builds and figures interleaved, so drift in the machine's load falls on all of them alike.
    for (let i = 0; i < args.loads; i++) {
      for (const figure of chosen) {
        for (const [label, server] of Object.entries(servers)) {
          console.error(`${figure.name} (${label}): load ${i + 1}/${args.loads}`);
          walls[figure.name][label].push(await wallOf(browser, server.url, figure));
        }
      }
    }
    const figures = Object.fromEntries(Object.entries(walls).map(([name, byBuild]) => [name, Object.fromEntries(Object.entries(byBuild).map(([label, all]) => [label, { median_ms: median(all), all_ms: all }]))]));
    const result = { what: 'wall ms of the figure\'s engine calls on the CPU path (Chromium without WebGPU), fresh browser context per load', target: `< ${TARGET_MS} ms`, loads: args.loads, figures, browser: browser.version() };
    const json = JSON.stringify(result, null, 2);
    console.log(json);
    if (args.out) await writeFile(args.out, `${json}\n`);
    const labels = Object.keys(servers);
    console.error(`\nmedian wall ms on the CPU path (${args.loads} loads): ${labels.join(' | ')}`);
    for (const [name, byBuild] of Object.entries(figures)) {
      const slow = byBuild.dist.median_ms >= TARGET_MS ? '  (over target)' : '';
      console.error(`  ${name.padEnd(28)} ${labels.map((l) => String(byBuild[l].median_ms).padStart(8)).join(' | ')}${slow}`);
    }
  } finally {
    await browser.close();
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
}

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exit(1);
});
