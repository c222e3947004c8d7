// What was added last, checked by axe-core (WCAG 2.1 A and AA, colour contrast included) in the
// light and the dark theme: the guide, Train with its figure menus and own-data panel open, and
// Layers with its plans compared over the seeds.
// And by keyboard: every control of the figure bar and the own-data panel is reached with Tab,
// shows where the focus is, and a figure menu closes with Escape.
import AxeBuilder from '@axe-core/playwright';
import { demoDrawn, expect, test } from './fixtures.js';

const VIEWS = [
  ['guide', 'demo=guide&figure=clr'],
  ['guide', 'demo=guide&figure=small-vs-large'],
  ['train', 'demo=train'],
];

for (const scheme of ['light', 'dark']) {
  for (const [demo, hash] of VIEWS) {
    test(`${hash} in the ${scheme} theme: no WCAG A/AA violation, menus and panels open`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${process.env.LRP_URL}#${hash}`);
      await demoDrawn(page, demo, 60_000);
      // The disclosures open, so what they hold is checked too (one figure menu at a time).
      await page.locator('#demo details:not(.figure-menu)').evaluateAll((all) => all.forEach((d) => (d.open = true)));
      for (const menu of ['share', 'download']) {
        await page.getByTestId(menu).first().locator('summary').click();
        const { violations } = await new AxeBuilder({ page }).include('#demo').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      }
    });
  }
}

// Layers over its seeds: the trained plan's chart with its bands and finding, and every plan
// compared; one page, checked in the light theme and again once it turns dark.
test('demo=layers with its plan trained and every plan compared, in both themes: no WCAG A/AA violation', async ({ page }) => {
  test.setTimeout(90_000);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${process.env.LRP_URL}#demo=layers&preset=slice&epochs=2`);
  await page.waitForFunction(() => window.__lrp?.layers?.pretraining?.done && window.__lrp.layers.steps === 0 && window.__lrp.layers.report, null, { timeout: 60_000 });
  await page.getByTestId('layers-play').click();
  await expect(page.getByTestId('layers-counter')).toHaveText(/\(done\)$/, { timeout: 60_000 });
  await page.getByTestId('layers-compare').click();
  await expect(page.getByTestId('layers-comparison').locator('tbody tr')).toHaveCount(5, { timeout: 60_000 });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const { violations } = await new AxeBuilder({ page }).include('#demo').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(violations.map((v) => `${scheme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});

/** Tabs forward from the demo tab until `locator` has the focus; returns whether the focus showed an outline each time. */
async function tabTo(page, locator, most = 150) {
  await page.getByRole('tab', { selected: true }).focus();
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    if (await locator.evaluate((el) => el === document.activeElement)) {
      return page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle !== 'none');
    }
  }
  throw new Error('not reached by Tab');
}

test('Tab reaches the figure menus and every control in them and in the own-data panel, focus showing; Escape closes a menu', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${process.env.LRP_URL}#demo=train`);
  await demoDrawn(page, 'train');
  const share = page.getByTestId('share');
  expect(await tabTo(page, share.locator('summary'))).toBe(true);
  await page.keyboard.press('Enter');
  await expect(share).toHaveAttribute('open', '');
  for (const key of ['page', 'iframe', 'element']) {
    expect(await tabTo(page, page.getByTestId(`share-copy-${key}`))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(share).not.toHaveAttribute('open', '');
  await expect(share.locator('summary')).toBeFocused();

  const files = page.getByTestId('download');
  await files.locator('summary').focus();
  await page.keyboard.press('Enter');
  for (const testid of ['download-png', 'download-svg', 'download-csv', 'download-json']) expect(await tabTo(page, page.getByTestId(testid))).toBe(true);
  await page.keyboard.press('Escape');
  await expect(files.locator('summary')).toBeFocused();

  const own = page.getByTestId('own-data');
  expect(await tabTo(page, own.locator('summary'))).toBe(true);
  await page.keyboard.press('Enter');
  for (const testid of ['own-data-file', 'own-data-paste', 'own-data-read', 'own-data-header']) {
    const control = page.getByTestId(testid);
    expect(await tabTo(page, control)).toBe(true);
    await expect(control).toHaveAccessibleName(/\w/);
  }
});
