// The built module against its size budget (scripts/wasm-size.mjs). Needs `make wasm` first.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIGITS_BUDGET, MODULE, MODULE_BUDGET, measure, report } from '../../scripts/wasm-size.mjs';

const built = existsSync(MODULE);
if (!built) console.warn('wasm-size.test.js: SKIPPED, pkg/ is absent (run `make wasm` first)');

describe.skipIf(!built)('the wasm module', () => {
  test('is within its gzipped budget, digits data included', () => {
    const m = measure();
    console.log(report(m));
    expect(m.digitsGzipped).toBeLessThanOrEqual(DIGITS_BUDGET);
    expect(m.gzipped).toBeLessThanOrEqual(MODULE_BUDGET);
  });
});
