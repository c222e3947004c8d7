// The guide's sentences say what the numbers show, whichever way they came out.
import { describe, expect, test } from 'vitest';
import { basinsFinding, cyclePeaks, cyclicFinding, descentFinding, discriminativeFinding, fourRatesFinding, recipeFinding } from '../../www/demos/guide/findings.js';
import { rangeFinding } from '../../www/demos/guide/figures/range-test.js';
import { FIGURES } from '../../www/demos/guide/figures/index.js';
import { FIGURE_IDS } from '../../www/demos/guide/state.js';

describe('the guide', () => {
  test('its figures are the post\'s eight, in order, each with a question, a claim and a demo to open', () => {
    expect(FIGURES.map((f) => f.id)).toEqual(FIGURE_IDS);
    expect(FIGURE_IDS).toEqual(['small-vs-large', 'four-rates', 'range-test', 'saddle', 'clr', 'sgdr', 'recipe', 'discriminative']);
    for (const f of FIGURES) {
      expect([1, 2, 3, 4]).toContain(f.question);
      expect(f.claim.length).toBeGreaterThan(40);
      expect(['schedules', 'train', 'find', 'surfaces', 'layers']).toContain(f.open.demo);
    }
    const questions = FIGURES.map((f) => f.question);
    expect(questions).toEqual([...questions].sort());
  });

  test('descent: the fastest rate, how long the slow one took, and which overstepped', () => {
    const loss = (rate, n) => Array.from({ length: n }, (_, t) => 8 * rate ** t);
    const text = descentFinding([
      { lr: 0.02, loss: loss(0.9, 61), state: 'finished' },
      { lr: 0.15, loss: loss(0.5, 61), state: 'finished' },
      { lr: 0.21, loss: loss(1.2, 61), state: 'finished' },
    ]);
    expect(text).toBe('lr 0.15 brought the loss to a thousandth of its start in 10 steps; lr 0.02 had not got there after 60. lr 0.21 overstepped: its loss grew from 8 to 4.51e5.');
  });

  const arm = (lr, start, early, final, diverged = 0) => ({ lr, start, early, final, diverged, seeds: 3 });

  test("four rates: every claim of cs231n's figure that held, and each that did not", () => {
    const asInFigure = fourRatesFinding([arm(10, 0.7, 50, 90, 3), arm(1, 0.7, 0.2, 0.3), arm(0.1, 0.7, 0.4, 0.05), arm(0.001, 0.7, 0.69, 0.6)]);
    expect(asInFigure).toMatch(/^As in cs231n's figure, the very high rate \(10\) blew up \(3 of 3 seeds diverged\), the high rate \(1\) fell faster/);
    expect(asInFigure).not.toContain('Not as in the figure');
    const highWins = fourRatesFinding([arm(10, 0.7, 50, 90, 3), arm(1, 0.7, 0.2, 0.01), arm(0.1, 0.7, 0.4, 0.05), arm(0.001, 0.7, 0.69, 0.6)]);
    expect(highWins).toContain('Not as in the figure: it is not true here that the high rate (1) fell faster');
    const highDiverged = fourRatesFinding([arm(10, 0.7, 50, 90, 3), arm(1, 0.7, 2.7, Infinity, 2), arm(0.1, 0.7, 0.6, 0.003), arm(0.001, 0.7, 0.69, 0.3)]);
    expect(highDiverged).toContain('(2.7 against 0.6) and then stalled above the good one (diverged against 0.003)');
  });

  test('cyclic: triangular keeps its peak, triangular2 halves it', () => {
    const wave = (peaks) => peaks.flatMap((p) => [0, p / 2, p, p / 2]).concat([0]);
    expect(cyclePeaks(wave([4, 2, 1]))).toEqual([4, 2, 1]);
    expect(cyclicFinding({ triangular: wave([4, 4, 4]), triangular2: wave([4, 2, 1]) })).toBe(
      'triangular returns to the same peak every cycle (3 peaks at 4); triangular2 halves the amplitude each cycle (peaks 4, 2, 1), so it settles while still exploring early.',
    );
  });

  test('basins: says when restarts did not beat the small fixed rate', () => {
    const arms = [
      { label: 'fixed 0.005', basins: [2, 2, 1], diverged: 0 },
      { label: 'fixed 0.02', basins: [0, 2, 1], diverged: 2 },
      { label: 'warm restarts', basins: [1, 2, 2], diverged: 0 },
    ];
    expect(basinsFinding(arms, 3)).toBe(
      'Over 3 seeds, fixed 0.005 visited 2 basins (median), fixed 0.02 visited 1 basin (median, 2 of 3 diverged) and warm restarts visited 2 basins (median). Here the restarts did not visit more basins than the small fixed rate: on this surface the gradient noise, not the schedule, moves the path between minima.',
    );
    arms[2].basins = [3, 3, 2];
    expect(basinsFinding(arms, 3)).toContain('The restarts carried the path out of its basin more often');
  });

  test('plans: the rates per group and the frozen start, from the plan', () => {
    expect(discriminativeFinding([1e-4, 1e-3, 1e-2])).toContain('rates rise 10× per group');
    expect(recipeFinding({ frozenSteps: 20, headPeak: 0.002, peaks: [1e-5, 1e-4, 0.001] })).toBe(
      'For the first 20 steps only the head trains (peak 0.002); then every group trains, from 1e-5 for the first group to 0.001 for the head.',
    );
  });

  test('range test: the lowest point and the pick left of it, or no pick', () => {
    expect(rangeFinding({ lowestLr: 0.5, lowestLoss: 0.21, valley: 0.05, seeds: 3 })).toBe(
      "The median of 3 seeds was lowest (0.21) at lr 0.5; fastai's valley picks 0.05, 10× further left, where the loss still falls steeply.",
    );
    expect(rangeFinding({ lowestLr: 0.5, lowestLoss: 0.21, valley: null, seeds: 3 })).toContain('no clear descent');
  });
});
