// The page wherever it is served and whatever the browser allows: over plain http from a host
// name that is not localhost (a LAN address, a school server: no secure context, so no WebGPU and
// no crypto.randomUUID), and with Web Locks missing or refused (older browsers, embeds whose
// storage is blocked), in the page and in the engine worker, and embedded in a cross-site page.
// It trains, and a worker that ends without a word is still found out and replaced.
import { createServer } from 'node:http';
import { launchOptions } from './browser.js';
import { expect, test, watchErrors } from './fixtures.js';
import { serveStatic } from './static-server.js';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const RUNS = [{ schedule: { kind: 'Constant', lr: 0.1 } }];
const TRAIN = `#demo=train&data=circle&noise=0&points=200&hidden=8&activation=relu&batch=16&trainsteps=64&runs=${b64(RUNS)}`;

async function trains(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1, null, { timeout: 60_000 });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 64 of 64 (done)', { timeout: 60_000 });
}

// The browser resolves lrp.test to this machine: a host name that is not localhost, as on a LAN.
const browser = launchOptions({ webgpu: true });
test.use({ launchOptions: { ...browser, args: [...browser.args, '--host-resolver-rules=MAP lrp.test 127.0.0.1'] } });

test.describe('over plain http from a host name that is not localhost', () => {
  let server;
  test.beforeAll(async () => {
    server = await serveStatic('dist', '/lr-playground/');
  });
  test.afterAll(() => server?.close());

  test('the page is not a secure context, and still trains (on the CPU)', async ({ page }) => {
    const url = server.url.replace('127.0.0.1', 'lrp.test');
    await trains(page, url + TRAIN);
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.randomUUID])).toEqual([false, 'undefined']);
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  });
});

// Web Locks taken away (or made to refuse) before any script runs: in the page by an init script,
// in the worker by a line put in front of its script as served.
const WITHOUT_LOCKS = {
  missing: `Object.defineProperty(Object.getPrototypeOf(navigator), 'locks', { get: () => undefined, configurable: true });`,
  throwing: `Object.defineProperty(Object.getPrototypeOf(navigator), 'locks', { get: () => ({ request() { throw new DOMException('The request was denied.', 'SecurityError'); } }), configurable: true });`,
};

const engineWorker = (page) => page.workers().find((w) => /engine-worker-[\w-]+\.js$/.test(w.url()));

for (const [how, patch] of Object.entries(WITHOUT_LOCKS)) {
  test(`with Web Locks ${how}: no error on load, training works, and a worker that closes itself is replaced`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.addInitScript(patch);
    // The page's clock, so that the 15 s of silence that tell a dead worker can be skipped.
    await page.clock.install();
    await page.route('**/assets/engine-worker-*.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${patch}\n${await response.text()}` });
    });
    await trains(page, process.env.LRP_URL + TRAIN);
    // Mid-run, the worker ends without a word: only its heartbeat's silence can tell.
    await page.getByTestId('train-trainsteps').fill('100000');
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => window.__lrp.train.steps >= 16);
    await engineWorker(page).evaluate(() => self.close());
    await page.clock.fastForward('00:20');
    await expect(page.getByTestId('state-notice')).toContainText('The engine stopped (engine worker failed: it stopped) and was restarted', { timeout: 60_000 });
    await page.waitForFunction(() => window.__lrp.train.renders >= 1 && window.__lrp.train.steps === 0);
    await page.getByTestId('train-trainsteps').fill('32');
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('train-counter')).toHaveText('step 32 of 32 (done)', { timeout: 60_000 });
  });
}

// An embed on someone else's site: the playground in a cross-site iframe, with the browser's
// third-party storage partitioning on (Chromium's default) and off. Storage (and so Web Locks) is
// partitioned or not; the embed must train either way.
for (const partitioning of ['on', 'off']) {
  test(`embedded in a cross-site page with storage partitioning ${partitioning}: the embed trains`, async ({ playwright }) => {
    test.setTimeout(120_000);
    const features = partitioning === 'on' ? '--enable-features=ThirdPartyStoragePartitioning' : '--disable-features=ThirdPartyStoragePartitioning';
    const chromium = await playwright.chromium.launch({ ...browser, args: [...browser.args, features] });
    const host = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>A blog</title><p>A post.</p><iframe src="${process.env.LRP_URL.replace('127.0.0.1', 'localhost')}?embed=train${TRAIN}" width="700" height="500"></iframe>`);
    });
    await new Promise((resolve) => host.listen(0, '127.0.0.1', resolve));
    try {
      const page = await chromium.newPage();
      const errors = watchErrors(page);
      await page.goto(`http://127.0.0.1:${host.address().port}/`);
      const frame = page.frameLocator('iframe');
      const embed = page.frames().find((f) => f !== page.mainFrame()) ?? (await page.waitForEvent('frameattached'));
      await embed.waitForFunction(() => window.__lrp?.train?.renders >= 1, null, { timeout: 60_000 });
      await frame.getByTestId('train-start').click();
      await expect(frame.getByTestId('train-counter')).toHaveText('step 64 of 64 (done)', { timeout: 60_000 });
      // A secure, cross-site frame: locks exist there (partitioned or not) and the page uses them.
      expect(await embed.evaluate(() => [window.top !== window, document.referrer.startsWith('http://127.0.0.1'), window.isSecureContext, typeof navigator.locks?.request])).toEqual([true, true, true, 'function']);
      expect(errors).toEqual([]);
    } finally {
      host.close();
      await chromium.close();
    }
  });
}
