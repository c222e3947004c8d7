import { expect, openEmbed, test, withoutWebGpu } from './fixtures.js';
import { colourVariety } from './pixels.js';

const FIGURES = ['small-vs-large', 'four-rates', 'range-test', 'saddle', 'clr', 'sgdr', 'recipe', 'discriminative'];

test('the bare address opens the guide, whose first figure computes and says what it found', async ({ page }) => {
  await page.goto(process.env.LRP_URL);
  await expect(page.getByTestId('tab-guide')).toHaveAttribute('aria-selected', 'true');
  expect(new URL(page.url()).hash).toBe('#demo=guide&figure=all');
  const first = page.locator('[data-figure="small-vs-large"]');
  await expect(first).toHaveAttribute('data-state', 'drawn', { timeout: 30_000 });
  const finding = await first.locator('.guide-finding').textContent();
  expect(finding).toMatch(/^lr 0\.1 brought the loss to a thousandth of its start in \d+ steps; lr 0\.01 had not got there after 100\. lr 0\.21 overstepped: its loss grew from [\d.]+ to [\d.]+e\d+\.$/);
  // The picture's text alternative says what it shows and what was found.
  expect(await first.locator('.guide-picture').getAttribute('aria-label')).toContain(finding);
  await expect(page.locator('article.guide-figure')).toHaveCount(FIGURES.length);
});

test('a link that names no demo still opens Schedules, as it did before the guide', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#steps=600&logy=1`);
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  await expect(page.getByTestId('tab-schedules')).toHaveAttribute('aria-selected', 'true');
  expect(await page.evaluate(() => window.__lrp.schedules.steps)).toBe(600);
});

test('one figure embedded: drawn in the first viewport, with its finding and a link to its demo', async ({ page }) => {
  await openEmbed(page, () => page.goto(`${process.env.LRP_URL}?embed=guide#figure=clr`));
  const figure = page.locator('[data-figure="clr"]');
  await expect(figure).toHaveAttribute('data-state', 'drawn', { timeout: 30_000 });
  await expect(page.locator('article.guide-figure')).toHaveCount(1);
  await expect(figure.locator('.guide-finding')).toHaveText(/^triangular returns to the same peak every cycle \(4 peaks at 0\.006\); triangular2 halves the amplitude each cycle \(peaks 0\.006, 0\.0035, /);
  const box = await figure.locator('canvas').first().boundingBox();
  expect(box.y + box.height).toBeLessThanOrEqual(500);
  expect(await page.getByTestId('open-clr').getAttribute('href')).toContain('#demo=train');
});

test('every figure computes on the CPU path, each with a sentence from its numbers', () =>
  withoutWebGpu(async (page) => {
    test.setTimeout(180_000);
    await page.goto(`${process.env.LRP_URL}#demo=guide`);
    for (const id of FIGURES) {
      const figure = page.locator(`[data-figure="${id}"]`);
      await figure.scrollIntoViewIfNeeded();
      await expect(figure).toHaveAttribute('data-state', 'drawn', { timeout: 60_000 });
      expect((await figure.locator('.guide-finding').textContent()).length, id).toBeGreaterThan(40);
    }
  }));

for (const id of FIGURES) {
  test(`figure ${id} embedded in a 700 × 500 frame: its picture, legend, finding, link and figure bar above the fold`, async ({ page }) => {
    test.setTimeout(90_000);
    await openEmbed(page, () => page.goto(`${process.env.LRP_URL}?embed=guide#figure=${id}`));
    const figure = page.locator(`[data-figure="${id}"]`);
    await expect(figure).toHaveAttribute('data-state', 'drawn', { timeout: 60_000 });
    const needed = [figure.locator('.guide-picture canvas, .guide-picture .u-legend'), figure.locator('.guide-finding, .guide-open'), page.getByTestId('figure-bar')];
    for (const locator of needed) {
      for (const box of await locator.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()))) {
        expect(box.bottom, `${id}: something ends at ${box.bottom}`).toBeLessThanOrEqual(500);
        expect(box.height).toBeGreaterThan(0);
      }
    }
    // The picture is drawn, not blank.
    expect(await colourVariety(figure.locator('.guide-picture'))).toBeGreaterThan(12);
  });
}
