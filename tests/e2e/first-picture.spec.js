// Every demo's first picture comes before its slow work is done: Layers shows its network, the
// plan's rates and the pretraining loss while the body still pretrains; Find its rate axis before
// the range test's first batch; a guide figure its axes (and, for four rates, its medians so far) while it computes. No timings here: each check
// holds "drawn" and "still busy" in the same frame.
import { expect, test } from './fixtures.js';
import { firstOf, watchPictures } from './first-picture.js';

test.beforeEach(({ page }) => watchPictures(page));

// The engine's wasm is fetched and compiled by the page while the worker's script still loads
// (www/engine-module.js): the worker only instantiates the module it is handed.
const isEngineWasm = (url) => /lr_playground_bg[^/]*\.wasm$/.test(new URL(url).pathname);
/** How late a figure that must be seen before the engine arrives gets it. */
const ENGINE_DELAY_MS = 1500;

/**
 * Makes the engine arrive late, as over a slow network: a figure whose engine loads from a warm
 * cache (or one that computes in a frame or two) could otherwise be done before the first frame
 * these tests can look at.
 */
const delayEngine = (page) =>
  page.route((url) => isEngineWasm(url.href), async (route) => {
    await new Promise((resolve) => setTimeout(resolve, ENGINE_DELAY_MS));
    await route.continue();
  });

test('Layers draws its network, the plan and the pretraining loss while the body is still pretraining', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${process.env.LRP_URL}#demo=layers`);
  const seen = await firstOf(page, () => {
    const shown = window.__lrp?.layers;
    if (shown?.pretraining?.done) return 'done';
    const pretraining = shown?.pretraining?.steps > 0;
    return pretraining && ['rate-plot', 'loss-plot', 'layer-diagram'].every((id) => window.__showsPicture(`[data-testid="${id}"]`)) && 'picture';
  });
  expect(seen).toBe('picture');
  // What the figure says of itself meanwhile: pretraining, the plan's phase, no fine-tuning yet.
  await expect(page.getByTestId('layers-verdict')).toContainText(/^Pretraining the bodies on task A: step \d+ of 1200\./);
  await expect(page.getByTestId('layer-0')).toHaveAttribute('data-frozen', 'true');
  await expect(page.getByTestId('layer-3')).toHaveAttribute('data-frozen', 'false');
  // Then the plan's session takes over from the pretrained body.
  await page.waitForFunction(() => window.__lrp.layers.pretraining.done && window.__lrp.layers.steps === 0, null, { timeout: 60_000 });
  await expect(page.getByTestId('layers-verdict')).toContainText('median validation accuracy fine-tuned');
});

test('Find draws its rate axis before the range test has a batch', async ({ page }) => {
  await delayEngine(page);
  await page.goto(`${process.env.LRP_URL}#demo=find`);
  const seen = await firstOf(page, () => (window.__lrp?.find?.renders >= 1 ? 'done' : window.__showsPicture('[data-testid="finder-plot"]') && 'picture'));
  expect(seen).toBe('picture');
  await page.waitForFunction(() => window.__lrp?.find?.done, null, { timeout: 30_000 });
});

test('Train draws its loss axes and says the engine is starting before it has a session', async ({ page }) => {
  await delayEngine(page);
  await page.goto(`${process.env.LRP_URL}#demo=train`);
  const seen = await firstOf(page, () => {
    if (window.__lrp?.train?.renders >= 1) return 'done';
    const counter = document.querySelector('[data-testid="train-counter"]')?.textContent;
    return counter === 'starting the engine…' && window.__showsPicture('[data-testid="loss-plot"]') && 'picture';
  });
  expect(seen).toBe('picture');
  // Every run is in the legend meanwhile, and the session then takes over the same chart.
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1, null, { timeout: 30_000 });
  await expect(page.getByTestId('train-counter')).toHaveText(/^step 0 of \d+$/);
  await expect(page.getByTestId('loss-legend').locator('tbody tr')).toHaveCount(3);
});

for (const id of ['four-rates', 'range-test', 'saddle', 'sgdr']) {
  test(`the guide's ${id} figure shows a picture while it computes`, async ({ page }) => {
    // The plateau race takes half a minute on two busy cores.
    test.setTimeout(120_000);
    await delayEngine(page);
    await page.goto(`${process.env.LRP_URL}#demo=guide&figure=${id}`);
    const seen = await firstOf(page, (figure) => (document.querySelector(`[data-figure="${figure}"]`)?.dataset.state === 'drawn' ? 'done' : window.__showsPicture(`[data-figure="${figure}"] .guide-picture`) && 'picture'), id);
    expect(seen).toBe('picture');
    await expect(page.locator(`[data-figure="${id}"]`)).toHaveAttribute('data-state', 'drawn', { timeout: 90_000 });
  });
}

test('the page fetches the engine once, itself, and the worker fetches nothing more', async ({ page }) => {
  const fetched = [];
  page.context().on('request', (request) => isEngineWasm(request.url()) && fetched.push(request.url()));
  await page.goto(`${process.env.LRP_URL}#demo=train`);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1, null, { timeout: 30_000 });
  // The page's own resource timeline holds the fetch: the page made it, not the worker.
  const byPage = await page.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name));
  expect(byPage.filter(isEngineWasm)).toHaveLength(1);
  expect(fetched).toHaveLength(1);
});

test('where the page cannot compile the engine (served as the wrong type), the worker fetches it itself', async ({ page }) => {
  const fetched = [];
  await page.route((url) => isEngineWasm(url.href), async (route) => {
    fetched.push(route.request().url());
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto(`${process.env.LRP_URL}#demo=train`);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1, null, { timeout: 30_000 });
  await expect(page.getByTestId('train-counter')).toHaveText(/^step 0 of \d+$/);
  expect(fetched).toHaveLength(2);
});
