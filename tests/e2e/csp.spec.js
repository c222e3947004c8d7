// The page under a strict Content-Security-Policy, as a careful static host would send it: scripts
// from the page's own origin only (no inline script, no eval; compiling wasm is allowed), and no
// inline styles either. Every demo must draw, with no violation reported on the page or in the
// engine worker (whose own response carries the same header).
import { DEMOS } from '../../www/demos/index.js';
import { demoDrawn, expect, test } from './fixtures.js';
import { serveStatic } from './static-server.js';

const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

let server;
test.beforeAll(async () => {
  server = await serveStatic('dist', '/lr-playground/', { headers: { 'content-security-policy': CSP } });
});
test.afterAll(() => server?.close());

for (const { id: demo } of DEMOS) {
  test(`under a strict CSP the ${demo} demo draws, and nothing is refused`, async ({ page }) => {
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    });
    const small = demo === 'find' ? '&data=circle&hidden=8&batch=16&seeds=1&iters=40' : '';
    const response = await page.goto(`${server.url}#demo=${demo}${small}`);
    expect(response.headers()['content-security-policy']).toBe(CSP);
    await demoDrawn(page, demo);
    // The Find demo draws as its range test goes: wait for the test itself to finish too.
    if (demo === 'find') await page.waitForFunction(() => window.__lrp.find.done, null, { timeout: 30_000 });
    // The engine worker ran under it too: it answered, so its wasm compiled.
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /^(webgpu|cpu)$/);
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
  });
}

test('the page carries its own policy: an injected inline script is refused, and wasm still runs', async ({ page, errors }) => {
  await page.goto(`${process.env.LRP_URL}#demo=schedules`);
  await demoDrawn(page, 'schedules');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(policy).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
  const refused = await page.evaluate(async () => {
    const seen = [];
    const listen = (e) => seen.push(e.violatedDirective);
    document.addEventListener('securitypolicyviolation', listen);
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    document.removeEventListener('securitypolicyviolation', listen);
    script.remove();
    window.__cspViolations.length = 0;
    return { inlineRan: window.__inlineRan === true, seen };
  });
  // The browser reports the refused script on the console: that error is this test's own doing.
  const refusal = (e) => /Content Security Policy/.test(e);
  await expect.poll(() => errors.filter(refusal).length).toBeGreaterThanOrEqual(1);
  errors.splice(0, errors.length, ...errors.filter((e) => !refusal(e)));
  expect(refused.inlineRan).toBe(false);
  expect(refused.seen).toEqual(['script-src-elem']);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /^(webgpu|cpu)$/);
});
