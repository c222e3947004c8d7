// Find as its readers need it: still under reduced motion, fastai's "minimum" said for what it is,
// and fastai's recorder pasted as Python prints it.
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
