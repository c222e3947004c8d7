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
