import { describe, expect, test } from 'vitest';
import { formatBound, rangeInWords } from '../../www/number-range.js';

describe('a number range in words', () => {
  test('integer bounds exactly, with digit groups; other bounds as the page writes numbers', () => {
    expect(formatBound(4294967288)).toBe('4,294,967,288');
    expect(formatBound(0.001)).toBe('0.001');
    expect(rangeInWords({ min: 0, max: 2 ** 32 - 8, integer: true })).toBe('a whole number from 0 to 4,294,967,288');
    expect(rangeInWords({ min: 1e-7 })).toBe('a number of at least 1e-7');
    expect(rangeInWords({ max: 100 })).toBe('a number of at most 100');
    expect(rangeInWords({})).toBe('a number');
  });
});
