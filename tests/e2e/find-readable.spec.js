// Find as its readers need it: still under reduced motion, fastai's "minimum" said for what it is,
// and fastai's recorder pasted as Python prints it.
import { canvasText, recordCanvasText } from './canvas-text.js';
import { expect, test } from './fixtures.js';

const SMALL = 'data=circle&hidden=8&batch=16&seeds=2&iters=60';

test('under reduced motion the range test is drawn once, when it is done, not batch by batch', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(`${process.env.LRP_URL}#demo=find&${SMALL}`);
  await page.waitForFunction(() => window.__lrp?.find);
  const first = await page.evaluate(() => ({ ...window.__lrp.find }));
  expect(first.running).toBe(false);
  expect(first.done).toBe(true);
});

test("fastai's minimum is labelled as a tenth of the rate at the lowest loss, which is marked too", async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=find&${SMALL}`);
  await page.waitForFunction(() => window.__lrp?.find?.done);
  await expect(page.getByTestId('pick-minimum').locator('xpath=..')).toHaveText('minimum ÷ 10');
});

test("fastai's learn.recorder.lrs and losses, pasted as Python lists, are read as a curve", async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=find&${SMALL}`);
  await page.waitForFunction(() => window.__lrp?.find?.done);
  const lrs = Array.from({ length: 40 }, (_, i) => 1e-7 * 10 ** (i / 5));
  const losses = lrs.map((lr) => 2.3 - 0.4 * Math.exp(-((Math.log10(lr) + 3) ** 2)) + (lr > 0.1 ? 5 * lr : 0));
  await page.getByTestId('paste').locator('summary').click();
  await page.getByTestId('paste-text').fill(`lrs = [${lrs.join(', ')}]\nlosses = [${losses.map((l) => `tensor(${l.toFixed(4)})`).join(', ')}]`);
  await page.getByTestId('paste-run').click();
  await page.waitForFunction(() => window.__lrp.find.pasted && window.__lrp.find.lrs.length === 40);
  await expect(page.getByTestId('paste-error')).toBeHidden();
});

for (const [name, size, prefix] of [
  ['at 1280 px', { width: 1280, height: 900 }, ''],
  ['at 390 px', { width: 390, height: 844 }, ''],
  ['in a 700 × 500 embed', { width: 700, height: 500 }, '?embed=find'],
]) {
  test(`the suggestions' labels overlap neither each other nor the plot, ${name}`, async ({ page }) => {
    await recordCanvasText(page);
    await page.setViewportSize(size);
    await page.goto(`${process.env.LRP_URL}${prefix}#demo=find&${SMALL}`);
    await page.waitForFunction(() => window.__lrp?.find?.done && Object.keys(window.__lrp.find.markers).length >= 3);
    const plot = page.getByTestId('finder-plot');
    const canvas = await plot.locator('canvas').boundingBox();
    const area = await plot.locator('.u-over').boundingBox();
    const names = /^(minimum|minimum ÷ 10|steep|steepest|valley|slide) /;
    await expect.poll(async () => (await canvasText(page, 'finder-plot')).filter((t) => names.test(t.text)).length).toBeGreaterThanOrEqual(4);
    const labels = (await canvasText(page, 'finder-plot')).filter((t) => names.test(t.text));
    const apart = ([l1, t1, r1, b1], [l2, t2, r2, b2]) => r1 <= l2 || r2 <= l1 || b1 <= t2 || b2 <= t1;
    for (const [i, a] of labels.entries()) {
      // Above the plot area, where no curve is drawn, and inside the canvas.
      expect(a.box[3], a.text).toBeLessThanOrEqual(area.y - canvas.y);
      expect(a.box[0], a.text).toBeGreaterThanOrEqual(0);
      expect(a.box[2], a.text).toBeLessThanOrEqual(canvas.width);
      for (const b of labels.slice(i + 1)) expect(apart(a.box, b.box), `${a.text} / ${b.text}`).toBe(true);
    }
  });
}

test('the limit on batches is said in words under its control, without the engine’s formula', async ({ page }) => {
  // 8 seeds of a 256-256 network on batches of 256: a few batches are all one test may take.
  await page.goto(`${process.env.LRP_URL}#demo=find&data=circle&hidden=256-256&batch=256&seeds=8&iters=60`);
  const error = page.getByTestId('find-num_it-error');
  await expect(error).toHaveText(/^num_it: must be at most \d+ for this network, batch size and number of seeds \(more would be too much work to run at once\), got 60$/, { timeout: 30_000 });
});
