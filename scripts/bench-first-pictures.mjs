#!/usr/bin/env node
// The first picture of every demo, embed and guide figure (scripts/first-pictures.mjs), for dist/
// and, with --against DIR, for another build served beside it: loads alternate between the two,
// so both are measured under the same load on the machine. Prints one JSON object on stdout and a
// table of medians on stderr.
//
// Usage: node scripts/bench-first-pictures.mjs [--against DIR] [--loads N] [--only REGEX] [--out FILE]
//   e.g. build the old page with `npx vite build --outDir target/dist-before` on the old commit.
import { parseBuildArgs, report, run, withBuilds } from './bench-builds.mjs';
import { firstPictures } from './first-pictures.mjs';

const TARGET_MS = 1500;

run(async () => {
  const args = parseBuildArgs(process.argv.slice(2));
  await withBuilds(args.against, { webgpu: true }, async (browser, bases) => {
    const started = Date.now();
    const pictures = await firstPictures(browser, bases, { loads: args.loads, only: args.only, log: (line) => console.error(line) });
    const result = {
      what: 'ms from navigation start (guide "scrolled to": from the scroll) until the figure shows a canvas painted in two colours or more, or a drawn SVG shape; fresh browser context per load, 1280 × 900',
      target: `< ${TARGET_MS} ms, every case`,
      loads: args.loads,
      pictures,
      driver: { browser: browser.version(), wall_s: (Date.now() - started) / 1000 },
    };
    await report(result, { out: args.out, title: `median ms to the first picture (${args.loads} loads)`, rows: pictures, targetMs: TARGET_MS, width: 36 });
  });
});
