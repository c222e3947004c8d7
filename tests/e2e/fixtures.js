// `test` for the e2e suite: every page is watched, and a console error or an uncaught exception
// fails the test that caused it. `open(hashOrQuery)` loads the served page and waits for its plot.
import { test as base, expect } from '@playwright/test';

export { expect };

/** Watches a page; returns the list that console errors and page errors land in. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(`console: ${msg.text()}`));
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/** Loads the page at `suffix` (a '?query' and/or '#hash') and waits until the schedules are drawn. */
export async function openPage(page, suffix = '') {
  await page.goto(process.env.LRP_URL + suffix);
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
}

/** Waits until demo `id` has drawn once (every demo counts its renders in `window.__lrp[id]`). */
export function demoDrawn(page, id, timeout = 30_000) {
  return page.waitForFunction((demo) => window.__lrp?.[demo]?.renders >= 1, id, { timeout });
}

/** The data behind the plot, as plain arrays. */
export function plotted(page) {
  return page.evaluate(() => {
    const { steps, logy, series } = window.__lrp.schedules;
    return { steps, logy, series: series.map((s) => ({ kind: s.kind, lr: s.lr && Array.from(s.lr), momentum: s.momentum && Array.from(s.momentum) })) };
  });
}

export const test = base.extend({
  errors: [
    async ({ page }, use) => {
      const errors = watchErrors(page);
      await use(errors);
      expect(errors, 'console or page errors').toEqual([]);
    },
    { auto: true },
  ],
  // The page ships its own Content-Security-Policy (index.html): no test may trip it.
  cspViolations: [
    async ({ page }, use) => {
      await page.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));
      });
      await use();
      const violations = page.isClosed() ? [] : await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
