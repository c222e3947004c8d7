import { expect, test } from './fixtures.js';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Opens the Surfaces demo at `suffix` and waits until its paths are computed and the grid drawn. */
async function openSurfaces(page, suffix = '#demo=surfaces') {
  await page.goto(process.env.LRP_URL + suffix);
  await page.waitForFunction(() => window.__lrp?.surfaces?.paths && window.__lrp.surfaces.grid);
}

const surfaces = (page) => page.evaluate(() => window.__lrp.surfaces);

/** Waits until the animation has reached its last step. */
async function playedOut(page) {
  await page.waitForFunction(() => window.__lrp.surfaces.paths && window.__lrp.surfaces.step === window.__lrp.surfaces.last && !window.__lrp.surfaces.playing, null, { timeout: 20_000 });
}

// Pixels of a canvas that differ from its first one: zero for a blank (or one-colour) canvas.
function variety(page, testid) {
  return page.getByTestId(testid).evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let differing = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) differing += 1;
    return differing;
  });
}

function hashValue(page, key) {
  const text = new URLSearchParams(new URL(page.url()).hash.slice(1)).get(key);
  return text === null ? null : JSON.parse(Buffer.from(text, 'base64url').toString());
}

test('the demo draws the surface and its paths, and plays them out: a rate past 2/κ diverges, the others finish', async ({ page }) => {
  await openSurfaces(page, '#demo=surfaces&speed=2000');
  await playedOut(page);
  const s = await surfaces(page);
  expect(s.preset).toBe('rates');
  expect(s.paths.map((p) => p.label)).toEqual(['too small', 'good', 'too large']);
  expect(s.paths.map((p) => p.state)).toEqual(['finished', 'finished', 'diverged']);
  // Every path starts at the surface's start; the good rate ends nearer the minimum than the small one.
  for (const path of s.paths) expect(path.first).toEqual(s.start);
  const [small, good] = s.paths.map((p) => Math.hypot(...p.end));
  expect(good).toBeLessThan(small);
  expect(await variety(page, 'surface-map-heat')).toBeGreaterThan(10_000);
  expect(await variety(page, 'surface-map-trails')).toBeGreaterThan(100);
  await expect(page.getByTestId('surfaces-counter')).toHaveText(`step ${s.last} of ${s.last}`);
  await expect(page.getByTestId('path-row-2')).toContainText('diverged at step');
  await expect(page.getByTestId('rate-plot').locator('canvas')).toHaveCount(1);
  await expect(page.getByTestId('path-loss-plot').locator('canvas')).toHaveCount(1);
});

test('a preset plays: momentum on Rosenbrock gets nearer the minimum than plain SGD, and the link says so', async ({ page }) => {
  await openSurfaces(page, '#demo=surfaces&speed=2000');
  await page.getByTestId('surfaces-preset').selectOption('momentum');
  await page.waitForFunction(() => window.__lrp.surfaces.preset === 'momentum' && window.__lrp.surfaces.paths?.[0].label === 'SGD');
  await playedOut(page);
  const s = await surfaces(page);
  const distance = (p) => Math.hypot(p.end[0] - 1, p.end[1] - 1);
  expect(distance(s.paths[1])).toBeLessThan(distance(s.paths[0]));
  expect(distance(s.paths[2])).toBeLessThan(distance(s.paths[0]));
  expect(new URL(page.url()).hash).toContain('preset=momentum');
  expect(hashValue(page, 'paths').map((p) => p.label)).toEqual(['SGD', 'momentum 0.9', 'Nesterov 0.9']);
});

test('clicking the map starts the paths there: the new start is in the state, the link and the paths', async ({ page }) => {
  await openSurfaces(page, '#demo=surfaces&speed=2000');
  const before = (await surfaces(page)).start;
  const box = await page.getByTestId('surface-map').boundingBox();
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
  await page.waitForFunction((old) => JSON.stringify(window.__lrp.surfaces.start) !== JSON.stringify(old), before);
  const s = await surfaces(page);
  // Up and to the right of the centre.
  expect(s.start[0]).toBeGreaterThan(0);
  expect(s.start[1]).toBeGreaterThan(0);
  for (const path of s.paths) expect(path.first).toEqual(s.start);
  expect(hashValue(page, 'start')).toEqual(s.start);
  await expect(page.getByTestId('surface-map')).toHaveAttribute('data-start', JSON.stringify(s.start));
});

test('the start is marked on the map, and the rate and loss charts carry a line at the step shown', async ({ page }) => {
  await openSurfaces(page, '#demo=surfaces&speed=2000');
  const before = (await surfaces(page)).start;
  const map = page.getByTestId('surface-map');
  const box = await map.boundingBox();
  const at = [box.width * 0.3, box.height * 0.3];
  await page.mouse.click(box.x + at[0], box.y + at[1]);
  await page.waitForFunction((old) => JSON.stringify(window.__lrp.surfaces.start) !== JSON.stringify(old), before);
  await playedOut(page);
  // The diamond's four corners, 8 px from the start, on the heads' layer (the heads are elsewhere by now).
  const corners = await page.getByTestId('surface-map-heads').evaluate((canvas, [cx, cy]) => {
    const ratio = canvas.width / canvas.clientWidth;
    const context = canvas.getContext('2d');
    const alpha = (x, y) => context.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data[3];
    return [alpha(cx, cy - 8), alpha(cx + 8, cy), alpha(cx, cy + 8), alpha(cx - 8, cy), alpha(cx, cy)];
  }, at);
  expect(corners.slice(0, 4).every((a) => a > 0)).toBe(true);
  // Hollow: the point itself stays clear.
  expect(corners[4]).toBe(0);
  const { last } = await surfaces(page);
  for (const testid of ['rate-plot', 'path-loss-plot']) {
    const cursor = page.getByTestId(`${testid}-cursor`);
    await expect(cursor).toHaveAttribute('data-step', String(last));
    // At the last step: the right edge of the plotting area.
    const [line, area] = await Promise.all([cursor.boundingBox(), page.getByTestId(testid).locator('.u-over').boundingBox()]);
    expect(Math.abs(line.x - (area.x + area.width))).toBeLessThan(3);
  }
  // Mid-animation (a figure of 1000 steps, paused): the line follows the step.
  await page.getByTestId('surfaces-preset').selectOption('momentum');
  await page.waitForFunction(() => window.__lrp.surfaces.preset === 'momentum' && window.__lrp.surfaces.playing && window.__lrp.surfaces.step > 0);
  await page.getByTestId('surfaces-play').click();
  const paused = await surfaces(page);
  expect(paused.step).toBeLessThan(paused.last);
  await expect(page.getByTestId('rate-plot-cursor')).toHaveAttribute('data-step', String(paused.step));
});

test('the wheel zooms about the cursor and a new grid is drawn for the new view', async ({ page }) => {
  await openSurfaces(page);
  const before = await surfaces(page);
  const box = await page.getByTestId('surface-map').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((x) => window.__lrp.surfaces.grid.x[1] - window.__lrp.surfaces.grid.x[0] < (x[1] - x[0]) / 1.5, before.grid.x);
  const after = await surfaces(page);
  const span = (r) => r[1] - r[0];
  expect(span(after.view.x)).toBeCloseTo(span(before.view.x) / 1.2 ** 3, 5);
  expect(hashValue(page, 'view')).toEqual(after.view);
});

test("the saddle preset's table gives each path's escape step, or never", async ({ page }) => {
  await openSurfaces(page, `#demo=surfaces&preset=saddle&surface=plateau_saddle&steps=600&speed=2000&paths=${b64([
    { label: 'tiny', optimizer: { kind: 'sgd' }, schedule: { kind: 'Constant', lr: 0.001 } },
    { label: 'fixed', optimizer: { kind: 'sgd' }, schedule: { kind: 'Constant', lr: 0.05 } },
    { label: 'triangular', optimizer: { kind: 'sgd' }, schedule: { kind: 'CyclicLR', base_lr: 0.01, max_lr: 0.5, step_size_up: 100, mode: 'triangular', cycle_momentum: false } },
  ])}`);
  await page.waitForFunction(() => window.__lrp.surfaces.escapes);
  const { escapes } = await surfaces(page);
  expect(escapes[0]).toBeNull();
  expect(escapes[1]).toBeGreaterThan(escapes[2]);
  await expect(page.getByTestId('escape-0')).toHaveText('never');
  await expect(page.getByTestId('escape-2')).toHaveText(`step ${escapes[2]}`);
});

test('a rate the engine refuses is shown at its field, and fixing it computes the paths again', async ({ page }) => {
  await openSurfaces(page);
  const lr = page.getByTestId('field-1-lr');
  await lr.fill('-1');
  await expect(page.getByTestId('field-1-lr-error')).toContainText('lr');
  await lr.fill('0.05');
  await expect(page.getByTestId('field-1-lr-error')).toBeHidden();
  await page.waitForFunction(() => JSON.parse(atob(new URLSearchParams(location.hash.slice(1)).get('paths').replace(/-/g, '+').replace(/_/g, '/')))[1].schedule.lr === 0.05);
});

test('embedded in a 700 × 500 frame, the picture comes first and the controls fold away', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 500 });
  await openSurfaces(page, '?embed=surfaces#demo=surfaces');
  const map = page.getByTestId('surface-map');
  await expect(map).toBeInViewport();
  const top = async (testid) => (await page.getByTestId(testid).boundingBox()).y;
  expect(await top('surface-map')).toBeLessThan(await top('surfaces-play'));
  expect(await top('surfaces-play')).toBeLessThan(await top('surface-settings'));
  await expect(page.getByTestId('surface-settings')).not.toHaveAttribute('open');
  await expect(page.getByTestId('rate-plot')).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
});

test('with reduced motion the paths are shown whole at once, without animating', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openSurfaces(page, '#demo=surfaces&speed=1');
  const s = await surfaces(page);
  expect(s.last).toBeGreaterThan(50);
  expect(s.step).toBe(s.last);
  expect(s.playing).toBe(false);
  expect(await variety(page, 'surface-map-trails')).toBeGreaterThan(100);
});

test('the 3-D view draws the surface mesh with WebGL2, and the map comes back when it is turned off', async ({ page }) => {
  await openSurfaces(page, '#demo=surfaces&three=1&speed=2000');
  await playedOut(page);
  const mesh = page.getByTestId('surface-mesh');
  await expect(mesh).toBeVisible();
  await expect(page.getByTestId('surface-map')).toBeHidden();
  const drawn = await mesh.locator('canvas').evaluate((canvas) => {
    const gl = canvas.getContext('webgl2');
    const pixels = new Uint8Array(canvas.width * canvas.height * 4);
    gl.readPixels(0, 0, canvas.width, canvas.height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] !== 255 || pixels[i + 1] !== 255 || pixels[i + 2] !== 255) coloured += 1;
    return coloured / (canvas.width * canvas.height);
  });
  expect(drawn).toBeGreaterThan(0.1);
  // The mesh marks no start, minima or saddles: its caption does not promise them.
  await expect(page.getByTestId('surface-caption')).not.toContainText('○');
  await expect(page.getByTestId('surface-caption')).toContainText('Height and colours');
  await page.getByTestId('surfaces-three').uncheck();
  await expect(page.getByTestId('surface-map')).toBeVisible();
  await expect(page.getByTestId('surface-caption')).toContainText('Start ◇, minima ○, saddle points ×');
  expect(new URL(page.url()).hash).toContain('three=0');
});

test("the network's landscape: the loss around the trained network and on its path's PCA plane", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`${process.env.LRP_URL}#demo=surfaces&preset=landscape`);
  await page.waitForFunction(() => window.__lrp?.surfaces?.network?.drawn, null, { timeout: 100_000 });
  const { drawn } = (await surfaces(page)).network;
  expect(drawn.steps).toBe(300);
  const [r1, r2] = drawn.explained;
  expect(r1).toBeGreaterThan(r2);
  expect(r1 + r2).toBeLessThanOrEqual(1 + 1e-9);
  expect(await variety(page, 'landscape-random-heat')).toBeGreaterThan(10_000);
  expect(await variety(page, 'landscape-pca-heat')).toBeGreaterThan(10_000);
  expect(await variety(page, 'landscape-pca-heads')).toBeGreaterThan(50);
  await expect(page.getByTestId('landscape-pca-caption')).toContainText('explain');
  await expect(page.getByTestId('landscape-text')).toContainText('random directions');
});

test('the saddle figure is fair: the cycles race a fixed rate at their own peak too, and a sentence says who left first', async ({ page }) => {
  await openSurfaces(page, '#demo=surfaces&speed=2000');
  await page.getByTestId('surfaces-preset').selectOption('saddle');
  await page.waitForFunction(() => window.__lrp.surfaces.preset === 'saddle' && window.__lrp.surfaces.escapes);
  const { escapes, paths } = await surfaces(page);
  expect(paths.map((p) => p.label)).toEqual(['fixed 0.05', "fixed 0.5 (the cycles' peak)", 'triangular', 'SGDR', 'one cycle', 'Adam']);
  expect(escapes.every((step) => Number.isInteger(step))).toBe(true);
  // Every rising rate beats the small fixed one; none beats the fixed rate at the cycles' peak.
  for (const step of escapes.slice(1)) expect(step).toBeLessThan(escapes[0]);
  for (const step of escapes.slice(2, 5)) expect(step).toBeGreaterThanOrEqual(escapes[1]);
  await expect(page.getByTestId('escape-0')).toHaveText(`step ${escapes[0]}`);
  // The sentence orders them by escape: the small fixed rate, slowest, comes last.
  await expect(page.getByTestId('escape-finding')).toHaveText(/ left the saddle first, at step \d+, then .*fixed 0\.5 \(the cycles' peak\) \(\d+\).* and fixed 0\.05 \(\d+\)\.$/);
});

test('dragging pans the view without moving the start, and the link keeps the new view', async ({ page }) => {
  await openSurfaces(page, '#demo=surfaces&speed=2000');
  await playedOut(page);
  const box = await page.getByTestId('surface-map').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const before = await surfaces(page);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 100, box.y + box.height / 2 + 50, { steps: 5 });
  await page.mouse.up();
  // The plane moved with the pointer: 100 px right and 50 px down; then a grid for that view came.
  const perPixel = (before.view.x[1] - before.view.x[0]) / box.width;
  const expected = [before.view.x[0] - 100 * perPixel, before.view.y[0] + 50 * perPixel];
  await page.waitForFunction(([x, y]) => {
    const { grid } = window.__lrp.surfaces;
    return Math.abs(grid.x[0] - x) < 0.02 && Math.abs(grid.y[0] - y) < 0.02;
  }, expected);
  const after = await surfaces(page);
  expect(after.view.x[0]).toBeCloseTo(expected[0], 1);
  expect(after.view.y[0]).toBeCloseTo(expected[1], 1);
  expect(after.start).toEqual(before.start);
  expect(hashValue(page, 'view')).toEqual(after.view);
});

test('without WebGL2 the 3-D view says so and the map stays', async ({ page }) => {
  await page.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      return kind === 'webgl2' ? null : getContext.call(this, kind, ...rest);
    };
  });
  await openSurfaces(page, '#demo=surfaces&three=1');
  await expect(page.getByTestId('surfaces-three-error')).toContainText('WebGL2');
  await expect(page.getByTestId('surface-map')).toBeVisible();
  await expect(page.getByTestId('surfaces-three')).not.toBeChecked();
  expect(new URL(page.url()).hash).toContain('three=0');
});

test('the plateau race: median loss per schedule, a table of escape steps, and a sentence saying what it found', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto(`${process.env.LRP_URL}#demo=surfaces&preset=race&seeds=2&racesteps=300`);
  await page.waitForFunction(() => window.__lrp?.surfaces?.race?.drawn, null, { timeout: 220_000 });
  const { drawn } = (await surfaces(page)).race;
  expect(drawn).toMatchObject({ steps: 300, seeds: 2, cancelled: false });
  const rows = page.getByTestId('race-table').locator('tbody tr');
  await expect(rows).toHaveCount(drawn.schedules.length);
  for (const [i, s] of drawn.schedules.entries()) {
    await expect(rows.nth(i)).toContainText(s.name);
    await expect(rows.nth(i)).toContainText(`${s.escaped} of 2`);
  }
  // The sentence names the first schedule out by the median, or says none left.
  const out = drawn.schedules.filter((s) => s.median !== null).sort((a, b) => a.median - b.median);
  await expect(page.getByTestId('race-finding')).toContainText(out.length ? out[0].name : 'No schedule left the plateau');
  await expect(page.getByTestId('race-plot').locator('canvas')).toHaveCount(1);
});

test('switching to Himmelblau, whose losses span 45 decades, redraws the loss plot (its log ticks once froze the page)', async ({ page }) => {
  await openSurfaces(page);
  const before = await surfaces(page);
  await page.goto(`${process.env.LRP_URL}#demo=surfaces&surface=himmelblau`);
  await page.waitForFunction((renders) => window.__lrp.surfaces.renders > renders && window.__lrp.surfaces.paths, before.renders);
  await playedOut(page);
  const after = await surfaces(page);
  expect(after.paths.map((p) => p.first)).not.toEqual(before.paths.map((p) => p.first));
  await expect(page.getByTestId('path-loss-plot').locator('canvas')).toBeVisible();
});
