import { describe, expect, test } from 'vitest';
import { formatRate, formatTick } from '../../www/format.js';
import { formatNumber } from '../../www/demos/train/tables.js';

describe('numbers for reading', () => {
  test('a huge loss in exponent form, not nineteen digits', () => {
    expect(formatTick(1.93e18)).toBe('1.93e18');
    expect(formatNumber(1.93e18)).toBe('1.93e18');
    expect(formatNumber(-2.5e7)).toBe('-2.5e7');
    expect(formatTick(999_000)).toBe('999000');
    expect(formatTick(0.000123456)).toBe('0.000123');
    expect(formatTick(0.00000446)).toBe('4.46e-6');
    expect(formatTick(-0.00005)).toBe('-5e-5');
    expect(formatTick(0)).toBe('0');
    expect(formatTick(null)).toBe('');
  });

  test('rates in exponent form at the ends, with no plus sign', () => {
    expect(formatRate(1e-7)).toBe('1e-7');
    expect(formatRate(20000)).toBe('2e4');
    expect(formatRate(0.01)).toBe('0.01');
  });
});
