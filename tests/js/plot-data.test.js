import { describe, expect, test } from 'vitest';
import { appendData, plotData } from '../../www/plot-data.js';

describe('plot data', () => {
  test('steps on x; a gap (null) past a series\' end, for NaN, and for what a log axis cannot show', () => {
    const columns = [new Float64Array([0.1, 0, -1]), [1, NaN], null];
    expect(plotData(3, columns, false)).toEqual([
      [0, 1, 2],
      [0.1, 0, -1],
      [1, null, null],
      [null, null, null],
    ]);
    expect(plotData(3, columns, true)[1]).toEqual([0.1, null, null]);
  });

  test('appending adds only the new steps, into the same arrays', () => {
    const losses = [[0.9, 0.8], [1, Infinity]];
    const data = plotData(0, losses, true);
    const [x, first] = data;
    expect(appendData(data, losses, true)).toBe(2);
    losses[0].push(0.7, 0.6);
    losses[1].push(2, 3);
    // Earlier points are never read again: a stale one stays as it was drawn.
    losses[0][0] = 42;
    expect(appendData(data, losses, true)).toBe(2);
    expect(data).toEqual([
      [0, 1, 2, 3],
      [0.9, 0.8, 0.7, 0.6],
      [1, null, 2, 3],
    ]);
    expect(data[0]).toBe(x);
    expect(data[1]).toBe(first);
    expect(appendData(data, losses, true)).toBe(0);
  });
});
