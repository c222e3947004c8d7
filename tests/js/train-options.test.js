import { describe, expect, test } from 'vitest';
import train from '../../www/demos/train/index.js';
import { DEFAULT_OPTIMIZER, DEFAULT_RUNS, routeError, sessionOptions } from '../../www/demos/train/options.js';
import { pageSchema } from '../../www/state.js';

const defaults = () => pageSchema([train]).defaults().train;

describe('Train options', () => {
  test('the default state is the classic picture, as Session options', () => {
    expect(sessionOptions(defaults())).toEqual({
      layers: [2, 16, 16, 2],
      activation: 'relu',
      loss: 'cross_entropy',
      optimizer: DEFAULT_OPTIMIZER,
      data: { kind: 'spiral', n: 400, noise: 0.1 },
      batch_size: 16,
      runs: DEFAULT_RUNS,
    });
  });

  test('regression sets get one output and mse; no hidden layers is a linear model', () => {
    const options = sessionOptions({ ...defaults(), data: 'reg_gauss', hidden: [] });
    expect(options.layers).toEqual([2, 1]);
    expect(options.loss).toBe('mse');
  });

  test.each([
    ['options.batch_size: must be an integer in [1, 320] (the training rows), got 400', 'batch'],
    ['options.layers: must be a list of integers in [1, 1024]; must be an integer in [1, 1024], got 2000', 'hidden'],
    ['data.n: must be an integer in [4, 100000], got 2', 'points'],
    ['data.noise: must be a finite number in [0, 1], got 2', 'noise'],
    ['optimizer.betas: must be in [0, 1) (a beta of 1 never forgets)', 'optimizer.betas'],
    ['optimizer.kind: must be one of sgd | adam | adamw, got "rmsprop"', 'optimizer.kind'],
    ['runs[3].seed: must be an integer in [0, 4294967295], got -1', 'run-3-seed'],
    ['options.runs: must list 1 to 256 runs, got 0', 'general'],
    ['Session: a step() is still running; await it first', 'general'],
  ])('%s goes to %s', (message, target) => {
    expect(routeError(message)).toEqual({ target, message });
  });

  test("a run's schedule error goes to that run's editor, in the schedule's own words", () => {
    expect(routeError('runs[1].schedule: CyclicLR.step_size_up: must be an integer in [1, 1000000000], got 0')).toEqual({
      target: 'run-1-schedule',
      message: 'CyclicLR.step_size_up: must be an integer in [1, 1000000000], got 0',
    });
  });
});
