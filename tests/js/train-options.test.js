import { describe, expect, test } from 'vitest';
import train from '../../www/demos/train/index.js';
import { placeError } from '../../www/field-errors.js';
import { DEFAULT_OPTIMIZER, DEFAULT_RUNS, OPTION_PATH, sessionOptions } from '../../www/demos/train/options.js';
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

  test('the digits get 64 inputs, ten outputs and no synthetic fields', () => {
    const options = sessionOptions({ ...defaults(), data: 'digits', hidden: [32] });
    expect(options.layers).toEqual([64, 32, 10]);
    expect(options.loss).toBe('cross_entropy');
    expect(options.data).toEqual({ kind: 'digits' });
  });

  // Where an engine Error lands among the settings: its field's path, as settings.js places them.
  test.each([
    ['batch_size', 'batch'],
    ['layers', 'hidden'],
    ['layers[1]', 'hidden'],
    ['activation', 'activation'],
    ['data.kind', 'data'],
    ['data.n', 'points'],
    ['data.noise', 'noise'],
    ['runs', undefined],
    ['loss', undefined],
  ])('an error in %s goes to the %s setting', (field, setting) => {
    let shownIn;
    const places = new Map(Object.entries(OPTION_PATH).map(([key, path]) => [path, (error) => error && (shownIn = key)]));
    expect(placeError(places, Object.assign(new Error('bad'), { field }))).toBe(setting !== undefined);
    expect(shownIn).toBe(setting);
  });
});
