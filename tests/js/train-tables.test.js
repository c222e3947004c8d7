import { describe, expect, test } from 'vitest';
import { formatNumber, statusText } from '../../www/demos/train/tables.js';

describe('Train readouts', () => {
  test('a run state in words, with the step where it diverged', () => {
    expect(statusText({ state: 'training', diverged_at: null })).toBe('training');
    expect(statusText({ state: 'diverged', diverged_at: 41 })).toBe('diverged at step 41');
    expect(statusText({ state: 'finished', diverged_at: null })).toBe('finished');
  });

  test('numbers to three significant digits, a dash for none', () => {
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(12345.6)).toBe('12300');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(NaN)).toBe('–');
    expect(formatNumber(null)).toBe('–');
    expect(formatNumber(undefined)).toBe('–');
  });
});
