import { expect, test } from './fixtures.js';

// The handwritten digits (8×8 images, 10 classes) in each demo that trains: Train draws validation
// digits with their predicted class and a confusion matrix where the 2-D map cannot apply, Find runs
// its range test on them, and Layers pretrains on 0–4 and fine-tunes on 5–9.
test.setTimeout(120_000);

test('Train on digits: a 64-32-10 network, validation digits with their predicted class and a 10 × 10 confusion matrix', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=train&data=digits&hidden=32&trainsteps=48`);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 48 of 48 (done)', { timeout: 60_000 });
  await expect(page.getByTestId('heatmap')).toBeHidden();
  await expect(page.getByTestId('set-canvas')).toBeVisible();
  await expect(page.getByTestId('set-view')).toContainText('Digits with their predicted class; wrong ones in red.');
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix.locator('tbody tr')).toHaveCount(10);
  const cells = (await matrix.locator('tbody td').allTextContents()).map(Number);
  expect(cells).toHaveLength(100);
  const caption = await page.getByTestId('set-view').textContent();
  const [, right, total] = caption.match(/(\d+) of (\d+) right/).map(Number);
  expect(cells.reduce((a, b) => a + b)).toBe(total);
  // 48 steps of 32 images: well above one in ten.
  expect(right / total).toBeGreaterThan(0.3);
  await page.getByTestId('train-weights').locator('summary').click();
  await expect(page.getByTestId('train-weights').locator('code')).toContainText(/nn\.Sequential\(nn\.Linear\(64, 32\), nn\.\w+\(\), nn\.Linear\(32, 10\)\)/);
  const { report } = await page.evaluate(() => window.__lrp.train);
  expect(report[0].validation_accuracy).toBeCloseTo(right / total, 6);
});

test('Find runs its range test on digits', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=find&data=digits&hidden=32&batch=32&seeds=2&iters=60`);
  await page.waitForFunction(() => window.__lrp?.find?.done, null, { timeout: 90_000 });
  const find = await page.evaluate(() => window.__lrp.find);
  expect(find.curves).toBe(2);
  expect(find.lrs.length).toBeGreaterThan(10);
  expect(Object.values(find.suggestions).some((s) => Number.isFinite(s.lr))).toBe(true);
  await expect(page.getByTestId('find-counter')).toHaveText(/^done: \d+(–\d+)? batches over 2 seeds$/);
});

test('Layers on digits pretrains on 0–4 and fine-tunes on 5–9 with 20 examples a class, each said in words', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=layers&task=digits&epochs=2`);
  await expect(page.getByTestId('pretrain-text')).toContainText('Task A, digits 0, 1, 2, 3, 4, 900 images', { timeout: 90_000 });
  await expect(page.getByTestId('layer-0')).toContainText('64→32');
  await expect(page.getByTestId('layer-3')).toContainText('32→10');
  const { pretraining } = await page.evaluate(() => window.__lrp.layers);
  expect(pretraining.report.validation_accuracy).toBeGreaterThan(0.9);
  await page.getByTestId('layers-play').click();
  await expect(page.getByTestId('layers-counter')).toHaveText(/\(done\)$/, { timeout: 60_000 });
  await expect(page.getByTestId('layers-verdict')).toContainText('Task B (digits 5, 6, 7, 8, 9, 125 images)');
});

test("a link to Train's digits that names no network opens the digits' own, as picking them does; noise and points hidden", async ({ page }) => {
  const trainDrawn = () => page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await page.goto(`${process.env.LRP_URL}#demo=train&data=digits&trainsteps=48`);
  await trainDrawn();
  await expect(page.getByTestId('train-hidden')).toHaveValue('32');
  await expect(page.getByTestId('train-noise')).toBeHidden();
  await expect(page.getByTestId('train-points')).toBeHidden();
  expect(new URL(page.url()).hash).toContain('hidden=32&');
  // Picking them in the selector gives the same view, and back to a 2-D set the same as before.
  await page.goto(`${process.env.LRP_URL}#demo=train&data=spiral&trainsteps=48`);
  await page.reload();
  await trainDrawn();
  await expect(page.getByTestId('train-hidden')).toHaveValue('16, 16');
  await page.getByTestId('train-data').selectOption('digits');
  await expect(page.getByTestId('train-hidden')).toHaveValue('32');
  await expect(page.getByTestId('train-noise')).toBeHidden();
  await expect(page.getByTestId('train-points')).toBeHidden();
  await page.getByTestId('train-data').selectOption('moons');
  await expect(page.getByTestId('train-hidden')).toHaveValue('16, 16');
  await expect(page.getByTestId('train-noise')).toBeVisible();
  // A network the link names is kept.
  await page.goto(`${process.env.LRP_URL}#demo=train&data=digits&hidden=16-16&trainsteps=48`);
  await page.reload();
  await trainDrawn();
  await expect(page.getByTestId('train-hidden')).toHaveValue('16, 16');
});

test("Train's 10 × 10 confusion matrix fits its column at 1280 px, without scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${process.env.LRP_URL}#demo=train&data=digits&trainsteps=48`);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  const box = page.getByTestId('confusion-matrix').locator('xpath=..');
  await expect(box.locator('tbody tr')).toHaveCount(10);
  const { scroll, client } = await box.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
  expect(scroll).toBeLessThanOrEqual(client);
});
