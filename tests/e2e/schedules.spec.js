import { readFile } from 'node:fs/promises';
import { expect, openEmbed, openPage, plotted, test, withoutWebGpu } from './fixtures.js';
import { expectRangeInWords } from './range-words.js';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

test('loads cleanly on WebGPU and draws the default schedules', async ({ page }) => {
  await openPage(page);
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('data-backend', 'webgpu');
  await expect(badge).toHaveText(/^WebGPU · \S/);
  await expect(page.getByTestId('lr-plot').locator('canvas')).toBeVisible();
  const { series } = await plotted(page);
  expect(series.map((s) => s.kind)).toEqual(['Constant', 'CyclicLR', 'CosineAnnealingWarmRestarts']);
  expect(series[1].lr).toHaveLength(1200);
  // CyclicLR cycles momentum by default, so the momentum plot is shown.
  await expect(page.getByTestId('momentum-plot')).toBeVisible();
});

test('without WebGPU: the CPU fallback badge, and the demo still draws', () =>
  withoutWebGpu(async (page) => {
    await openPage(page);
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('data-backend', 'cpu');
    await expect(badge).toHaveText('CPU fallback');
    expect(await badge.getAttribute('title')).toMatch(/^No WebGPU: ./);
    await expect(page.getByTestId('lr-plot').locator('canvas')).toBeVisible();
    expect((await plotted(page)).series[1].lr).toHaveLength(1200);
  }));

test('changing a field changes the plotted curve', async ({ page }) => {
  await openPage(page);
  const before = (await plotted(page)).series[1].lr;
  expect(Math.max(...before)).toBeCloseTo(0.006, 12);
  await page.getByTestId('field-1-max_lr').fill('0.01');
  await page.waitForFunction(() => Math.max(...window.__lrp.schedules.series[1].lr) > 0.009);
  const after = (await plotted(page)).series[1].lr;
  expect(Math.max(...after)).toBeCloseTo(0.01, 12);
  expect(after[0]).toBe(before[0]);
});

test('a bad field value shows the engine message under that field (by error.field), and recovers', async ({ page }) => {
  await openPage(page);
  const error = page.getByTestId('field-1-step_size_up-error');
  await page.getByTestId('field-1-step_size_up').fill('0');
  await expect(error).toHaveText(/\bstep_size_up\b.*: must be an integer in \[1, \d+\], got 0$/);
  await expect(page.getByTestId('schedule-error-0')).toBeHidden();
  await page.getByTestId('field-1-step_size_up').fill('100');
  await expect(error).toBeHidden();
});

test('the URL hash round-trips: reload gives the same state and the same curves', async ({ page }) => {
  await openPage(page);
  await page.getByTestId('preset-one-cycle').click();
  await page.getByTestId('steps').fill('600');
  await page.getByTestId('log-y').check();
  await page.getByTestId('field-0-pct_start').fill('0.4');
  await page.waitForFunction(() => window.__lrp.schedules.steps === 600 && window.__lrp.schedules.series[0].spec.pct_start === 0.4);
  const before = await plotted(page);
  const url = page.url();
  expect(url).toContain('#');

  await page.reload();
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  expect(page.url()).toBe(url);
  await expect(page.getByTestId('steps')).toHaveValue('600');
  await expect(page.getByTestId('log-y')).toBeChecked();
  await expect(page.getByTestId('kind-1')).toHaveValue('fit_one_cycle');
  await expect(page.getByTestId('field-0-pct_start')).toHaveValue('0.4');
  expect(await plotted(page)).toEqual(before);
});

test('bad values in the link become notices, never markup', async ({ page }) => {
  const badSpec = [{ kind: 'CyclicLR', base_lr: 0.001, max_lr: 0.006, step_size_up: 0 }];
  const markup = '<img src=x onerror=window.__pwned=1>';
  await openPage(page, `#steps=${encodeURIComponent(markup)}&logy=maybe&schedules=${b64(badSpec)}&unknown=1`);
  const notice = page.getByTestId('state-notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(`Ignored steps="${markup}"`);
  await expect(notice).toContainText('Ignored logy="maybe"');
  await expect(notice).toContainText(/Schedule 1 from the link is invalid \(.*\bstep_size_up\b.*: must be an integer/);
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  // Defaults stand in for the rejected values, and the fixed state is written back to the URL.
  await expect(page.getByTestId('steps')).toHaveValue('1200');
  await expect(page.getByTestId('kind-0')).toHaveValue('CyclicLR');
  await expect(page.getByTestId('field-0-step_size_up')).toHaveValue('2000');
  expect(page.url()).not.toContain('unknown');
});

test('?embed=schedules shows the demo alone, plots before controls, with a link to the full page', async ({ page }) => {
  await openEmbed(page, () => openPage(page, '?embed=schedules'));
  await expect(page.locator('#demo-nav')).toBeHidden();
  await expect(page.getByTestId('lr-plot').locator('canvas')).toBeInViewport();
  const top = async (testid) => (await page.getByTestId(testid).boundingBox()).y;
  expect(await top('momentum-plot')).toBeLessThan(await top('preset-overlay'));
  expect(await top('preset-overlay')).toBeLessThan(await top('schedule-0'));
  expect(await page.title()).toBe('Schedules · lr-playground');
  const link = page.getByTestId('open-full');
  await expect(link).toBeVisible();
  expect(await link.getAttribute('href')).toMatch(/\/lr-playground\/#demo=schedules&/);
});

test('export: a CSV with a header row, and JSON with the specs', async ({ page }) => {
  await openPage(page);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(csv.suggestedFilename()).toBe('lr-schedules.csv');
  const lines = (await readFile(await csv.path(), 'utf8')).trimEnd().split('\n');
  expect(lines[0]).toBe(
    'step,Constant_1_lr,Constant_1_momentum,CyclicLR_2_lr,CyclicLR_2_momentum,CosineAnnealingWarmRestarts_3_lr,CosineAnnealingWarmRestarts_3_momentum',
  );
  expect(lines).toHaveLength(1 + 1200);
  expect(lines[1]).toMatch(/^0,0\.003,,0\.001,0\.9,0\.006,$/);

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const { schedules } = JSON.parse(await readFile(await json.path(), 'utf8'));
  expect(schedules.map((s) => s.spec.kind)).toEqual(['Constant', 'CyclicLR', 'CosineAnnealingWarmRestarts']);
});

test('every kind can be picked: its controls appear and its example draws', async ({ page }) => {
  // Forty-odd kinds, each drawn in turn.
  test.setTimeout(120_000);
  await openPage(page, '?embed=schedules');
  const kinds = await page.getByTestId('kind-0').locator('option').evaluateAll((options) => options.map((o) => o.value));
  expect(kinds.length).toBeGreaterThan(10);
  for (const kind of kinds) {
    const renders = await page.evaluate(() => window.__lrp.schedules.renders);
    await page.getByTestId('kind-0').selectOption(kind);
    await page.waitForFunction((n) => window.__lrp.schedules.renders > n, renders);
    const drawn = await page.evaluate(() => window.__lrp.schedules.series[0]);
    expect(drawn.error, kind).toBeUndefined();
    expect(drawn.kind).toBe(kind);
    expect(drawn.lr.length, kind).toBeGreaterThan(0);
    await expect(page.getByTestId('schedule-0').locator('[data-testid^="field-0-"]').first()).toBeVisible();
  }
});

test('a StepLR decayed over 33 decades on a log axis draws at once (the axis ticks once looped until the page froze)', async ({ page }) => {
  await openPage(page, `#demo=schedules&logy=1&schedules=${b64([{ kind: 'StepLR', lr: 0.1, step_size: 30, gamma: 0.1 }])}`);
  const { logy, series } = await plotted(page);
  expect(logy).toBe(true);
  expect(Math.min(...series[0].lr)).toBeLessThan(1e-32);
  // Still responsive: a second schedule is drawn beside it.
  await page.goto(`${process.env.LRP_URL}#demo=schedules&logy=1&schedules=${b64([{ kind: 'StepLR', lr: 0.1, step_size: 30, gamma: 0.1 }, { kind: 'Constant', lr: 0.01 }])}`);
  await expect.poll(async () => (await plotted(page)).series.length).toBe(2);
});

test("the steps field's tooltip and the browser's message say its range with digit groups", async ({ page }) => {
  await openPage(page);
  await expectRangeInWords(page.getByTestId('steps'), { title: 'a whole number from 1 to 100,000', typed: '100001', message: 'steps: a whole number from 1 to 100,000' });
});
