// Chaos while the engine works: the GPU device lost mid-training, mid-range-test and mid-landscape, the engine
// worker ending mid-run, the tab hidden and shown, the largest sessions a link can ask for. The
// page never freezes: training goes on from its last consistent state, or the engine is replaced
// and the demo set up again from its link, with a notice.
import { expect, test } from './fixtures.js';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const RUNS = [{ schedule: { kind: 'Constant', lr: 0.1 } }, { schedule: { kind: 'OneCycleLR', max_lr: 0.3, total_steps: 96 } }];
const TRAIN = `#demo=train&data=circle&noise=0&points=200&hidden=8&activation=relu&batch=16&trainsteps=96&runs=${b64(RUNS)}`;
// WebGPU by name where the device is lost: under "auto" the CPU path may be the faster one here.
const FIND = '#demo=find&data=circle&hidden=8&batch=16&seeds=2&iters=1000&stopdiv=0&backend=gpu';

// The engine worker as served, with every GPU device it opens kept in `self.__devices`, so that a
// test can destroy them as a driver reset would, while the engine is using them. `loseAtSubmit`:
// the worker destroys them itself right after that many queue submissions (mid-work, however
// fast the work goes); `loseAtEvaluate`: right after the first submission of a loss evaluation
// (the engine labels those command encoders "evaluate").
async function recordDevices(page, { loseAtSubmit = 0, loseAtEvaluate = false } = {}) {
  await page.route('**/assets/engine-worker-*.js', async (route) => {
    const response = await route.fetch();
    const patch = `self.__devices = [];
self.__submits = 0;
self.__evaluating = false;
if (self.GPUAdapter) {
  const encoder = GPUDevice.prototype.createCommandEncoder;
  GPUDevice.prototype.createCommandEncoder = function (descriptor) {
    if (descriptor?.label === 'evaluate') self.__evaluating = true;
    return encoder.call(this, descriptor);
  };
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await request.apply(this, args);
    self.__devices.push(device);
    return device;
  };
  const submit = GPUQueue.prototype.submit;
  GPUQueue.prototype.submit = function (...args) {
    const result = submit.apply(this, args);
    const evaluation = ${loseAtEvaluate} && self.__evaluating;
    if (++self.__submits === ${loseAtSubmit} || evaluation) self.__devices.forEach((d) => d.destroy());
    if (evaluation) self.__lostAtEvaluate = self.__submits;
    return result;
  };
}
`;
    await route.fulfill({ response, body: patch + (await response.text()) });
  });
}

const engineWorker = (page) => page.workers().find((w) => /engine-worker-[\w-]+\.js$/.test(w.url()));

async function loseDevices(page) {
  await engineWorker(page).evaluate(() => self.__devices.forEach((d) => d.destroy()));
}

function trained(page) {
  return page.evaluate(() => {
    const { steps, losses, report, backend } = window.__lrp.train;
    return { steps, losses: losses.map((l) => Array.from(l)), report, backend };
  });
}

async function openTrain(page, hash = TRAIN) {
  await page.goto(process.env.LRP_URL + hash);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
}

test('the GPU lost mid-training: training goes on on the CPU from the last block, no step of history lost', async ({ page }) => {
  // Long enough that the device is always lost while steps remain.
  await recordDevices(page);
  await openTrain(page, `${TRAIN.replace('trainsteps=96', 'trainsteps=960')}&backend=gpu`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => window.__lrp.train.steps >= 16);
  await loseDevices(page);
  await expect(page.getByTestId('train-counter')).toHaveText('step 960 of 960 (done)', { timeout: 90_000 });
  const { steps, losses, backend } = await trained(page);
  expect(backend.backend).toBe('cpu');
  await expect(page.getByTestId('state-notice')).toContainText('Training moved to the CPU path');
  expect(steps).toBe(960);
  // Every step has its loss, in order, and the run kept learning across the move.
  expect(losses.map((l) => l.length)).toEqual([960, 960]);
  expect(losses[0].every(Number.isFinite)).toBe(true);
  expect(losses[0].at(-1)).toBeLessThan(losses[0][0]);
});

test('the GPU lost mid-range-test: the test finishes on the CPU with every batch of every seed', async ({ page }) => {
  // 1000 batches are 32 GPU blocks or more: the device goes after the 8th submission.
  await recordDevices(page, { loseAtSubmit: 8 });
  await page.goto(process.env.LRP_URL + FIND);
  await page.waitForFunction(() => window.__lrp?.find?.done, null, { timeout: 60_000 });
  expect(await engineWorker(page).evaluate(() => [self.__devices.length > 0, self.__submits])).toEqual([true, 8]);
  const find = await page.evaluate(() => window.__lrp.find);
  expect(find.lrs.length).toBe(1000);
  expect(find.curves).toBe(2);
  await expect(page.getByTestId('find-error')).toBeHidden();
  await expect(page.getByTestId('find-counter')).toHaveText(/^done: 1000 batches over 2 seeds$/);
});

test('the GPU lost mid-landscape: the grid is evaluated on the CPU, with the values the GPU gives', async ({ page }) => {
  test.setTimeout(240_000);
  const LANDSCAPE = `${process.env.LRP_URL}#demo=surfaces&preset=landscape&backend=gpu`;
  const drawn = async () => {
    await page.waitForFunction(() => window.__lrp?.surfaces?.network?.drawn, null, { timeout: 100_000 });
    return page.evaluate(() => window.__lrp.surfaces.network.drawn);
  };
  await page.goto(LANDSCAPE);
  const onGpu = await drawn();
  await recordDevices(page, { loseAtEvaluate: true });
  await page.goto('about:blank');
  await page.goto(LANDSCAPE);
  const lost = await drawn();
  // The device went with the landscape's first evaluation, after training had used it.
  const [devices, lostAt] = await engineWorker(page).evaluate(() => [self.__devices.length, self.__lostAtEvaluate]);
  expect(devices).toBeGreaterThan(0);
  expect(lostAt).toBeGreaterThan(1);
  // Same training, same directions: the CPU's grid matches the GPU's.
  expect(lost.steps).toBe(300);
  expect(lost.grid).toBe(onGpu.grid);
  expect(Math.abs(lost.centerLoss - onGpu.centerLoss)).toBeLessThan(1e-4 * Math.max(1, onGpu.centerLoss));
  expect(lost.explained[0]).toBeCloseTo(onGpu.explained[0], 3);
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
});

for (const [how, end] of [
  ['closes itself without a word', () => self.close()],
  ['throws outside any call (a crash)', () => setTimeout(() => {
    throw new Error('boom');
  })],
]) {
  test(`the engine worker ${how} mid-run: it is replaced, the demo is set up again from the link, with a notice`, async ({ page, errors }) => {
    await openTrain(page, TRAIN.replace('trainsteps=96', 'trainsteps=100000'));
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => window.__lrp.train.steps >= 16);
    const before = new URL(page.url()).hash;
    await engineWorker(page).evaluate(end);
    await expect(page.getByTestId('state-notice')).toContainText(/The engine stopped \(engine worker failed: .+\) and was restarted/);
    // A new mount from the same link: a fresh session, drawn, and training again on request.
    await page.waitForFunction(() => window.__lrp.train.renders >= 1 && window.__lrp.train.steps === 0);
    expect(new URL(page.url()).hash).toBe(before);
    await page.getByTestId('train-trainsteps').fill('32');
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('train-counter')).toHaveText('step 32 of 32 (done)', { timeout: 30_000 });
    // The crash's own report is the one error expected.
    expect(errors.splice(0).every((e) => /boom|engine/.test(e))).toBe(true);
  });
}

test('the tab hidden and shown mid-training: the run goes on consistently, one loss per step', async ({ page, context }) => {
  await openTrain(page);
  await page.getByTestId('train-start').click();
  await page.waitForFunction(() => window.__lrp.train.steps >= 16);
  const other = await context.newPage();
  await other.bringToFront();
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForTimeout(500);
  await page.bringToFront();
  await page.evaluate(() => {
    delete document.visibilityState;
    delete document.hidden;
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await other.close();
  await expect(page.getByTestId('train-counter')).toHaveText('step 96 of 96 (done)', { timeout: 60_000 });
  const { steps, losses } = await trained(page);
  expect(steps).toBe(96);
  expect(losses.map((l) => l.length)).toEqual([96, 96]);
  expect(losses[0].every(Number.isFinite)).toBe(true);
});

test('the largest network and batch a link can ask for: refused by name or trained, never a dead tab', async ({ page }) => {
  const runs = Array.from({ length: 8 }, (_, i) => ({ seed: i, schedule: { kind: 'Constant', lr: 0.01 } }));
  const hidden = Array(7).fill(1024).join('-');
  await page.goto(`${process.env.LRP_URL}#demo=train&data=spiral&points=100000&hidden=${hidden}&batch=4096&trainsteps=100000&runs=${b64(runs)}`);
  // The engine names the setting at fault next to its control; the page stays responsive.
  await expect(page.locator('[role="alert"]:not([hidden])').first()).toContainText(/must|at most|more than/, { timeout: 30_000 });
  await expect(page.getByTestId('train-start')).toBeDisabled();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  // Back to a size that fits: it trains.
  await page.goto(process.env.LRP_URL + TRAIN);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 96 of 96 (done)', { timeout: 60_000 });
});
