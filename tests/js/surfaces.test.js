import { contours } from 'd3-contour';
import { interpolateViridis } from 'd3-scale-chromatic';
import { describe, expect, test } from 'vitest';
import { colourRamp } from '../../www/colour.js';
import { DEMOS, LINKS } from '../../www/demos/index.js';
import { advance, agedSegments, FAINT, lastStep, reached, TAIL, trailAlpha } from '../../www/demos/surfaces/animation.js';
import { escapeFinding, formatEscape, raceFinding, raceRows } from '../../www/demos/surfaces/escape.js';
import { debounced, newestOnly } from '../../www/demos/surfaces/newest.js';
import { hasKappa, nearestSaddle, pathLabel, surfaceSpec, trajectoryRequests } from '../../www/demos/surfaces/paths.js';
import { PRESETS } from '../../www/demos/surfaces/presets.js';
import { contourLevels, gridPixels, valueScale } from '../../www/demos/surfaces/scale.js';
import { isView, STATE } from '../../www/demos/surfaces/state.js';
import { fitted, gridBounds, gridRequest, gridToPlane, panned, spanLimits, toCanvas, toPlane, wheelFactor, zoomed } from '../../www/demos/surfaces/viewport.js';
import { lookAt, multiply, orbit, perspective, project } from '../../www/demos/surfaces/camera.js';
import { pageSchema } from '../../www/state.js';

const close = (a, b, digits = 9) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], digits));

// Values of f on an n × n grid over [lo, hi]², sampled as surfaceGrid does (x fastest, ends included).
function sampled(f, n, lo, hi) {
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = f(lo + (i * (hi - lo)) / (n - 1), lo + (j * (hi - lo)) / (n - 1));
  return { values, nx: n, ny: n, x: [lo, hi], y: [lo, hi] };
}

const rosenbrock = (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

describe('the value scale and contour levels', () => {
  test('a bowl reads on a linear scale: levels evenly spaced between min and max', () => {
    const { values } = sampled((x, y) => x * x + y * y, 21, -1, 1);
    const scale = valueScale(values);
    expect(scale.log).toBe(false);
    expect([scale.min, scale.max]).toEqual([0, 2]);
    close(contourLevels(scale, 3), [0.5, 1, 1.5]);
    expect(scale.unit(1)).toBeCloseTo(0.5);
  });

  test("Rosenbrock's walls make it logarithmic: levels crowd into the valley, each step a constant ratio above the minimum", () => {
    const { values } = sampled(rosenbrock, 61, -2, 2);
    const scale = valueScale(values);
    expect(scale.log).toBe(true);
    const levels = contourLevels(scale, 8);
    expect(levels).toHaveLength(8);
    // Half the levels lie below 1% of the range, where a linear scale would put none.
    expect(levels.filter((v) => v - scale.min < (scale.max - scale.min) / 100).length).toBeGreaterThanOrEqual(4);
    for (let i = 0; i < levels.length; i++) expect(scale.unit(levels[i])).toBeCloseTo((i + 1) / 9, 9);
    // unit and value are inverses, and unit spans [0, 1] from min to max.
    expect(scale.unit(scale.min)).toBe(0);
    expect(scale.unit(scale.max)).toBeCloseTo(1, 12);
    expect(scale.value(scale.unit(123.4))).toBeCloseTo(123.4, 9);
  });

  test('NaN and infinities are ignored; nothing finite or all equal gives no scale and no levels', () => {
    expect(valueScale([NaN, Infinity, 1, 3]).max).toBe(3);
    expect(valueScale([NaN, -Infinity])).toBeNull();
    expect(valueScale([2, 2, 2])).toBeNull();
    expect(contourLevels(null, 5)).toEqual([]);
  });

  test('d3-contour rings, brought back to the plane, lie where the surface has their level', () => {
    // A cap: the region at or above -1 is the unit disc.
    const grid = sampled((x, y) => -(x * x + y * y), 41, -2, 2);
    const [[ring]] = contours().size([41, 41]).thresholds([-1])(grid.values)[0].coordinates;
    for (const point of ring) expect(Math.abs(Math.hypot(...gridToPlane(grid, point)) - 1)).toBeLessThan(0.01);
  });

  test('colours come from the interpolator; the grid is drawn top row first, missing values grey', () => {
    const ramp = colourRamp(interpolateViridis, 2);
    // Two rows: y = lo holds 0 and NaN, y = hi holds 1 and 1.
    const grid = { values: [0, NaN, 1, 1], nx: 2, ny: 2 };
    const rgba = Array.from(gridPixels(grid, valueScale(grid.values), ramp));
    expect(rgba).toEqual([0xfd, 0xe7, 0x25, 255, 0xfd, 0xe7, 0x25, 255, 0x44, 0x01, 0x54, 255, 150, 150, 150, 255]);
  });
});

describe('the view', () => {
  const view = { x: [-2, 2], y: [-1, 3] };
  const size = { width: 400, height: 200 };

  test('plane and canvas map onto each other, the top edge at y hi', () => {
    expect(toCanvas(view, size, [-2, 3])).toEqual([0, 0]);
    expect(toCanvas(view, size, [2, -1])).toEqual([400, 200]);
    close(toPlane(view, size, toCanvas(view, size, [0.3, 1.7])), [0.3, 1.7]);
  });

  test('zooming keeps the point under the cursor still, within the span limits', () => {
    const at = [100, 50];
    const closer = zoomed(view, size, at, 2, { min: 0.01, max: 100 });
    expect(closer.x[1] - closer.x[0]).toBeCloseTo(2);
    expect(closer.y[1] - closer.y[0]).toBeCloseTo(2);
    close(toPlane(closer, size, at), toPlane(view, size, at));
    const most = zoomed(view, size, at, 1e9, { min: 0.5, max: 100 });
    expect(most.x[1] - most.x[0]).toBeCloseTo(0.5);
    // Zooming out and back in returns the view.
    const back = zoomed(zoomed(view, size, at, 0.5, { min: 0.01, max: 100 }), size, at, 2, { min: 0.01, max: 100 });
    close([...back.x, ...back.y], [...view.x, ...view.y]);
  });

  test('a wheel notch zooms by 1.2, up is in; spans may shrink to 1/1000 of the domain and grow to 20 times it', () => {
    expect(wheelFactor(-100)).toBeCloseTo(1.2);
    expect(wheelFactor(100)).toBeCloseTo(1 / 1.2);
    expect(wheelFactor(1e6)).toBeCloseTo(1.2 ** -5);
    expect(spanLimits({ x: [-2, 2], y: [-1, 1] })).toEqual({ min: 0.004, max: 80 });
  });

  test('dragging moves the plane with the pointer: the point under it follows it', () => {
    const moved = panned(view, size, [100, -50]);
    close(toCanvas(moved, size, toPlane(view, size, [120, 80])), [220, 30]);
  });

  test('fitting widens the narrower side so units are square, about the same centre', () => {
    expect(fitted(view, size)).toEqual({ x: [-4, 4], y: [-1, 3] });
    expect(fitted({ x: [0, 4], y: [0, 1] }, { width: 100, height: 100 })).toEqual({ x: [0, 4], y: [-1.5, 2.5] });
  });

  test('the grid asked for follows the canvas, one cell per 3 px, 8 to 160 a side', () => {
    expect(gridRequest(view, size)).toEqual({ x: [-2, 2], y: [-1, 3], nx: 133, ny: 67 });
    expect(gridRequest(view, { width: 2000, height: 10 })).toMatchObject({ nx: 160, ny: 8 });
  });

  test("the grid's image covers each sample's cell: half a spacing beyond the ends", () => {
    const grid = { x: [0, 4], y: [0, 2], nx: 5, ny: 3 };
    expect(gridToPlane(grid, [0.5, 0.5])).toEqual([0, 0]);
    expect(gridToPlane(grid, [4.5, 2.5])).toEqual([4, 2]);
    expect(gridBounds(grid)).toEqual({ x: [-0.5, 4.5], y: [-0.5, 2.5] });
  });
});

describe('the animation', () => {
  test('heads advance at the speed in steps per second and stop at the last step', () => {
    expect(advance(0, 500, 60, 1000)).toBe(30);
    expect(advance(990, 1000, 60, 1000)).toBe(1000);
    expect(advance(5, -20, 60, 1000)).toBe(5);
    expect(reached(29.999999)).toBe(29);
    expect(reached(2.9999999999)).toBe(3);
  });

  test('a trail is brightest at the head and fades linearly to the faint line over the tail', () => {
    expect(trailAlpha(0)).toBe(1);
    expect(trailAlpha(TAIL / 2)).toBeCloseTo((1 + FAINT) / 2);
    expect(trailAlpha(TAIL)).toBe(FAINT);
    expect(trailAlpha(10 * TAIL)).toBe(FAINT);
    for (let age = 1; age <= TAIL; age++) expect(trailAlpha(age)).toBeLessThan(trailAlpha(age - 1));
  });

  test('the faint layer gets each segment once, as it ages past the tail', () => {
    expect(agedSegments(0, 10, 40)).toEqual([0, 0]);
    expect(agedSegments(0, 50, 40)).toEqual([0, 10]);
    expect(agedSegments(50, 57, 40)).toEqual([10, 17]);
    // Frames that each move a few steps cover every segment exactly once.
    const covered = [];
    for (let from = 0; from < 200; from += 7) {
      const [a, b] = agedSegments(from, Math.min(200, from + 7), 40);
      for (let i = a; i < b; i++) covered.push(i);
    }
    expect(covered).toEqual(Array.from({ length: 160 }, (_, i) => i));
  });

  test('the animation ends at the longest path', () => {
    expect(lastStep([{ x: [0, 1, 2] }, { x: new Float64Array(11) }])).toBe(10);
    expect(lastStep([])).toBe(0);
  });
});

describe('escapes', () => {
  test('a path that never left says so', () => {
    expect(formatEscape(37)).toBe('step 37');
    expect(formatEscape(0)).toBe('step 0');
    expect(formatEscape(null)).toBe('never');
  });

  const race = {
    steps: 500,
    seeds: 8,
    schedules: [
      { name: 'Constant', median: null, q25: null, q75: null, escaped: 2 },
      { name: 'CyclicLR', median: 123.5, q25: 100, q75: 150.25, escaped: 8 },
      { name: 'OneCycleLR', median: 210, q25: 180, q75: 260, escaped: 7 },
    ],
  };

  test('the race table: median, quartiles as the spread, and how many seeds escaped', () => {
    expect(raceRows(race)).toEqual([
      { name: 'Constant', median: 'never', spread: '–', escaped: '2 of 8' },
      { name: 'CyclicLR', median: '124', spread: '100–150', escaped: '8 of 8' },
      { name: 'OneCycleLR', median: '210', spread: '180–260', escaped: '7 of 8' },
    ]);
  });

  test('the finding names the first out, the runner-up, and who stayed, whichever way it came out', () => {
    expect(raceFinding(race)).toBe(
      'CyclicLR left the plateau first, at a median step of 124 against 210 for OneCycleLR (over 8 seeds). Constant did not escape within 500 steps for most of the 8 seeds.',
    );
    const flat = race.schedules.map((s) => ({ ...s, median: null }));
    expect(raceFinding({ ...race, schedules: flat })).toBe('No schedule left the plateau within 500 steps for most of the 8 seeds.');
    const one = [race.schedules[0], race.schedules[1], { ...race.schedules[2], median: null }];
    expect(raceFinding({ ...race, schedules: one })).toBe(
      'Only CyclicLR left the plateau, at a median step of 124 over 8 seeds. Constant and OneCycleLR did not escape within 500 steps for most of the 8 seeds.',
    );
    const tied = [race.schedules[1], { ...race.schedules[2], median: 123.5 }];
    expect(raceFinding({ ...race, schedules: tied })).toBe('CyclicLR and OneCycleLR left the plateau together, at a median step of 124 (over 8 seeds).');
  });
});

describe('the Surfaces state', () => {
  const schema = pageSchema(DEMOS, LINKS);

  test('is registered, and its defaults are the first preset', () => {
    const defaults = schema.defaults().surfaces;
    expect(defaults).toMatchObject({ preset: 'rates', surface: 'quadratic', kappa: 10, start: null, view: null, steps: PRESETS[0].steps, three: false });
    expect(defaults.paths).toEqual(PRESETS[0].paths);
  });

  test('a state goes through a link and back unchanged', () => {
    const surfaces = {
      preset: 'momentum',
      surface: 'rosenbrock',
      kappa: 10,
      start: [-1.5, 2.25],
      view: { x: [-2, 2], y: [-1, 3] },
      speed: 120,
      steps: 800,
      paths: [{ label: 'heavy ball', optimizer: { kind: 'sgd', momentum: 0.9 }, schedule: { kind: 'Constant', lr: 0.001 } }],
      three: true,
      seeds: 3,
      racesteps: 400,
      backend: 'gpu',
    };
    const state = { ...schema.defaults(), demo: 'surfaces', surfaces };
    expect(schema.parse(`#${schema.serialize(state)}`)).toEqual({ state, notices: [] });
  });

  test('bad values in a link fall back to their defaults with a notice each', () => {
    const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      `preset=nope`,
      `start=${b64([1])}`,
      `view=${b64({ x: [1, 0], y: [0, 1] })}`,
      `paths=${b64([{ optimizer: { kind: 'sgd' }, schedule: { kind: 'Constant' }, extra: 1 }])}`,
      `speed=0`,
      `steps=5001`,
      `seeds=17`,
      `racesteps=99`,
    ];
    const { state, notices } = schema.parse(`#demo=surfaces&${bad.join('&')}`);
    expect(notices).toHaveLength(bad.length);
    expect(state.surfaces).toEqual(schema.defaults().surfaces);
  });

  test('views are two increasing ranges and nothing else', () => {
    expect(isView({ x: [0, 1], y: [-1, 1] })).toBe(true);
    expect(isView({ x: [0, 1], y: [1, 1] })).toBe(false);
    expect(isView({ x: [0, 1], y: [0, 1], z: [0, 1] })).toBe(false);
    expect(isView({ x: [0, NaN], y: [0, 1] })).toBe(false);
  });

  test('every path preset has 1 to 8 paths that its own schema accepts', () => {
    const paths = STATE.find((e) => e.key === 'paths');
    for (const preset of PRESETS.filter((p) => p.kind === 'paths')) expect(paths.valid(preset.paths)).toBe(true);
  });
});

describe('newest answers only', () => {
  test('an answer overtaken by a later request is dropped, and so is its refusal', async () => {
    const pending = [];
    const ask = newestOnly((n) => new Promise((resolve, reject) => pending.push({ n, resolve, reject })));
    const first = ask(1);
    const second = ask(2);
    pending[0].reject(new Error('stale'));
    pending[1].resolve('two');
    expect(await first).toBeNull();
    expect(await second).toEqual({ value: 'two' });
    const third = ask(3);
    pending[2].reject(new Error('fresh'));
    await expect(third).rejects.toThrow('fresh');
    const fourth = ask(4);
    ask.cancel();
    pending[3].resolve('four');
    expect(await fourth).toBeNull();
  });

  test('a debounced call runs once, with the last arguments, after the quiet time', async () => {
    const calls = [];
    const later = debounced((v) => calls.push(v), 5);
    later(1);
    later(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    later(3);
    later.cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toEqual([2]);
  });
});

describe('what the engine is asked', () => {
  test('κ goes with the surfaces that take it; other surfaces go by name', () => {
    expect(surfaceSpec({ name: 'quadratic', params: [{ name: 'kappa', type: 'float' }] }, 25)).toEqual({ kind: 'quadratic', kappa: 25 });
    expect(surfaceSpec({ name: 'rosenbrock', params: [] }, 25)).toBe('rosenbrock');
    expect(hasKappa({ name: 'beale' })).toBe(false);
  });

  test('one request per path, all from the same start for the same steps', () => {
    const paths = PRESETS[0].paths;
    const requests = trajectoryRequests({ surface: 'saddle', start: [1, 2], steps: 50, paths });
    expect(requests).toHaveLength(paths.length);
    expect(requests[1]).toEqual({ surface: 'saddle', start: [1, 2], optimizer: paths[1].optimizer, schedule: paths[1].schedule, steps: 50 });
  });

  test('the saddle a path must leave is the one nearest its start', () => {
    expect(nearestSaddle([[0, 0], [3, 3]], [2.5, 2])).toEqual([3, 3]);
    expect(nearestSaddle([], [0, 0])).toBeNull();
  });

  test('a path without a label is named by its optimizer and schedule', () => {
    expect(pathLabel({ optimizer: { kind: 'adam' }, schedule: { kind: 'OneCycleLR' } })).toBe('adam · OneCycleLR');
    expect(pathLabel(PRESETS[0].paths[2])).toBe('too large');
  });
});

describe("the 3-D view's camera", () => {
  const identity = Float32Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);

  test('the point looked at lands in the middle of the picture, nearer points in front of farther ones', () => {
    const eye = orbit(-0.6, 0.6, 3.2);
    const matrix = multiply(perspective(0.75, 4 / 3, 0.1, 20), lookAt(eye, [0, 0.25, 0]));
    const [x, y, z] = project(matrix, [0, 0.25, 0]);
    expect(Math.abs(x)).toBeLessThan(1e-6);
    expect(Math.abs(y)).toBeLessThan(1e-6);
    const towards = [0, 0.25, 0].map((v, i) => v + 0.5 * (eye[i] - v));
    expect(project(matrix, towards)[2]).toBeLessThan(z);
    // Up stays up: a higher point is higher in the picture.
    expect(project(matrix, [0, 0.6, 0])[1]).toBeGreaterThan(0);
  });

  test('the camera circles at its distance; multiplying by the identity changes nothing', () => {
    expect(Math.hypot(...orbit(1.1, 0.4, 3).map((v, i) => v - [0, 0.3, 0][i]))).toBeCloseTo(3);
    const m = lookAt([1, 2, 3], [0, 0, 0]);
    expect(Array.from(multiply(identity, m))).toEqual(Array.from(m));
  });
});

describe('the escape sentence', () => {
  test('says who left the saddle first, the order after, and who stayed', () => {
    const paths = [{ label: 'fixed 0.05' }, { label: 'fixed 0.5' }, { label: 'triangular' }, { label: 'tiny' }];
    expect(escapeFinding(paths, [471, 50, 94, null], 600)).toBe('fixed 0.5 left the saddle first, at step 50, then triangular (94) and fixed 0.05 (471). tiny did not leave within 600 steps.');
    expect(escapeFinding(paths.slice(3), [null], 600)).toBe('No path left the saddle within 600 steps.');
  });
});
