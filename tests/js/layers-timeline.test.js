import { describe, expect, test } from 'vitest';
import {
  appendTimeline,
  decadesAround,
  emptyTimeline,
  logFraction,
  phaseStarts,
  planTimeline,
  rateChartData,
  setFrozen,
  sparkLines,
  sparkY,
  sparseDecades,
  stageTimeline,
  timelineAt,
  timelineSteps,
  truncateTimeline,
} from '../../www/demos/layers/timeline.js';
import { heldValidation } from '../../www/demos/layers/lab.js';

// planGroups' answer for 2 groups over 4 steps: group 0 frozen for the first two.
const PLAN = {
  steps: 4,
  n_groups: 2,
  lr: Float64Array.from([0.001, 0.01, 0.001, 0.01, 0.002, 0.02, 0.003, 0.03]),
  trainable: Uint8Array.from([0, 1, 0, 1, 1, 1, 1, 1]),
  phases: [{ steps: 2 }, { steps: 2 }],
};

describe('rate timelines', () => {
  test('a plan reads row-major [step][group] into one column per group', () => {
    const t = planTimeline(PLAN);
    expect(t.lr).toEqual([
      [0.001, 0.001, 0.002, 0.003],
      [0.01, 0.01, 0.02, 0.03],
    ]);
    expect(t.frozen).toEqual([
      [true, true, false, false],
      [false, false, false, false],
    ]);
    expect(timelineSteps(t)).toBe(4);
    expect(timelineAt(t, 1)).toEqual({ lr: [0.001, 0.01], frozen: [true, false] });
    // Past the end: the last step's; an empty timeline has none.
    expect(timelineAt(t, 9)).toEqual({ lr: [0.003, 0.03], frozen: [false, false] });
    expect(timelineAt(emptyTimeline(2), 0)).toBeNull();
    expect(phaseStarts(PLAN.phases)).toEqual([0, 2, 4]);
  });

  test('stages append, a redo truncates, and a click freezes a stretch', () => {
    const t = emptyTimeline(3);
    appendTimeline(t, stageTimeline([0.1, 0.05], [0.25, 0.5, 1], [true, false, false]));
    expect(t.lr).toEqual([
      [0.025, 0.0125],
      [0.05, 0.025],
      [0.1, 0.05],
    ]);
    appendTimeline(t, stageTimeline(Float64Array.from([0.2]), [1, 1, 1], [false, false, false]));
    expect(t.frozen.map((c) => c.length)).toEqual([3, 3, 3]);
    expect(t.frozen[0]).toEqual([true, true, false]);
    setFrozen(t, 2, 1, 10, true);
    expect(t.frozen[2]).toEqual([false, true, true]);
    truncateTimeline(t, 1);
    expect(timelineSteps(t)).toBe(1);
    expect(t.frozen.map((c) => c.length)).toEqual([1, 1, 1]);
  });

  test("the chart's data: each group solid where it trains, dashed where frozen (drawn last), joined at the change", () => {
    const { data, series } = rateChartData(planTimeline(PLAN));
    expect(series).toEqual([
      { group: 0, frozen: false },
      { group: 1, frozen: false },
      { group: 0, frozen: true },
      { group: 1, frozen: true },
    ]);
    const [x, g0, g1, g0frozen, g1frozen] = data;
    expect(x).toEqual([0, 1, 2, 3]);
    expect(g0).toEqual([null, null, 0.002, 0.003]);
    expect(g0frozen).toEqual([0.001, 0.001, 0.002, null]);
    expect(g1).toEqual([0.01, 0.01, 0.02, 0.03]);
    expect(g1frozen).toEqual([null, null, null, null]);
    // A rate a log axis cannot show is a gap.
    const zero = rateChartData({ lr: [[0, 0.1]], frozen: [[false, false]] }).data;
    expect(zero).toEqual([[0, 1], [null, 0.1], [null, null]]);
  });

  test('log bars and sparklines place values by decade', () => {
    expect(logFraction(1e-3, 1e-6, 1)).toBeCloseTo(0.5, 12);
    expect(logFraction(1, 1e-6, 1)).toBe(1);
    expect(logFraction(10, 1e-6, 1)).toBe(1);
    expect(logFraction(1e-9, 1e-6, 1)).toBe(0);
    for (const bad of [0, -1, NaN, Infinity, null, undefined]) expect(logFraction(bad, 1e-6, 1)).toBe(0);

    const box = { width: 100, height: 20, lo: 1e-4, hi: 1 };
    expect(sparkLines([1e-4, 1e-2, 1], box)).toEqual(['0,20 50,10 100,0']);
    // A value a log scale cannot show breaks the line in two.
    expect(sparkLines([1e-2, NaN, 1e-2, 1], box)).toEqual(['0,10', '66.7,10 100,0']);
    expect(sparkLines([], box)).toEqual([]);
    expect(sparkY(1e-3, box)).toBe(15);

    expect(decadesAround([0.03, 0.4])).toEqual([0.01, 1]);
    expect(decadesAround([0.05, 0.05])).toEqual([0.01, 0.1]);
    expect(decadesAround([0, NaN])).toEqual([1e-3, 1]);

    // A log axis labels at most five decades: every other one of eight.
    const decades = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
    expect(sparseDecades(decades)).toEqual([1e-8, null, 1e-6, null, 1e-4, null, 1e-2, null]);
    expect(sparseDecades([1e-3, 2e-3, 5e-3, 1e-2, 1e-1])).toEqual([1e-3, null, null, 1e-2, 1e-1]);
  });

  test("validation losses are held from each evaluation to the next, for a line over steps", () => {
    const evaluations = [
      { step: 0, report: [{ validation_loss: 1 }, { validation_loss: 2 }] },
      { step: 2, report: [{ validation_loss: 0.5 }, { validation_loss: null }] },
    ];
    expect(heldValidation(evaluations, 4, 0)).toEqual([1, 1, 0.5, 0.5]);
    expect(heldValidation(evaluations, 4, 1)).toEqual([2, 2, null, null]);
    expect(heldValidation([], 2, 0)).toEqual([null, null]);
  });
});
