// The wasm module's size budget: what a first visit downloads, gzipped at level 9 as a static host
// serves it. The engine gets 400 KB; the digits data set it carries (src/data/digits.bin, built in with
// `include_bytes!`) may add up to 64 KB more. `make wasm` prints the figures; tests/js/wasm-size.test.js
// (part of `make test`) fails over budget, so a build that outgrows it still finishes and every other
// suite still runs.
//
// Usage: node scripts/wasm-size.mjs [--check] [path/to/module.wasm]   (default pkg/lr_playground_bg.wasm)
//   --check: exit with status 1 over budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export const KB = 1000;
export const ENGINE_BUDGET = 400 * KB;
export const DIGITS_BUDGET = 64 * KB;
/** The module as built: the engine and the digits data inside it. */
export const MODULE_BUDGET = ENGINE_BUDGET + DIGITS_BUDGET;

const root = new URL('../', import.meta.url);
export const MODULE = new URL('pkg/lr_playground_bg.wasm', root);
export const DIGITS = new URL('src/data/digits.bin', root);

export const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * Raw and gzipped bytes of the module and of the digits data, the engine's share (the module less the
 * digits, both gzipped: what the engine's 400 KB is measured against), and whether the engine and the
 * digits are each within budget (then the module is within the sum of the two).
 */
export function measure(modulePath = MODULE, digitsPath = DIGITS) {
  const module = readFileSync(modulePath);
  const digits = readFileSync(digitsPath);
  const moduleGz = gzipped(module);
  const digitsGz = gzipped(digits);
  return {
    raw: module.length,
    gzipped: moduleGz,
    digitsGzipped: digitsGz,
    engineGzipped: moduleGz - digitsGz,
    withinBudget: moduleGz - digitsGz <= ENGINE_BUDGET && digitsGz <= DIGITS_BUDGET,
  };
}

const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

/** One line for people: the figures against the budget. */
export function report(m) {
  return (
    `wasm: ${m.raw} bytes, ${m.gzipped} gzipped (${kb(m.gzipped)} of ${kb(MODULE_BUDGET)}: ` +
    `${kb(ENGINE_BUDGET)} engine + ${kb(DIGITS_BUDGET)} digits data; the engine takes ${kb(m.engineGzipped)}, ` +
    `the digits ${kb(m.digitsGzipped)})`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const m = measure(args.find((a) => a !== '--check') ?? MODULE);
  console.log(report(m));
  if (!m.withinBudget) {
    const over = [
      [m.engineGzipped - ENGINE_BUDGET, 'the engine'],
      [m.digitsGzipped - DIGITS_BUDGET, 'the digits data'],
    ].filter(([bytes]) => bytes > 0);
    for (const [bytes, what] of over) {
      console.error(`wasm: OVER BUDGET: ${what} by ${kb(bytes)} gzipped (scripts/wasm-size.mjs)`);
    }
    if (check) process.exit(1);
  }
}
