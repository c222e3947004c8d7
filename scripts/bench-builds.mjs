// What the benchmarks that compare two builds share: their arguments, the builds served side by
// side in one browser, and the JSON and table of medians they print.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { launchOptions } from '../tests/e2e/browser.js';
import { serveStatic } from '../tests/e2e/static-server.js';

/** `--against DIR`, `--loads N` (default 3), `--only REGEX`, `--out FILE`; dist/ (and DIR) must be built. */
export function parseBuildArgs(argv) {
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

/** `use(browser, bases)` with dist/ (and `against`) served, `bases` { label: url }; closes all after. */
export async function withBuilds(against, { webgpu }, use) {
  const servers = { dist: await serveStatic('dist') };
  if (against) servers[against] = await serveStatic(against);
  const browser = await chromium.launch(launchOptions({ webgpu }));
  try {
    return await use(browser, Object.fromEntries(Object.entries(servers).map(([label, s]) => [label, s.url])));
  } finally {
    await browser.close();
    await Promise.all(Object.values(servers).map((s) => s.close()));
  }
}

/**
 * Prints `result` as JSON on stdout (and to `out`), then on stderr `title` and one row per entry
 * of `rows` ({ name: { label: { median_ms } } }), marking those of dist/ at or over `targetMs`.
 */
export async function report(result, { out, title, rows, targetMs, width }) {
  const json = JSON.stringify(result, null, 2);
  console.log(json);
  if (out) await writeFile(out, `${json}\n`);
  const labels = Object.keys(Object.values(rows)[0] ?? {});
  console.error(`\n${title}: ${labels.join(' | ')}`);
  for (const [name, byBuild] of Object.entries(rows)) {
    const slow = byBuild.dist.median_ms >= targetMs ? '  (over target)' : '';
    console.error(`  ${name.padEnd(width)} ${labels.map((l) => String(byBuild[l].median_ms).padStart(8)).join(' | ')}${slow}`);
  }
}

/** Runs `main`, printing its error and exiting 1 if it fails. */
export function run(main) {
  main().catch((err) => {
    console.error(err?.stack ?? String(err));
    process.exit(1);
  });
}
