// The <lr-playground> element as a blog uses it: one script tag from a static host of another
// origin (lrp.test, which this browser resolves to this machine) that sends
// Access-Control-Allow-Origin: *, two elements on the page, one engine worker, no styles leaking.
import { createServer } from 'node:http';
import { launchOptions } from './browser.js';
import { expect, test } from './fixtures.js';
import { luminance } from './pixels.js';
import { serveStatic } from './static-server.js';

const browser = launchOptions({ webgpu: true });
test.use({ launchOptions: { ...browser, args: [...browser.args, '--host-resolver-rules=MAP lrp.test 127.0.0.1'] } });

test.describe('<lr-playground> on a page of another origin', () => {
  let assets;
  let blog;
  test.beforeAll(async () => {
    // A static host that allows any origin, as a CDN does; the blog is another origin.
    assets = await serveStatic('dist', '/lr-playground/', { headers: { 'access-control-allow-origin': '*' } });
    const script = `${assets.url.replace('127.0.0.1', 'lrp.test')}lr-playground.js`;
    blog = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>A blog</title><style>body { max-width: 720px; margin: 0 auto; }</style>
<p class="toolbar intro">A post about learning rates.</p>
<script type="module" src="${script}"></script>
<lr-playground demo="schedules" steps="300" loading="eager"></lr-playground>
<p style="height: 1600px">Between the figures, a long way.</p>
<lr-playground demo="train" theme="dark" data="circle" points="200" hidden="8" trainsteps="64"></lr-playground>`);
    });
    await new Promise((resolve) => blog.listen(0, '127.0.0.1', resolve));
  });
  test.afterAll(async () => {
    await assets?.close();
    blog?.close();
  });

  test('two elements both render from one engine worker, and no style leaks into the page', async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 760, height: 900 });
    await page.goto(`http://127.0.0.1:${blog.address().port}/`);
    const [schedules, train] = [page.locator('lr-playground').nth(0), page.locator('lr-playground').nth(1)];
    await expect(schedules.getByTestId('lr-plot').locator('canvas')).toBeVisible({ timeout: 60_000 });
    // The attribute is the demo's URL-state key: 300 steps, not the default.
    await expect.poll(() => schedules.getByTestId('lr-plot').locator('canvas').getAttribute('aria-label')).toMatch(/at step 299\b/);
    // Train plays by itself (once scrolled near: it is lazy), in the dark theme.
    await train.scrollIntoViewIfNeeded();
    await expect.poll(() => train.getByTestId('loss-plot').locator('canvas').getAttribute('aria-label'), { timeout: 60_000 }).toMatch(/at step [1-9]/);
    expect(await train.evaluate((el) => el.shadowRoot.querySelector('.lrp-frame').dataset.theme)).toBe('dark');
    expect(await luminance(train)).toBeLessThan(0.35);
    expect(await luminance(schedules)).toBeGreaterThan(0.6);
    // Sized like an image: the width it is given, at 7:5.
    const box = await schedules.boundingBox();
    expect(box.width).toBeGreaterThan(700);
    expect(Math.abs(box.height - (box.width * 5) / 7)).toBeLessThan(2);
    // One engine worker for both; it runs the script from the static host.
    expect(page.workers()).toHaveLength(1);
    // The page's own class names are untouched: no stylesheet was added to the document.
    expect(await page.evaluate(() => document.querySelectorAll('link[rel="stylesheet"], style').length)).toBe(1);
    expect(await page.locator('p.toolbar').evaluate((p) => getComputedStyle(p).color)).toBe('rgb(0, 0, 0)');
    // The links out point at the static host.
    await expect(train.getByTestId('open-full').or(train.locator('.open-full'))).toHaveAttribute('href', /^http:\/\/lrp\.test:\d+\/lr-playground\/index\.html#demo=train&/);
  });

  test('a lazy element starts nothing until it is scrolled near', async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 760, height: 400 });
    await page.goto(`http://127.0.0.1:${blog.address().port}/`);
    const train = page.locator('lr-playground').nth(1);
    await expect(page.locator('lr-playground').nth(0).getByTestId('lr-plot').locator('canvas')).toBeVisible({ timeout: 60_000 });
    await page.waitForTimeout(500);
    expect(await train.evaluate((el) => el.shadowRoot.querySelectorAll('canvas').length)).toBe(0);
    await train.scrollIntoViewIfNeeded();
    await expect(train.getByTestId('heatmap')).toBeVisible({ timeout: 60_000 });
  });
});

