import { describe, expect, test } from 'vitest';
import { SCHEMA, defaults, parse, serialize } from '../../www/state.js';

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('state schema', () => {
  test('every key has a type and a default', () => {
    for (const entry of SCHEMA) {
      expect(entry.key).toMatch(/^[a-z]+$/);
      expect(entry.default).not.toBeUndefined();
    }
  });

  test('an empty hash gives the defaults and no notices', () => {
    expect(parse('')).toEqual({ state: defaults(), notices: [] });
  });

  test('round trip: serialize then parse gives the same state', () => {
    const state = {
      ...defaults(),
      demo: 'schedules',
      steps: 777,
      logy: true,
      schedules: [
        { kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 200, mode: 'triangular2' },
        { kind: 'MultiStepLR', lr: 0.1, milestones: [30, 80], gamma: 0.1, note: 'ünïcode ✓' },
      ],
    };
    const hash = serialize(state);
    expect(parse(`#${hash}`)).toEqual({ state, notices: [] });
    // Only URL-safe characters, so links survive chat apps and markdown.
    expect(hash).toMatch(/^[A-Za-z0-9_\-=&.]+$/);
  });

  test('round trip: the Train keys too', () => {
    const state = {
      ...defaults(),
      demo: 'train',
      data: 'reg_gauss',
      noise: 0.35,
      points: 1000,
      hidden: [],
      activation: 'tanh',
      batch: 64,
      trainsteps: 500,
      optimizer: { kind: 'adamw', betas: [0.9, 0.99], eps: 1e-7 },
      runs: [{ schedule: { kind: 'Constant', lr: 90 }, seed: 7 }, { schedule: { kind: 'OneCycleLR', max_lr: 0.1, total_steps: 500 } }],
      selected: 1,
    };
    expect(parse(`#${serialize(state)}`)).toEqual({ state, notices: [] });
    expect(parse('#hidden=32-16-8').state.hidden).toEqual([32, 16, 8]);
  });

  test("the engine's options are read for their type only: the engine judges their values", () => {
    const link = { data: 'mnist', noise: 1.5, points: 3, hidden: [0, 1, 2, 3, 4, 5, 6, 7], activation: 'swish', batch: 0, optimizer: { kind: 'rmsprop' } };
    const state = { ...defaults(), demo: 'train', ...link };
    expect(parse(`#${serialize(state)}`)).toEqual({ state, notices: [] });
  });

  test('unknown keys are ignored silently', () => {
    const { state, notices } = parse('#steps=50&colour=red&__proto__=x');
    expect(state).toEqual({ ...defaults(), steps: 50 });
    expect(notices).toEqual([]);
  });

  test.each([
    ['steps', 'abc'],
    ['steps', '0'],
    ['steps', '1.5'],
    ['steps', '100001'],
    ['logy', 'yes'],
    ['demo', 'nope'],
    ['schedules', 'not-base64!'],
    ['schedules', b64url({ kind: 'StepLR' })],
    ['schedules', b64url([])],
    ['schedules', b64url([{ lr: 0.1 }])],
    ['schedules', b64url([[1, 2]])],
    ['schedules', b64url(Array(9).fill({ kind: 'Constant' }))],
    ['data', 'no such'],
    ['noise', '0x1'],
    ['noise', ''],
    ['points', '3.5'],
    ['hidden', '16,16'],
    ['hidden', '16--16'],
    ['activation', ''],
    ['trainsteps', '0'],
    ['optimizer', b64url({ momentum: 0.9 })],
    ['optimizer', b64url([{ kind: 'sgd' }])],
    ['runs', b64url([{ kind: 'Constant', lr: 0.1 }])],
    ['runs', b64url([{ schedule: { kind: 'Constant' }, seed: -1 }])],
    ['runs', b64url([{ schedule: { kind: 'Constant' }, seed: 1.5 }])],
    ['runs', b64url([{ schedule: { kind: 'Constant' }, frozen: [true] }])],
    ['runs', b64url(Array(9).fill({ schedule: { kind: 'Constant' } }))],
    ['selected', '8'],
  ])('a bad %s=%s falls back to the default with a notice', (key, value) => {
    const { state, notices } = parse(`#${key}=${encodeURIComponent(value)}`);
    expect(state).toEqual(defaults());
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(key);
  });

  test('a notice quotes the bad value as plain, shortened text', () => {
    const evil = '<img src=x onerror=alert(1)>'.repeat(5);
    const { notices } = parse(`#steps=${encodeURIComponent(evil)}`);
    expect(notices[0]).toContain('"<img src=x onerror=alert(1)><img src=x o…"');
    expect(notices[0].length).toBeLessThan(200);
  });

  test('defaults are fresh copies, never shared', () => {
    const a = defaults();
    a.schedules[0].lr = 42;
    expect(defaults().schedules[0].lr).not.toBe(42);
  });
});
