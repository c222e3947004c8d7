// Hostile links, per demo: markup, script URLs, huge numbers, deep nesting, a 100 KB hash, broken
// percent-escapes. The page renders none of it as markup (no element is created from it, no
// script runs), falls back to the defaults with a notice, and the demo still draws.
import { demoDrawn, expect, test } from './fixtures.js';
import { DEMOS } from '../../www/demos/index.js';

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const MARKUP = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script><iframe src="javascript:window.__pwned=1">';
const nested = (depth) => '['.repeat(depth) + '1' + ']'.repeat(depth);

/** Values for one entry of a demo's state; each is a link that entry must refuse. */
function hostileValues(entry) {
  const values = [MARKUP, 'javascript:window.__pwned=1', '1e400', '-99999999999999999999999', '%E0%A4%A', '%FF%FE', 'x'.repeat(100_000)];
  if (entry.type === 'json') {
    values.push(b64(nested(10_000)), b64(`{"kind":${JSON.stringify(MARKUP)},"lr":${nested(40)}}`), b64([{ schedule: { kind: MARKUP } }]));
  }
  return values;
}

async function expectNothingInjected(page) {
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  // The page's own module scripts are its only scripts; no image or frame exists at all.
  const made = await page.evaluate(() => ({
    elements: document.querySelectorAll('img, iframe, object, embed').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => !/\/assets\/[\w.-]+\.js$/.test(s.src)).length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
  }));
  expect(made).toEqual({ elements: 0, scripts: 0, handlers: 0 });
}

for (const demo of DEMOS) {
  test(`the ${demo.id} demo refuses every hostile link value with a notice, and draws its defaults`, async ({ page }) => {
    test.setTimeout(120_000);
    // Every key of the demo at once, one hostile value each, cycling through the corpus.
    for (let round = 0; round < 3; round++) {
      const params = [`demo=${demo.id}`];
      for (const [i, entry] of demo.state.entries()) {
        const values = hostileValues(entry);
        params.push(`${entry.key}=${values[(i + round * 3) % values.length]}`);
      }
      // A hash of 100 KB and more, broken escapes included: the browser hands it over as it is.
      await page.goto(`${process.env.LRP_URL}#${params.join('&')}`);
      await demoDrawn(page, demo.id);
      const notice = page.getByTestId('state-notice');
      await expect(notice).toBeVisible();
      await expect(notice).toContainText('from the link');
      // Notices quote what they refuse briefly, as text.
      for (const item of await notice.locator('li').allTextContents()) expect(item.length).toBeLessThan(400);
      await expectNothingInjected(page);
      // The link was rewritten with the defaults: short again, and read back without notices.
      const hash = new URL(page.url()).hash;
      expect(hash.length).toBeLessThan(4000);
      expect(hash).not.toContain('javascript');
    }
  });
}

for (const demo of DEMOS) {
  const floats = demo.state.filter((entry) => entry.type === 'float');
  if (floats.length === 0) continue;
  for (const [where, query] of [['top level', ''], ['embedded', `?embed=${demo.id}`]]) {
    // One key a link: Chromium takes URLs up to 2 MB.
    test(`the ${demo.id} demo (${where}) refuses a 1 MB run of digits in each number key, and draws`, async ({ page }) => {
      test.setTimeout(90_000 * floats.length);
      const huge = `${'1'.repeat(1 << 20)}x`;
      for (const entry of floats) {
        await page.goto(`${process.env.LRP_URL}${query}#demo=${demo.id}&${entry.key}=${huge}`);
        await demoDrawn(page, demo.id, 80_000);
        await expect(page.getByTestId('state-notice')).toContainText(`Ignored ${entry.key}="${'1'.repeat(40)}…" from the link: it is 1,048,577 characters long`);
        expect(new URL(page.url()).hash.length).toBeLessThan(4000);
      }
    });
  }
}

test('markup inside a schedule spec from the link shows as text in the engine message', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=schedules&schedules=${b64([{ kind: 'Constant', lr: 0.1 }, { kind: MARKUP }])}`);
  await demoDrawn(page, 'schedules');
  await expect(page.getByTestId('state-notice')).toContainText('<img src=x');
  await expectNothingInjected(page);
});
