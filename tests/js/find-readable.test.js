import { describe, expect, test } from 'vitest';
import { parseCurve } from '../../www/demos/find/csv.js';
import { lowestPoint, plotView } from '../../www/demos/find/view.js';
import { LABEL_ROW_PX, laneHeight, laneLayout } from '../../www/demos/find/marker-labels.js';

describe("Find reads fastai's recorder and marks the real minimum", () => {
  test('learn.recorder.lrs and learn.recorder.losses pasted as Python prints them', () => {
    const text = 'lrs = [1e-07, 1.2e-07, 1.44e-07]\nlosses = [tensor(2.3104), tensor(2.3011), tensor(nan)]';
    const curve = parseCurve(text);
    expect(Array.from(curve.lrs)).toEqual([1e-7, 1.2e-7, 1.44e-7]);
    expect(Array.from(curve.losses)).toEqual([2.3104, 2.3011, NaN]);
    expect(curve.skipped).toEqual([]);
    // Either order: the rates are the list that grows.
    expect(Array.from(parseCurve('[2.3, 2.2]\n[0.001, 0.01]').lrs)).toEqual([0.001, 0.01]);
  });

  test('the plot marks the lowest point of the curve, beside fastai’s minimum ÷ 10', () => {
    const result = {
      lrs: new Float64Array([0.01, 0.1, 1, 10]),
      runs: [{ losses: [3, 2, 1, 5], smoothed: [3, 2, 1, 5] }],
      suggestions: { minimum: { lr: 0.1, index: 2 } },
    };
    const view = plotView({ progress: null, result }, 'minimum');
    expect(view.lowest).toEqual({ lr: 1, loss: 1 });
    expect(view.markers[0].lr).toBe(0.1);
    expect(lowestPoint([1, 2], [NaN, NaN])).toBeNull();
  });
});

describe("the suggestions' label lane", () => {
  test('puts a label in the nearest row where it overlaps no other, and left of its line at the right edge', () => {
    const placed = laneLayout(
      [
        { x: 10, width: 50 },
        { x: 30, width: 50 },
        { x: 100, width: 20 },
        { x: 190, width: 40 },
      ],
      0,
      200,
    );
    expect(placed).toEqual([
      { left: 14, row: 0 },
      { left: 34, row: 1 },
      { left: 104, row: 0 },
      { left: 146, row: 0 },
    ]);
    expect(laneHeight(2)).toBeGreaterThanOrEqual(2 * LABEL_ROW_PX);
  });
});
