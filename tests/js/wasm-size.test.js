// The built module against its size budget (scripts/wasm-size.mjs). Needs `make wasm` first.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CEILING, DIGITS_BUDGET, MODULE, measure, report } from '../../scripts/wasm-size.mjs';

const built = existsSync(MODULE);
if (!built) console.warn('wasm-size.test.js: SKIPPED, pkg/ is absent (run `make wasm` first)');

describe.skipIf(!built)('the wasm module', () => {
  test('the digits data stays within its gzipped budget', () => {
    expect(measure().digitsGzipped).toBeLessThanOrEqual(DIGITS_BUDGET);
  });

  // The full budget (MODULE_BUDGET) is not met yet: the module must at least not grow (CEILING).
  test('does not grow past its ceiling while it is over budget', () => {
    const m = measure();
    console.log(report(m));
    expect(m.gzipped).toBeLessThanOrEqual(CEILING);
  });
});
