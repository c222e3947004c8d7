// Embeds people can paste: the Share and Download menus every demo has, embeds that lead with a
// playing picture, and the dark theme (the element itself: element.spec.js).
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures.js';
import { colourVariety, luminance } from './pixels.js';

const DEMOS = ['schedules', 'train', 'find', 'surfaces', 'layers'];

test('Share gives a link, an iframe and an <lr-playground> snippet of the current view, each with Copy', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${process.env.LRP_URL}#demo=schedules&steps=300`);
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  await page.getByTestId('share').locator('summary').click();
  await expect(page.getByTestId('share-page')).toHaveValue(/\/lr-playground\/index\.html#demo=schedules&steps=300&/);
  await expect(page.getByTestId('share-iframe')).toHaveValue(/^<iframe src="http:\/\/[^"]+\/lr-playground\/index\.html\?embed=schedules&amp;lead=picture#demo=schedules&amp;steps=300&amp;/);
  await expect(page.getByTestId('share-element')).toHaveValue(/^<script type="module" src="http:\/\/[^"]+\/lr-playground\/lr-playground\.js"><\/script>\n<lr-playground demo="schedules" steps="300"><\/lr-playground>$/);
  await page.getByTestId('share-copy-element').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('<lr-playground demo="schedules" steps="300">');
  await expect(page.getByTestId('figure-bar').getByRole('status')).toHaveText('Embed (<lr-playground>) copied.');
});

test('Download saves the figure as PNG and SVG and its data as CSV and JSON', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=schedules`);
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  await page.getByTestId('download').locator('summary').click();
  const save = async (testid) => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    return { name: file.suggestedFilename(), body: await readFile(await file.path()) };
  };
  const png = await save('download-png');
  expect(png.name).toBe('lr-playground-schedules.png');
  expect(png.body.subarray(1, 4).toString()).toBe('PNG');
  expect(png.body.length).toBeGreaterThan(5000);
  const svg = await save('download-svg');
  expect(svg.name).toBe('lr-playground-schedules.svg');
  const text = svg.body.toString();
  expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  // Three learning-rate schedules and one momentum curve, as vector paths, with axis labels.
  expect(text.match(/<path d="M/g)).toHaveLength(4);
  expect(text).toContain('>learning rate</text>');
  const csv = (await save('download-csv')).body.toString().trimEnd().split('\n');
  expect(csv[0]).toBe('chart,series,x,y');
  expect(csv[1]).toBe('learning rate,1 Constant,0,0.003');
  expect(csv.length).toBeGreaterThan(3 * 1200);
  const { charts } = JSON.parse((await save('download-json')).body.toString());
  expect(charts.map((c) => c.title)).toEqual(['learning rate', 'momentum']);
  expect(charts[0].series[1].points[200]).toEqual([200, 0.006]);
});

for (const demo of DEMOS) {
  test(`${demo}: an embed that leads with its picture shows it, drawn, in the first 700 × 500, the controls folded`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 700, height: 500 });
    await page.goto(`${process.env.LRP_URL}?embed=${demo}&lead=picture#demo=${demo}`);
    const picture = page.locator('#demo > [data-region]:not([hidden])').first();
    await expect(picture).toBeVisible({ timeout: 60_000 });
    await page.waitForFunction((id) => window.__lrp?.[id]?.renders >= 1, demo, { timeout: 60_000 });
    await expect(page.getByTestId('embed-controls')).toBeHidden();
    const toggle = page.getByTestId('embed-controls-toggle');
    await expect(toggle).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('open-full')).toBeInViewport({ ratio: 1 });
    // The picture's top is on the first screen, and it is not blank.
    const box = await picture.boundingBox();
    expect(box.y).toBeLessThan(50);
    const canvas = page.locator('#demo canvas').first();
    await expect(canvas).toBeInViewport();
    // A chart may be made anew as results arrive: a canvas gone mid-screenshot counts as blank.
    await expect.poll(() => colourVariety(canvas).catch(() => 0), { timeout: 30_000 }).toBeGreaterThan(12);
    await toggle.click();
    await expect(page.getByTestId('embed-controls')).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });
}

for (const [demo, button] of [['train', 'train-start'], ['layers', 'layers-play']]) {
  test(`${demo}: an embed that leads with its picture plays by itself, unless motion is reduced`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 700, height: 500 });
    await page.goto(`${process.env.LRP_URL}?embed=${demo}&lead=picture#demo=${demo}`);
    await page.waitForFunction((id) => window.__lrp?.[id]?.steps > 0, demo, { timeout: 90_000 });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.reload();
    await page.waitForFunction((id) => window.__lrp?.[id]?.renders >= 1, demo, { timeout: 90_000 });
    await expect(page.getByTestId(button)).toBeEnabled({ timeout: 60_000 });
    await page.waitForTimeout(1000);
    expect(await page.evaluate((id) => window.__lrp[id].steps ?? 0, demo)).toBe(0);
  });
}

test('the dark theme: from prefers-color-scheme, or forced by theme= in the link', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${process.env.LRP_URL}#demo=schedules`);
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  expect(await luminance(page.locator('body'))).toBeLessThan(0.3);
  expect(await luminance(page.getByTestId('lr-plot').locator('canvas'))).toBeLessThan(0.3);
  // The axes' labels are light on dark: the plot has bright pixels beyond its coloured lines.
  expect(await page.evaluate(() => getComputedStyle(document.body).color)).toMatch(/^rgb\((2[0-9]{2}), /);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${process.env.LRP_URL}?embed=schedules#demo=schedules&theme=dark`);
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  expect(await luminance(page.locator('body'))).toBeLessThan(0.3);
  // The theme stays in the link as the demo writes its state.
  await expect(page).toHaveURL(/#demo=schedules&.*theme=dark/);
});

test('at 360 px the link out of an embed sits in the flow and covers nothing', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 640 });
  for (const query of ['?embed=schedules', '?embed=schedules&lead=picture']) {
    await page.goto(`${process.env.LRP_URL}${query}#demo=schedules`);
    await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
    const link = page.getByTestId('open-full');
    await expect(link).toBeVisible();
    expect(await link.evaluate((a) => getComputedStyle(a).position)).toBe('static');
    const overlaps = await link.evaluate((a) => {
      const box = a.getBoundingClientRect();
      return [...document.querySelectorAll('#demo button, #demo canvas, #demo input, #demo select, #demo summary')]
        .filter((el) => !a.contains(el) && el.checkVisibility())
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom;
        })
        .map((el) => el.outerHTML.slice(0, 60));
    });
    expect(overlaps).toEqual([]);
  }
});
