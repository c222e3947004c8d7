// The built module against its size budgets (scripts/wasm-size.mjs): the engine's share and the digits
// data each within their own. Needs `make wasm` first.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  DIGITS_BUDGET,
  ENGINE_BUDGET,
  MODULE,
  MODULE_BUDGET,
  gzipped,
  measure,
  report,
} from '../../scripts/wasm-size.mjs';

const built = existsSync(MODULE);
if (!built) console.warn('wasm-size.test.js: SKIPPED, pkg/ is absent (run `make wasm` first)');

describe.skipIf(!built)('the wasm module', () => {
  test('the digits data stays within its gzipped budget', () => {
    expect(measure().digitsGzipped).toBeLessThanOrEqual(DIGITS_BUDGET);
  });

  test("the engine's share (the module less the digits data) stays within its gzipped budget", () => {
    expect(measure().engineGzipped).toBeLessThanOrEqual(ENGINE_BUDGET);
  });

  test('the module stays within its gzipped budget (engine and digits data)', () => {
    const m = measure();
    console.log(report(m));
    expect(m.gzipped).toBeLessThanOrEqual(MODULE_BUDGET);
    expect(m.withinBudget).toBe(true);
  });
});

/** `measure` of a module and digits data given as bytes (written to a temporary folder). */
function measureBytes(module, digits) {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-size-'));
  try {
    writeFileSync(join(dir, 'module.wasm'), module);
    writeFileSync(join(dir, 'digits.bin'), digits);
    return measure(join(dir, 'module.wasm'), join(dir, 'digits.bin'));
  } finally {
    rmSync(dir, { recursive: true });
  }
}

describe('the size report', () => {
  test("states the engine's share: the gzipped module less the gzipped digits data", () => {
    const module = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
    const digits = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 104729) % 241));
    const m = measureBytes(module, digits);
    expect(m.engineGzipped).toBe(gzipped(module) - gzipped(digits));
    expect(report(m)).toContain(`the engine takes ${(m.engineGzipped / 1000).toFixed(1)} KB`);
  });

  test('holds the engine to its own budget: digits data under theirs lend it nothing', () => {
    // xorshift32 bytes: gzip cannot shrink them, so the gzipped engine passes its 400 KB.
    let state = 2463534242;
    const noise = Buffer.alloc(ENGINE_BUDGET + 2000).map(() => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state & 0xff;
    });
    const m = measureBytes(noise, Buffer.from('digits'));
    expect(m.gzipped).toBeLessThanOrEqual(MODULE_BUDGET);
    expect(m.engineGzipped).toBeGreaterThan(ENGINE_BUDGET);
    expect(m.withinBudget).toBe(false);
  });
});
