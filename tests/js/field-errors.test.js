import { describe, expect, test } from 'vitest';
import { below, placeError } from '../../www/field-errors.js';

const fieldError = (message, field) => Object.assign(new Error(message), { field });

// Places that record what they were shown: `shown[path]` is the last error's { message, field }, or null.
function recorder(paths) {
  const shown = {};
  const places = new Map(paths.map((path) => [path, (error) => (shown[path] = error && { message: error.message, field: error.field })]));
  return { places, shown };
}

describe('error fields', () => {
  test.each([
    ['batch_size', 'batch_size', ''],
    ['layers[2]', 'layers', '[2]'],
    ['runs[0].schedule.step_size_up', 'runs[0].schedule', 'step_size_up'],
    ['runs[10].seed', 'runs[1]', null],
    ['data.noise', 'data.n', null],
    ['data.noise', 'data', 'noise'],
    ['optimizer', 'optimizer.momentum', null],
  ])('%s below %s is %s', (field, path, rest) => {
    expect(below(field, path)).toBe(rest);
  });

  test('an error goes to the place of its field, the others are cleared', () => {
    const { places, shown } = recorder(['batch_size', 'data.noise', 'data.n']);
    expect(placeError(places, fieldError('data.noise: must be in [0, 1], got 2', 'data.noise'))).toBe(true);
    expect(shown).toEqual({ batch_size: null, 'data.noise': { message: 'data.noise: must be in [0, 1], got 2', field: '' }, 'data.n': null });
    expect(placeError(places, null)).toBe(false);
    expect(Object.values(shown)).toEqual([null, null, null]);
  });

  test('the longest path holding the field wins, and gets the rest of the field', () => {
    const { places, shown } = recorder(['optimizer', 'optimizer.betas']);
    placeError(places, fieldError('betas[1]: must be in [0, 1)', 'optimizer.betas[1]'));
    expect(shown).toEqual({ optimizer: null, 'optimizer.betas': { message: 'betas[1]: must be in [0, 1)', field: '[1]' } });
  });

  test('an error without a field, or with one no place holds, is left to the caller', () => {
    const { places, shown } = recorder(['batch_size']);
    expect(placeError(places, new Error('options.batch_size: must be an integer in [1, 320], got 0'))).toBe(false);
    expect(placeError(places, fieldError('runs: must list 1 to 256 runs, got 0', 'runs'))).toBe(false);
    expect(shown.batch_size).toBeNull();
  });

  test("a run's schedule error reaches the field of that run's editor, nested specs included", () => {
    // As the Train demo nests them: runs.js places by run, each run's schedule editor by field name.
    const editor = recorder(['step_size_up', 'schedules']);
    const places = new Map([
      ['runs[0].schedule', (error) => placeError(new Map(), error)],
      ['runs[1].schedule', (error) => placeError(editor.places, error)],
    ]);
    expect(placeError(places, fieldError('must be an integer in [1, 1000000000], got 0', 'runs[1].schedule.step_size_up'))).toBe(true);
    expect(editor.shown).toEqual({ step_size_up: { message: 'must be an integer in [1, 1000000000], got 0', field: '' }, schedules: null });
    placeError(places, fieldError('gamma: must be in (0, 1]', 'runs[1].schedule.schedules[1].gamma'));
    expect(editor.shown).toEqual({ step_size_up: null, schedules: { message: 'gamma: must be in (0, 1]', field: '[1].gamma' } });
  });
});
