import { describe, expect, test } from 'vitest';
import { toCsv, toJson } from '../../www/demos/schedules/export.js';

const series = [
  { kind: 'StepLR', spec: { kind: 'StepLR', lr: 0.1, step_size: 2 }, lr: new Float64Array([0.1, 0.1, 0.010000000000000002]), momentum: null },
  { kind: 'OneCycleLR', spec: { kind: 'OneCycleLR', max_lr: 1, total_steps: 1 }, lr: new Float64Array([0.04, 1]), momentum: new Float64Array([0.95, NaN]) },
];

describe('CSV export', () => {
  test('header, then one row per step with every value at full precision', () => {
    expect(toCsv(series)).toBe(
      [
        'step,StepLR_1_lr,StepLR_1_momentum,OneCycleLR_2_lr,OneCycleLR_2_momentum',
        '0,0.1,,0.04,0.95',
        '1,0.1,,1,',
        '2,0.010000000000000002,,,',
        '',
      ].join('\n'),
    );
  });

  test('a schedule that failed to build leaves empty columns', () => {
    const csv = toCsv([{ kind: 'CyclicLR', spec: {}, lr: null, momentum: null, error: 'bad' }, series[0]]);
    expect(csv.split('\n')[1]).toBe('0,,,0.1,');
  });

  test('header cells with commas or quotes are quoted', () => {
    const csv = toCsv([{ kind: 'a,"b"', lr: new Float64Array([1]), momentum: null }]);
    expect(csv.split('\n')[0]).toBe('step,"a,""b""_1_lr","a,""b""_1_momentum"');
  });
});

describe('JSON export', () => {
  test('specs with plain arrays; missing values are null', () => {
    const out = JSON.parse(toJson(series));
    expect(out.schedules[0]).toEqual({ spec: series[0].spec, lr: [0.1, 0.1, 0.010000000000000002], momentum: null, error: null });
    expect(out.schedules[1].momentum).toEqual([0.95, null]);
  });
});
