#!/usr/bin/env node
// The first picture of every demo, embed and guide figure (scripts/first-pictures.mjs), for dist/
// and, with --against DIR, for another build served beside it: loads alternate between the two,
// so both are measured under the same load on the machine. Prints one JSON object on stdout and a
// table of medians on stderr.
//
// Usage: node scripts/bench-first-pictures.mjs [--against DIR] [--loads N] [--only REGEX] [--out FILE]
//   e.g. build the old page with `npx vite build --outDir target/dist-before` on the old commit.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { launchOptions } from '../tests/e2e/browser.js';
import { serveStatic } from '../tests/e2e/static-server.js';
import { firstPictures } from './first-pictures.mjs';

const TARGET_MS = 1500;

function parseArgs(argv) {
  const args = { against: null, loads: 3, only: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--against') args.against = argv[++i];
    else if (a === '--loads') args.loads = Number(argv[++i]);
    else if (a === '--only') args.only = new RegExp(argv[++i]);
    else if (a === '--out') args.out = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(args.loads >= 1)) throw new Error('--loads must be >= 1');
  for (const dir of ['dist', args.against].filter(Boolean)) {
    if (!existsSync(`${dir}/index.html`)) throw new Error(`${dir}/index.html is missing: build it first (npm run build)`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const servers = { dist: await serveStatic('dist') };
  if (args.against) servers[args.against] = await serveStatic(args.against);
  const browser = await chromium.launch(launchOptions({ webgpu: true }));
  try {
    const bases = Object.fromEntries(Object.entries(servers).map(([label, s]) => [label, s.url]));
    const started = Date.now();
    const pictures = await firstPictures(browser, bases, { loads: args.loads, only: args.only, log: (line) => console.error(line) });
    const result = {
      what: 'ms from navigation start (guide "scrolled to": from the scroll) until the figure shows a canvas painted in two colours or more, or a drawn SVG shape; fresh browser context per load, 1280 × 900',
      target: `< ${TARGET_MS} ms, every case`,
      loads: args.loads,
      pictures,
      driver: { browser: browser.version(), wall_s: (Date.now() - started) / 1000 },
    };
    const json = JSON.stringify(result, null, 2);
    console.log(json);
    if (args.out) await writeFile(args.out, `${json}\n`);
    const labels = Object.keys(bases);
    console.error(`\nmedian ms to the first picture (${args.loads} loads): ${labels.join(' | ')}`);
    for (const [name, byBuild] of Object.entries(pictures)) {
      const slow = byBuild.dist.median_ms >= TARGET_MS ? '  (over target)' : '';
      console.error(`  ${name.padEnd(36)} ${labels.map((l) => String(byBuild[l].median_ms).padStart(8)).join(' | ')}${slow}`);
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
