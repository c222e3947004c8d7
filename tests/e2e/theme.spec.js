// A theme change restyles the charts already drawn: the reader's system switching to dark, and the
// `theme` attribute of <lr-playground> changing, both recolour a canvas without a new picture.
import { expect, test } from './fixtures.js';

// The mean brightness (0 .. 1) of a canvas's grey ink: its opaque, unsaturated pixels (axis labels,
// ticks), leaving out the coloured lines. Dark on a light page, light on a dark one.
function inkBrightness(canvas) {
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (a < 250 || Math.max(r, g, b) - Math.min(r, g, b) > 24) continue;
    sum += (r + g + b) / 3 / 255;
    count += 1;
  }
  return count ? sum / count : null;
}

test('a drawn chart takes the dark colours when the system switches to dark, and back', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${process.env.LRP_URL}#demo=schedules`);
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  const canvas = page.getByTestId('lr-plot').locator('canvas');
  const renders = await page.evaluate(() => window.__lrp.schedules.renders);
  const light = await canvas.evaluate(inkBrightness);
  expect(light).toBeLessThan(0.35);

  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(() => canvas.evaluate(inkBrightness)).toBeGreaterThan(0.65);
  // Restyled in place: the demo did not compute its picture again.
  expect(await page.evaluate(() => window.__lrp.schedules.renders)).toBe(renders);
  await expect(canvas).toHaveAttribute('aria-label', /learning rate/);

  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => canvas.evaluate(inkBrightness)).toBeLessThan(0.35);
});

test('the theme attribute of <lr-playground> restyles its charts in place', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  // A page beside the module, as a blog would have it.
  const blog = `${process.env.LRP_URL}a-blog.html`;
  await page.route(blog, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><script type="module" src="lr-playground.js"></script><lr-playground demo="schedules" loading="eager" theme="light"></lr-playground>' }),
  );
  await page.goto(blog);
  const element = page.locator('lr-playground');
  const canvas = element.locator('[data-testid="lr-plot"] canvas');
  await expect(canvas).toBeVisible({ timeout: 30_000 });
  await expect.poll(() => canvas.evaluate(inkBrightness)).toBeLessThan(0.35);
  const box = await element.locator('[data-testid="lr-plot"]').elementHandle();

  await element.evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(() => canvas.evaluate(inkBrightness)).toBeGreaterThan(0.65);
  expect(await element.evaluate((el) => el.shadowRoot.querySelector('.lrp-frame').dataset.theme)).toBe('dark');
  // The demo stayed (the same figure box, not a new view), only its chart was drawn anew.
  expect(await box.evaluate((b) => b.isConnected)).toBe(true);

  await element.evaluate((el) => el.setAttribute('theme', 'light'));
  await expect.poll(() => canvas.evaluate(inkBrightness)).toBeLessThan(0.35);
});
