import { describe, expect, test } from 'vitest';
import { LOG_CEIL, LOG_FLOOR, clampToLogAxis, logSplits } from '../../www/log-axis.js';

describe('log axes', () => {
  test('values outside the bounds, and missing ones, are held at the edges', () => {
    expect([1e-40, 0, -1, NaN, null, 1e-3, 1e40, Infinity].map(clampToLogAxis)).toEqual([LOG_FLOOR, LOG_FLOOR, LOG_FLOOR, LOG_FLOOR, LOG_FLOOR, 1e-3, LOG_CEIL, LOG_CEIL]);
  });

  test('ticks over many decades are a dozen decades at most (uPlot looped forever over 1e-24 to 1e21)', () => {
    const ticks = logSplits(1e-24, 1e22);
    expect(ticks.length).toBeLessThanOrEqual(12);
    expect(ticks[0]).toBe(1e-24);
    for (const t of ticks) expect(Math.log10(t)).toBeCloseTo(Math.round(Math.log10(t)), 9);
    expect(logSplits(1e-300, 1e300).length).toBeLessThanOrEqual(12);
    expect(logSplits(0, Infinity).length).toBeLessThanOrEqual(12);
    // A short plot asks for fewer: every 10th of the 46 decades.
    expect(logSplits(1e-24, 1e21, 5)).toEqual([1e-24, 1e-14, 1e-4, 1e6, 1e16]);
  });

  test('a narrow range gets 1, 2 and 5 in each decade; one decade at least its ends', () => {
    expect(logSplits(1e-3, 1e-1)).toEqual([1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1]);
    expect(logSplits(1e-4, 1e-3)).toEqual([1e-4, 2e-4, 5e-4, 1e-3]);
    expect(logSplits(1, 1)).toEqual([1]);
    // A short plot (an embed's rate chart) has room for its decades only.
    expect(logSplits(1e-2, 1, 4)).toEqual([1e-2, 1e-1, 1]);
  });
});
