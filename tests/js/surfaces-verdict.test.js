import { describe, expect, test } from 'vitest';
import { shownLabels } from '../../www/demos/surfaces/verdict.js';

const path = (label, lr, loss, state = 'running', steps = loss.length) => ({ label, lr: [lr], loss, state, steps });

describe("a path's shown name", () => {
  test('an expectation the outcome bears out is kept', () => {
    const paths = [path('too small', 0.01, [10, 5, 3]), path('good', 0.1, [10, 1, 1e-6]), path('too large', 0.21, [10, 40, NaN], 'diverged', 2)];
    expect(shownLabels(paths)).toEqual(['too small', 'good', 'too large']);
  });

  test('"good" that diverges, and "too large" that settles, are named by what they did', () => {
    const paths = [path('too small', 0.01, [10, 9.9, 1e-9]), path('good', 0.1, [10, 1e9, NaN], 'diverged', 37), path('too large', 0.21, [10, 2, 1e-9])];
    expect(shownLabels(paths)).toEqual(['lr 0.01: settles', 'lr 0.1: diverges at step 37', 'lr 0.21: settles']);
  });

  test('other names are left alone', () => {
    expect(shownLabels([path('SGD', 0.001, [3, 2]), path('Adam', 0.05, [3, 1])])).toEqual(['SGD', 'Adam']);
  });
});
