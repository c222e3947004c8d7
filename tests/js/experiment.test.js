import { describe, expect, test } from 'vitest';
import { finalFinding, formatTimes, medianRatio, median, pairedCount, pairedVerdict, quantile, seedBand, signTestP, timeFinding, timeToTarget } from '../../www/experiment/index.js';

describe('summaries over seeds', () => {
  test('quantiles interpolate linearly, as numpy, over the finite values only', () => {
    expect(quantile([4, 1, 3, 2, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(median([1, NaN, 3, null, Infinity])).toBe(2);
    expect(median([NaN, null])).toBeNull();
    expect(() => quantile([1], 1.5)).toThrow(/q must be in \[0, 1\], got 1.5/);
  });

  test('a band step by step: median and quartiles, none where most seeds have no value', () => {
    const band = seedBand([
      [1, 2, 3, 4],
      [3, 4, NaN],
      [5, 6, NaN],
      [7, 8, 9],
    ]);
    expect(band.median).toEqual([4, 5, 6, null]);
    expect(band.lo).toEqual([2.5, 3.5, 4.5, null]);
    expect(band.hi).toEqual([5.5, 6.5, 7.5, null]);
    expect(seedBand([[1, 9]], { lo: 0, hi: 1 })).toEqual({ median: [1, 9], lo: [1, 9], hi: [1, 9] });
    expect(seedBand([])).toEqual({ median: [], lo: [], hi: [] });
    expect(() => seedBand([[1]], { lo: 0.9, hi: 0.1 })).toThrow(/must not exceed/);
  });
});

describe('paired comparisons', () => {
  test('time to a target: the first evaluation at or past it, never a NaN', () => {
    const steps = [0, 100, 200, 300];
    expect(timeToTarget(steps, [1, 0.5, 0.2, 0.1], 0.3)).toBe(200);
    expect(timeToTarget(steps, [0.5, NaN, 0.96, 0.97], 0.95, { goal: 'above' })).toBe(200);
    expect(timeToTarget(steps, [0.5, 0.6], 0.95, { goal: 'above' })).toBeNull();
    expect(timeToTarget(steps, [NaN, NaN, NaN, NaN], 0.3)).toBeNull();
    expect(() => timeToTarget(steps, [], 1, { goal: 'up' })).toThrow(/goal must be/);
  });

  test('seed by seed: a missing value loses to any value and ties with another', () => {
    expect(pairedCount([1, 2, null, 5, null], [2, 2, 3, null, NaN])).toEqual({ wins: 2, losses: 1, ties: 2, n: 5 });
    expect(pairedCount([0.9, 0.8], [0.7, 0.85], { lowerIsBetter: false })).toEqual({ wins: 1, losses: 1, ties: 0, n: 2 });
    expect(() => pairedCount([1], [1, 2])).toThrow(/1 and 2 seeds/);
  });

  test("the sign test's two-sided p-value", () => {
    expect(signTestP(8, 0)).toBeCloseTo(2 / 256, 12);
    expect(signTestP(7, 1)).toBeCloseTo((2 * 9) / 256, 12);
    expect(signTestP(1, 7)).toBeCloseTo((2 * 9) / 256, 12);
    expect(signTestP(4, 4)).toBe(1);
    expect(signTestP(0, 0)).toBe(1);
  });

  test('the median ratio counts only seeds where both arms have a time', () => {
    expect(medianRatio([100, 200, 300, null], [180, 400, 500, 900])).toBeCloseTo(1.8, 12);
    expect(medianRatio([null], [5])).toBeNull();
  });

  test('a verdict names a winner only when the split is unlikely by chance', () => {
    expect(pairedVerdict([1, 1, 1, 1, 1, 1, 1, 2], [2, 2, 2, 2, 2, 2, 2, 1])).toMatchObject({ winner: 'a', better: 7, n: 8, decisive: true });
    expect(pairedVerdict([1, 1, 1, 1, 2, 2, 2, 2], [2, 2, 2, 2, 1, 1, 1, 1])).toMatchObject({ winner: null, decisive: true });
    expect(pairedVerdict([2, 2, 2, 2, 2, 2, 2, 2], [1, 1, 1, 1, 1, 1, 1, 1])).toMatchObject({ winner: 'b', ahead: 'b', better: 8 });
    // Three seeds: even a clean sweep happens by chance one time in four.
    expect(pairedVerdict([1, 1, 1], [2, 2, 2])).toMatchObject({ winner: null, decisive: false, better: 3 });
  });
});

describe('findings in words', () => {
  const oneCycle = (times) => ({ name: 'one-cycle', times });
  const constant = (times) => ({ name: 'the best constant rate', times });
  const target = '95 % validation accuracy';

  test('a clear difference: who, how many times sooner, in how many seeds', () => {
    const f = timeFinding({ a: oneCycle([100, 100, 100, 100, 100, 100, 100, 300]), b: constant([180, 180, 180, 180, 180, 180, 180, 200]), target, steps: 2000 });
    expect(f.sentence).toBe('One-cycle reached 95 % validation accuracy 1.8× sooner than the best constant rate in 7 of 8 seeds.');
    expect(f.winner).toBe('a');
  });

  test('the arm ahead is named first, whichever it is, and misses are told', () => {
    const f = timeFinding({ a: oneCycle([null, null, null, null, null, null, 900, null]), b: constant([300, 300, 300, 300, 300, 300, 300, 300]), target, steps: 2000 });
    expect(f.sentence).toBe('The best constant rate reached 95 % validation accuracy 3.0× sooner than one-cycle in 8 of 8 seeds (one-cycle did not reach it in 7 of 8 seeds within 2000 steps).');
    expect(f.winner).toBe('b');
  });

  test('no difference beyond seed noise, too few seeds, and a target nobody reached', () => {
    expect(timeFinding({ a: oneCycle([100, 100, 100, 100, 300, 300, 300, 100]), b: constant([120, 120, 120, 120, 110, 110, 110, 110]), target, steps: 2000 }).sentence).toBe(
      'No difference beyond seed noise: one-cycle reached 95 % validation accuracy 1.1× sooner than the best constant rate in 5 of 8 seeds.',
    );
    expect(timeFinding({ a: oneCycle([100, 100, 100, 100, 100, 100, 100, 100]), b: constant([102, 102, 102, 102, 102, 102, 102, 102]), target, steps: 2000 }).sentence).toBe(
      'One-cycle reached 95 % validation accuracy sooner than the best constant rate in 8 of 8 seeds.',
    );
    expect(timeFinding({ a: oneCycle([100, 100]), b: constant([200, 200]), target, steps: 500 }).sentence).toBe(
      'Too few seeds to tell (2 seeds): one-cycle reached 95 % validation accuracy 2.0× sooner than the best constant rate in 2 of 2 seeds.',
    );
    expect(timeFinding({ a: oneCycle([null, null]), b: constant([null, null]), target, steps: 500 }).sentence).toBe(
      'Neither one-cycle nor the best constant rate reached 95 % validation accuracy within 500 steps (2 seeds).',
    );
  });

  test('values at a step, not at the end', () => {
    const a = { name: 'high', values: [1, 1, 1, 1, 1, 1] };
    const b = { name: 'good', values: [2, 2, 2, 2, 2, 2] };
    expect(finalFinding({ a, b, quantity: 'validation loss', verb: 'had' }).sentence).toBe('High had a lower validation loss than good in 6 of 6 seeds (median 1 against 2).');
  });

  test('final values compared, with their medians', () => {
    const a = { name: 'triangular', values: [0.1, 0.12, 0.11, 0.09, 0.1, 0.13] };
    const b = { name: 'constant 0.5', values: [0.2, 0.22, 0.21, 0.19, 0.2, 0.23] };
    expect(finalFinding({ a, b, quantity: 'validation loss' }).sentence).toBe('Triangular ended with a lower validation loss than constant 0.5 in 6 of 6 seeds (median 0.105 against 0.205).');
    expect(finalFinding({ a, b: { ...b, values: [0.1, 0.12, 0.11, 0.09, 0.1, NaN].reverse() }, quantity: 'validation loss' }).sentence).toMatch(/^No difference in validation loss beyond seed noise: /);
    expect(finalFinding({ a: { ...a, values: [0.9, 0.95] }, b: { ...b, values: [0.8, 0.85] }, quantity: 'validation accuracy', lowerIsBetter: false }).sentence).toBe(
      'Too few seeds to tell (2 seeds): triangular ended with a higher validation accuracy than constant 0.5 in 2 of 2 seeds (median 0.925 against 0.825).',
    );
  });

  test('how many times, to two significant digits', () => {
    expect([1.8, 1.04, 12.4, 3].map(formatTimes)).toEqual(['1.8×', '1.0×', '12×', '3.0×']);
  });
});
