import { describe, expect, test } from 'vitest';
import { DEMOS, LINKS } from '../../www/demos/index.js';
import { pageSchema } from '../../www/state.js';

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const keysOf = (hash) => [...new URLSearchParams(hash).keys()];

// Two stand-in demos, so the composition rules are tested apart from the real demos' entries.
const A = { id: 'a', state: [{ key: 'steps', type: 'int', min: 1, max: 9, default: 3 }, { key: 'logy', type: 'bool', default: false }] };
const B = { id: 'b', state: [{ key: 'steps', type: 'int', default: 100 }, { key: 'runs', type: 'json', default: [{ lr: 1 }], valid: Array.isArray, expected: 'a list' }] };

describe('composing the demos\' state', () => {
  const schema = pageSchema([A, B]);

  test('defaults: the first demo shown, and each demo\'s keys under its id', () => {
    expect(schema.defaults()).toEqual({ demo: 'a', a: { steps: 3, logy: false }, b: { steps: 100, runs: [{ lr: 1 }] } });
    expect(schema.parse('')).toEqual({ state: schema.defaults(), notices: [] });
  });

  test("a link carries the shown demo and that demo's keys only", () => {
    const state = { ...schema.defaults(), demo: 'b', b: { steps: 7, runs: [] } };
    expect(schema.serialize(state)).toBe(`demo=b&steps=7&runs=${b64url([])}`);
    expect(schema.parse(`#${schema.serialize(state)}`)).toEqual({ state, notices: [] });
    expect(keysOf(schema.serialize(schema.defaults()))).toEqual(['demo', 'steps', 'logy']);
  });

  test("a link is read for its demo's keys: the same key name means each demo's own", () => {
    // steps=50 is out of a's range but fine for b: only b reads it.
    const { state, notices } = pageSchema([A, B]).parse('#demo=b&steps=50&logy=1');
    expect(notices).toEqual([]);
    expect(state.b.steps).toBe(50);
    expect(state.a).toEqual({ steps: 3, logy: false });
  });

  test('an embed names its demo: the link is read for that demo, whatever its demo key says', () => {
    const { state } = schema.parse('#demo=a&steps=5', 'b');
    expect(state.demo).toBe('b');
    expect(state.b.steps).toBe(5);
  });

  test('a key declared twice, over the shared demo key, or a demo named like a shared key is refused', () => {
    const twice = { id: 'c', state: [...A.state, { key: 'logy', type: 'bool', default: true }] };
    expect(() => pageSchema([twice])).toThrow('state: the c demo declares the key logy twice or over a shared one');
    expect(() => pageSchema([{ id: 'c', state: [{ key: 'demo', type: 'bool', default: true }] }])).toThrow('declares the key demo');
    expect(() => pageSchema([{ id: 'demo', state: [] }])).toThrow('a demo cannot be called demo');
    expect(() => pageSchema([{ id: 'c', state: [{ key: 'x', type: 'colour', default: 'red' }] }])).toThrow('c.x has an unknown type colour');
  });

  test('defaults are fresh copies, never shared', () => {
    const first = schema.defaults();
    first.b.runs[0].lr = 42;
    expect(schema.defaults().b.runs[0].lr).toBe(1);
    expect(B.state[1].default[0].lr).toBe(1);
  });
});

describe('the page state of the registered demos', () => {
  const schema = pageSchema(DEMOS, LINKS);
  const withDemo = (demo, values) => {
    const state = schema.defaults();
    return { ...state, demo, [demo]: { ...state[demo], ...values } };
  };

  test('every key is a lowercase word with a default', () => {
    for (const demo of DEMOS) {
      for (const entry of demo.state) {
        expect(entry.key).toMatch(/^[a-z]+$/);
        expect(entry.default).not.toBeUndefined();
      }
    }
  });

  // The key names of every link shared so far: they must keep meaning the same.
  test.each([
    ['schedules', ['demo', 'steps', 'logy', 'schedules']],
    // Train's later keys (seeds, speed, smoothing, preset, own, backend) come after, with defaults that keep older links' runs.
    ['train', ['demo', 'data', 'noise', 'points', 'hidden', 'activation', 'batch', 'trainsteps', 'optimizer', 'runs', 'selected', 'seeds', 'speed', 'smoothing', 'preset', 'own', 'backend']],
  ])('a %s link carries exactly the keys of existing links', (demo, keys) => {
    expect(keysOf(schema.serialize(withDemo(demo, {})))).toEqual(keys);
  });

  test('a link written before links were per demo (every key of both) still opens its demo as it was', () => {
    const spec = { kind: 'StepLR', lr: 0.1, step_size: 3 };
    const old = `#demo=schedules&steps=777&logy=1&schedules=${b64url([spec])}&data=circle&batch=64&selected=1`;
    const { state, notices } = schema.parse(old);
    expect(notices).toEqual([]);
    expect(state).toEqual(withDemo('schedules', { steps: 777, logy: true, schedules: [spec] }));
  });

  test('round trip: serialize then parse gives the same Schedules state', () => {
    const state = withDemo('schedules', {
      steps: 777,
      logy: true,
      schedules: [
        { kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 200, mode: 'triangular2' },
        { kind: 'MultiStepLR', lr: 0.1, milestones: [30, 80], gamma: 0.1, note: 'ünïcode ✓' },
      ],
    });
    const hash = schema.serialize(state);
    expect(schema.parse(`#${hash}`)).toEqual({ state, notices: [] });
    // Only URL-safe characters, so links survive chat apps and markdown.
    expect(hash).toMatch(/^[A-Za-z0-9_\-=&.]+$/);
  });

  test('round trip: the Train state too', () => {
    const state = withDemo('train', {
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
    });
    expect(schema.parse(`#${schema.serialize(state)}`)).toEqual({ state, notices: [] });
    expect(schema.parse('#demo=train&hidden=32-16-8').state.train.hidden).toEqual([32, 16, 8]);
  });

  test("the engine's options are read for their type only: the engine judges their values", () => {
    const link = { data: 'mnist', noise: 1.5, points: 3, hidden: [0, 1, 2, 3, 4, 5, 6, 7], activation: 'swish', batch: 0, optimizer: { kind: 'rmsprop' } };
    const state = withDemo('train', link);
    expect(schema.parse(`#${schema.serialize(state)}`)).toEqual({ state, notices: [] });
  });

  test('unknown keys are ignored silently', () => {
    const { state, notices } = schema.parse('#steps=50&colour=red&__proto__=x');
    expect(state).toEqual(withDemo('schedules', { steps: 50 }));
    expect(notices).toEqual([]);
  });

  // Bad values, by the demo whose link carries them.
  const BAD = {
    schedules: [
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
    ],
    train: [
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
    ],
  };
  const badLinks = Object.entries(BAD).flatMap(([demo, cases]) => cases.map(([key, value]) => [demo, key, value]));

  test.each(badLinks)('%s: a bad %s=%s falls back to the default with a notice', (demo, key, value) => {
    // The demo key itself is what is bad in one case: the page then shows the first demo.
    const hash = key === 'demo' ? `#demo=${value}` : `#demo=${demo}&${key}=${encodeURIComponent(value)}`;
    const { state, notices } = schema.parse(hash);
    expect(state).toEqual(withDemo(demo, {}));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(key);
  });

  // A long run of digits that does not end as a number once froze the tab for minutes (the
  // number pattern backtracked quadratically); every value is now refused unread past its length.
  const floatKeys = DEMOS.flatMap((demo) => demo.state.filter((entry) => entry.type === 'float').map((entry) => [demo.id, entry.key]));
  test.each(floatKeys)('%s: a 1 MB %s is refused unread, with a notice that says why', (demo, key) => {
    const { state, notices } = schema.parse(`#demo=${demo}&${key}=${'1'.repeat(1 << 20)}x`);
    expect(state).toEqual(withDemo(demo, {}));
    expect(notices).toEqual([`Ignored ${key}="${'1'.repeat(40)}…" from the link: it is 1,048,577 characters long, the most is 64; using the default.`]);
  });

  test('every key of every demo refuses a 1 MB value, whatever its type', () => {
    for (const demo of DEMOS) {
      const huge = '9'.repeat(1 << 20);
      const { state, notices } = schema.parse(`#demo=${demo.id}&${demo.state.map((entry) => `${entry.key}=${huge}`).join('&')}`);
      expect(state).toEqual(withDemo(demo.id, {}));
      expect(notices).toHaveLength(demo.state.length);
    }
  });

  test('numbers near the length limit still read', () => {
    const { state, notices } = schema.parse(`#demo=train&noise=0.${'1'.repeat(60)}`);
    expect(notices).toEqual([]);
    expect(state.train.noise).toBeCloseTo(0.111111, 6);
  });

  test('a notice quotes the bad value as plain, shortened text', () => {
    const evil = '<img src=x onerror=alert(1)>'.repeat(5);
    const { notices } = schema.parse(`#steps=${encodeURIComponent(evil)}`);
    expect(notices[0]).toContain('"<img src=x onerror=alert(1)><img src=x o…"');
    expect(notices[0].length).toBeLessThan(200);
  });
});

describe("a default from the link's other keys", () => {
  const schema = pageSchema(DEMOS, LINKS);
  test("Train's digits without a network get the digits' own; a named network, or other data, keep theirs", () => {
    expect(schema.parse('#demo=train&data=digits').state.train.hidden).toEqual([32]);
    expect(schema.parse('#demo=train&data=digits&hidden=16-16').state.train.hidden).toEqual([16, 16]);
    expect(schema.parse('#demo=train&data=digits&hidden=').state.train.hidden).toEqual([]);
    expect(schema.parse('#demo=train&data=moons').state.train.hidden).toEqual([16, 16]);
    expect(schema.parse('#demo=train').state.train.hidden).toEqual([16, 16]);
  });
});
