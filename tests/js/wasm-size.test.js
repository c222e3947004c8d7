// The built module against its size budget (scripts/wasm-size.mjs). Needs `make wasm` first.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DIGITS_BUDGET, MODULE, MODULE_BUDGET, gzipped, measure, report } from '../../scripts/wasm-size.mjs';

const built = existsSync(MODULE);
if (!built) console.warn('wasm-size.test.js: SKIPPED, pkg/ is absent (run `make wasm` first)');

describe.skipIf(!built)('the wasm module', () => {
  test('the digits data stays within its gzipped budget', () => {
    expect(measure().digitsGzipped).toBeLessThanOrEqual(DIGITS_BUDGET);
  });

  test('the module stays within its gzipped budget (engine and digits data)', () => {
    const m = measure();
    console.log(report(m));
    expect(m.gzipped).toBeLessThanOrEqual(MODULE_BUDGET);
    expect(m.withinBudget).toBe(true);
  });
});

describe('the size report', () => {
  test("states the engine's share: the gzipped module less the gzipped digits data", () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm-size-'));
    const module = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
    const digits = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 104729) % 241));
    writeFileSync(join(dir, 'module.wasm'), module);
    writeFileSync(join(dir, 'digits.bin'), digits);
    const m = measure(join(dir, 'module.wasm'), join(dir, 'digits.bin'));
    rmSync(dir, { recursive: true });
    expect(m.engineGzipped).toBe(gzipped(module) - gzipped(digits));
    expect(report(m)).toContain(`the engine takes ${(m.engineGzipped / 1000).toFixed(1)} KB`);
  });
});
