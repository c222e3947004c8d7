// The built module against its size budget (scripts/wasm-size.mjs). Needs `make wasm` first.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIGITS_BUDGET, MODULE, MODULE_BUDGET, measure, report } from '../../scripts/wasm-size.mjs';

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
