import { describe, expect, test } from 'vitest';
import { formatNumber } from '../../www/format.js';
import { errorText, pathInWords, readable } from '../../www/messages.js';

describe('messages in the page', () => {
  test('an engine message names the option in words, not by its path', () => {
    expect(readable('runs[0].schedule.lr (Constant): must be a finite number in (0, 100], got -1')).toBe('Run 1 schedule lr (Constant): must be a finite number in (0, 100], got -1');
    expect(readable('schedules[1].gamma: must be positive')).toBe('Schedule 2 gamma: must be positive');
    expect(readable('The network could not be trained: layers[1].size: must be at most 64')).toBe('The network could not be trained: layer 2 size: must be at most 64');
    // An option's own dotted name is how the libraries spell it.
    expect(readable('data.noise: must be at most 1')).toBe('data.noise: must be at most 1');
    // An engine Error knows its path: said in words, dotted too; a file's name stays as it is.
    expect(errorText(Object.assign(new Error('data.noise: must be at most 1'), { field: 'data.noise' }))).toBe('Data noise: must be at most 1');
    expect(errorText(Object.assign(new Error('optimizer.momentum (sgd): must be below 1'), { field: 'optimizer.momentum' }))).toBe('Optimizer momentum (sgd): must be below 1');
    expect(readable('bad.csv: Line 3, column 2 ("height"): "tall" is not a number')).toBe('bad.csv: Line 3, column 2 ("height"): "tall" is not a number');
    // A single name is the control's own label, as the libraries spell it.
    expect(readable('batch_size: must be an integer')).toBe('batch_size: must be an integer');
    expect(pathInWords('layers[2].groups[0]')).toBe('Layer 3 group 1');
  });

  test('text without a path is left as it is', () => {
    for (const text of ['must be an integer in [1, 4294967295], got 0', 'The engine could not start: it stopped', 'Ignored steps="x" from the link: expected an integer', 'lr: 0.01']) expect(readable(text)).toBe(text);
  });

  test('long numbers are written for reading', () => {
    expect(readable('loss reached 1930000000000000000 at step 12')).toBe('loss reached 1.93e18 at step 12');
    expect(readable('got 0.000000123456789')).toBe('got 1.235e-7');
    expect(formatNumber(12345.678)).toBe('12,350');
    // What the user sent is quoted exactly.
    expect(readable('Ignored noise="11111111111111" from the link')).toBe('Ignored noise="11111111111111" from the link');
    expect(formatNumber(0.003)).toBe('0.003');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });
});

describe("the engine's limits on the work of one call, in words", () => {
  test("Find's limit on batches says what it depends on, not the formula", () => {
    const error = Object.assign(new Error('num_it: must be at most 155 for this network, batch size and number of seeds (more would be too much work to run at once), got 200'), { field: 'num_it' });
    expect(errorText(error)).toBe('num_it: must be at most 155 for this network, batch size and number of seeds (more would be too much work to run at once), got 200');
    expect(readable('candidates: must hold at most 12 rates for this network and data set (more would be too much work to run at once), got 16')).toBe('candidates: must hold at most 12 rates for this network and data set (more would be too much work to run at once), got 16');
    expect(readable('steps: must be at most 2 for 8 rates on this network and these settings (more would be too much work to run at once), got 100')).toBe('steps: must be at most 2 for 8 rates on this network and these settings (more would be too much work to run at once), got 100');
  });
});
