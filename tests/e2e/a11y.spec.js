// Keyboard and screen readers: the demo tabs as a tab list (arrow keys, one tab stop, the panel
// they control), a visible focus, a text alternative on every picture drawn on a canvas, log
// sliders that say their value, controls named apart, and classroom links that hide controls.
import { demoDrawn, expect, test } from './fixtures.js';

const DEMOS = ['guide', 'schedules', 'train', 'find', 'surfaces', 'layers'];

test('the demo tabs: one tab stop, arrow keys, Home and End, each controlling the demo panel', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=schedules`);
  await demoDrawn(page, 'schedules');
  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveCount(DEMOS.length);
  for (const tab of await tabs.all()) await expect(tab).toHaveAttribute('aria-controls', 'demo');
  // The shown demo's tab is the one tab stop.
  expect(await tabs.evaluateAll((all) => all.map((t) => t.tabIndex))).toEqual([-1, 0, -1, -1, -1, -1]);
  await page.getByTestId('tab-schedules').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-train')).toBeFocused();
  await expect(page.getByTestId('tab-train')).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/#demo=train&/);
  await expect(page.locator('#demo')).toHaveAttribute('aria-labelledby', 'tab-train');
  await page.keyboard.press('End');
  await expect(page.getByTestId('tab-layers')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-guide')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('tab-guide')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('tab-layers')).toHaveAttribute('aria-selected', 'true');
  expect(await tabs.evaluateAll((all) => all.map((t) => t.tabIndex))).toEqual([-1, -1, -1, -1, -1, 0]);
});

test('focus is visible where the keyboard is', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=schedules`);
  await demoDrawn(page, 'schedules');
  await page.getByTestId('tab-schedules').focus();
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    return [style.outlineStyle, parseFloat(style.outlineWidth)];
  });
  expect(outline[0]).not.toBe('none');
  expect(outline[1]).toBeGreaterThanOrEqual(2);
});

for (const demo of DEMOS) {
  test(`${demo}: every picture drawn on a canvas has a text alternative that says what it shows`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto(`${process.env.LRP_URL}#demo=${demo}`);
    await demoDrawn(page, demo, 60_000);
    await page.waitForTimeout(1500);
    const missing = await page.evaluate(() =>
      [...document.querySelectorAll('#demo canvas')]
        .filter((c) => c.getClientRects().length > 0)
        .filter((c) => !c.closest('[role="img"][aria-label]')?.getAttribute('aria-label'))
        .map((c) => c.outerHTML.slice(0, 80)),
    );
    expect(missing).toEqual([]);
    // A chart says what it plots, and the value it shows now.
    const chart = await page.locator('#demo .uplot canvas').first().getAttribute('aria-label');
    expect(chart).toMatch(/^Chart of .+ against .+\. .*\d/);
  });
}

test('a log slider says the value it stands for, not its exponent; cards name their controls apart', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=schedules`);
  await demoDrawn(page, 'schedules');
  const slider = page.getByTestId('field-0-lr-slider');
  await expect(slider).toHaveAttribute('aria-valuetext', '0.003');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(slider).toHaveAttribute('aria-valuetext', await page.getByTestId('field-0-lr').inputValue());
  await expect(page.getByTestId('remove-1')).toHaveAccessibleName('Remove schedule 2');
  const kinds = await page.locator('select.kind').evaluateAll((all) => all.map((s) => s.getAttribute('aria-label')));
  expect(kinds).toEqual(['Schedule 1: schedule kind', 'Schedule 2: schedule kind', 'Schedule 3: schedule kind']);
  await page.getByTestId('tab-train').click();
  await demoDrawn(page, 'train', 60_000);
  await expect(page.getByTestId('remove-0')).toHaveAccessibleName('Remove run 1');
});

test('a classroom link hides the controls it names (<key>_hide), and keeps saying so', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=train&noise_hide=1&trainsteps_hide=true`);
  await demoDrawn(page, 'train', 60_000);
  await expect(page.getByTestId('train-noise')).toBeHidden();
  await expect(page.getByTestId('train-trainsteps')).toBeHidden();
  await expect(page.getByTestId('train-points')).toBeVisible();
  await expect(page).toHaveURL(/&noise_hide=1&trainsteps_hide=1$/);
});
