// `test` for the e2e suite: every page is watched, and a console error or an uncaught exception
// fails the test that caused it. `open(hashOrQuery)` loads the served page and waits for its plot.
import { test as base, chromium, expect } from '@playwright/test';
import { launchOptions } from './browser.js';

export { expect };

/** Watches a page; returns the list that console errors and page errors land in. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(`console: ${msg.text()}`));
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/**
 * `use(page)` on a page of a browser without WebGPU, where the page falls back to the CPU; a
 * console or page error fails it, as the `errors` fixture does on the usual page.
 */
export async function withoutWebGpu(use) {
  const browser = await chromium.launch(launchOptions({ webgpu: false }));
  try {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await use(page);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
}

/**
 * An embed as a blog post's 700 × 500 iframe shows it: `open()` loads it, and it shows its demo
 * alone, without the page's header or the demo's intro.
 */
export async function openEmbed(page, open) {
  await page.setViewportSize({ width: 700, height: 500 });
  await open();
  await expect(page.locator('header.chrome')).toBeHidden();
  await expect(page.locator('.intro')).toHaveCount(0);
}

/**
 * Loads the page at `suffix` (a '?query' and/or '#hash'; by default the Schedules demo) and waits
 * until the schedules are drawn.
 */
export async function openPage(page, suffix = '#demo=schedules') {
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
