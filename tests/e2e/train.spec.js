import { canvasText, recordCanvasText } from './canvas-text.js';
import { expect, openEmbed, test, withoutWebGpu } from './fixtures.js';
import { expectRangeInWords } from './range-words.js';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

// Small enough for SwiftShader: 64 steps of a 2-8-2 network on 200 points. Run 2's rate is absurd.
const RUNS = [
  { schedule: { kind: 'Constant', lr: 0.1 } },
  { schedule: { kind: 'Constant', lr: 90 } },
  { schedule: { kind: 'OneCycleLR', max_lr: 0.3, total_steps: 64 } },
];
const SMALL = `data=circle&noise=0&points=200&hidden=8&activation=relu&batch=16&trainsteps=64&runs=${b64(RUNS)}`;

/** Opens the page at `suffix` and waits until the Train demo has drawn its first session. */
async function openTrain(page, suffix = `#demo=train&${SMALL}`) {
  await page.goto(process.env.LRP_URL + suffix);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
}

/** Presses Start and waits until the run stops at its step budget. */
async function trainToEnd(page) {
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-counter')).toHaveText(/^step (\d+) of \1 \(done\)$/, { timeout: 20_000 });
}

function trained(page) {
  return page.evaluate(() => {
    const { steps, losses, report, backend } = window.__lrp.train;
    return { steps, losses: losses.map((l) => Array.from(l)), report, backend };
  });
}

// Pixels of the heatmap that differ from its first one: zero for a blank (or one-colour) canvas.
function heatmapVariety(page) {
  return page.getByTestId('heatmap').evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let differing = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 2] !== data[2] || data[i + 3] === 0) differing += 1;
    return differing;
  });
}

test('on a phone the plots come right after the buttons that drive them, and the page is no wider than the screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openTrain(page);
  await expect(page.getByTestId('loss-plot').locator('canvas')).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const top = async (testid) => (await page.getByTestId(testid).boundingBox()).y;
  expect(await top('train-start')).toBeLessThan(await top('loss-plot'));
  expect(await top('run-table')).toBeLessThan(await top('train-batch'));
});

test('the Train tab trains: losses fall, the heatmap is drawn, an absurd rate diverges alone', async ({ page }) => {
  // Away to the Schedules tab and back: the link shows one demo's keys, the page keeps both states.
  await openTrain(page);
  await page.getByTestId('tab-schedules').click();
  await page.waitForFunction(() => window.__lrp?.schedules?.renders >= 1);
  expect(new URL(page.url()).hash).not.toContain('trainsteps');
  await page.getByTestId('tab-train').click();
  await expect(page.getByTestId('train-trainsteps')).toHaveValue('64');
  expect(new URL(page.url()).hash).toContain('trainsteps=64');
  await trainToEnd(page);

  const { steps, losses, report } = await trained(page);
  expect(steps).toBe(64);
  expect(losses.map((l) => l.length)).toEqual([64, 64, 64]);
  expect(losses[0].at(-1)).toBeLessThan(losses[0][0]);
  expect(losses[2].at(-1)).toBeLessThan(losses[2][0]);
  expect(report[1].state).toBe('diverged');
  await expect(page.getByTestId('run-status-1')).toHaveText(`diverged at step ${report[1].diverged_at}`);
  await expect(page.getByTestId('run-status-1')).toHaveAttribute('data-state', 'diverged');
  // The others trained on after run 2 blew up, and finished at the budget.
  for (const run of [0, 2]) {
    await expect(page.getByTestId(`run-status-${run}`)).toHaveText('finished');
    expect(report[run].state).not.toBe('diverged');
    expect(losses[run].every(Number.isFinite)).toBe(true);
    await expect(page.getByTestId(`run-status-${run}`)).not.toHaveText(/diverged/);
  }
  await expect(page.getByTestId('run-table')).toContainText('%');
  // A single seed's result is not passed off as a finding: the page says what it can and cannot tell.
  await expect(page.getByTestId('findings')).toContainText('One seed per run: a single run cannot tell a difference from luck.');
  await expect(page.getByTestId('findings-list').locator('li').first()).toHaveText(/^Too few seeds to tell \(1 seed\): /);
  await expect(page.getByTestId('layer-table').locator('tbody tr')).toHaveCount(2);
  expect(await heatmapVariety(page)).toBeGreaterThan(100);
  await expect(page.getByTestId('loss-plot').locator('canvas')).toBeVisible();
});

test('without WebGPU the CPU path trains', () =>
  withoutWebGpu(async (page) => {
    await openTrain(page);
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
    await expect(page.getByTestId('lose-gpu')).toBeHidden();
    await trainToEnd(page);
    const { losses, backend } = await trained(page);
    expect(backend.backend).toBe('cpu');
    expect(losses[0].at(-1)).toBeLessThan(losses[0][0]);
  }));

test('"auto" times both paths: the badge says where training runs and why, with both figures, to mouse, keyboard and screen reader', async ({ page }) => {
  await openTrain(page);
  const badge = page.getByTestId('backend-badge');
  await expect(badge).toHaveAttribute('title', / run-steps\/s measured against .+ on (WebGPU|the CPU path)/);
  const { backend } = await trained(page);
  expect(await badge.getAttribute('title')).toBe(backend.reason);
  await expect(badge).toHaveAttribute('data-backend', backend.backend);
  await expect(badge).toHaveText(backend.backend === 'webgpu' ? /^WebGPU · \S/ : 'CPU path');
  await expect(badge).toHaveAccessibleDescription(backend.reason);
  await badge.focus();
  await expect(badge).toBeFocused();
});

test('a link can insist on the CPU path, and the badge says it was asked for', async ({ page }) => {
  await openTrain(page, `#demo=train&${SMALL}&backend=cpu`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('title', 'Asked for the CPU path');
  await expect(page.getByTestId('backend-badge')).toHaveText('CPU path');
  expect(new URL(page.url()).hash).toContain('backend=cpu');
});

test('a session\'s backend stays on the badge when the engine says later what it could use', async ({ page }) => {
  // The engine worker as served, with its WebGPU device granted 1.5 s late: the page's question
  // "what could you use?" is then answered after the "cpu" session has said where it trains. Right
  // after that answer the worker posts a marker; messages arrive in order, so once the page has
  // seen the marker it has handled the answer.
  await page.route('**/assets/engine-worker-*.js', async (route) => {
    const response = await route.fetch();
    const patch = `if (self.GPUAdapter) {
  let granted = false;
  const request = GPUAdapter.prototype.requestDevice;
  GPUAdapter.prototype.requestDevice = async function (...args) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const device = await request.apply(this, args);
    granted = true;
    return device;
  };
  const post = self.postMessage.bind(self);
  self.postMessage = (message, ...rest) => {
    post(message, ...rest);
    if (granted && typeof message?.result?.backend === 'string') post({ marker: 'detected' });
  };
}
`;
    await route.fulfill({ response, body: patch + (await response.text()) });
  });
  await page.addInitScript(() => {
    window.Worker = class extends window.Worker {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', ({ data }) => {
          if (data?.marker === 'detected') window.__detected = true;
        });
      }
    };
  });
  await openTrain(page, `#demo=train&${SMALL}&backend=cpu`);
  await page.waitForFunction(() => window.__detected === true);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('title', 'Asked for the CPU path');
  await expect(page.getByTestId('backend-badge')).toHaveText('CPU path');
});

test('losing the GPU moves training to the CPU path, badge and notice say so, and training goes on', async ({ page }) => {
  // WebGPU by name: under "auto" the CPU path may be the faster one here.
  await openTrain(page, `#demo=train&${SMALL}&backend=gpu`);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  // A test hook, not a button: the page offers no way to lose the GPU.
  await expect(page.getByRole('button', { name: /lose the gpu/i })).toHaveCount(0);
  await page.evaluate(() => window.__lrp.train.loseDevice());
  await trainToEnd(page);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-badge')).toHaveText('CPU fallback');
  await expect(page.getByTestId('state-notice')).toContainText('Training moved to the CPU path');
  await expect(page.getByTestId('lose-gpu')).toBeHidden();
  const { losses, backend } = await trained(page);
  expect(backend).toMatchObject({ backend: 'cpu', fallback: expect.any(String) });
  expect(losses[0].at(-1)).toBeLessThan(losses[0][0]);
});

test('a bad setting shows the engine message next to its control (by error.field), and recovers', async ({ page }) => {
  await openTrain(page);
  const batchError = page.getByTestId('train-batch-error');
  await page.getByTestId('train-batch').fill('0');
  // In the page's words: the control's name, no option path.
  await expect(batchError).toHaveText(/^batch: must be an integer in \[1, \d+\], got 0$/);
  // No session: nothing to start or reset; the settings stay open to fix it.
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-reset')).toBeDisabled();
  await expect(page.getByTestId('train-batch')).toBeEditable();
  await page.getByTestId('train-batch').fill('16');
  await expect(batchError).toBeHidden();

  // A run's schedule: the message goes under that field of that run's editor.
  const maxLrError = page.getByTestId('field-2-max_lr-error');
  await page.getByTestId('field-2-max_lr').fill('0');
  await expect(maxLrError).toContainText(/\bmax_lr\b.*: must be/);
  await page.getByTestId('field-2-max_lr').fill('0.3');
  await expect(maxLrError).toBeHidden();
  await expect(page.getByTestId('train-start')).toBeEnabled();
});

test("a link's out-of-range setting is left to the engine, whose message shows next to its control", async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=train&noise=2&${SMALL}`);
  const noiseError = page.getByTestId('train-noise-error');
  await expect(noiseError).toHaveText(/^noise: must be a finite number in \[0, 1\], got 2$/);
  await expect(page.getByTestId('state-notice')).toBeHidden();
  await page.getByTestId('train-noise').fill('0.1');
  await expect(noiseError).toBeHidden();
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);

  // The optimizer's controls are the engine's fields, with its defaults.
  await page.getByTestId('train-optimizer-kind').selectOption('adamw');
  await expect(page.getByTestId('train-optimizer-weight_decay')).toHaveValue('0.01');
  await expect(page.getByTestId('train-optimizer-betas')).toHaveValue('0.9, 0.999');
});

test('?embed=train shows the demo alone: plots first, and the buttons in view in a 700 × 500 frame', async ({ page }) => {
  await openEmbed(page, () => openTrain(page, `?embed=train#${SMALL}`));
  for (const testid of ['loss-plot', 'heatmap', 'train-start']) await expect(page.getByTestId(testid)).toBeInViewport({ ratio: 1 });
  const top = async (testid) => (await page.getByTestId(testid).boundingBox()).y;
  expect(await top('heatmap')).toBeLessThan(await top('train-start'));
  expect(await top('train-start')).toBeLessThan(await top('train-batch'));
  await expect(page.getByTestId('run-table')).toBeVisible();
  expect(await heatmapVariety(page)).toBeGreaterThan(0);
  expect(await page.getByTestId('open-full').getAttribute('href')).toMatch(/#demo=train&/);
});

test('Start, Step and Reset wait for a session: disabled while the engine loads', async ({ page }) => {
  // Hold the wasm back: the demo is shown, its engine not ready.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${process.env.LRP_URL}#demo=train&${SMALL}`);
  await expect(page.getByTestId('train-counter')).toBeAttached();
  for (const button of ['train-start', 'train-step', 'train-reset']) await expect(page.getByTestId(button)).toBeDisabled();
  release();
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  for (const button of ['train-start', 'train-step', 'train-reset']) await expect(page.getByTestId(button)).toBeEnabled();
});

test('an engine worker that cannot load: the demo says so, and Try again starts it', async ({ page, errors }) => {
  // Every engine worker fails to load until the network is back.
  let offline = true;
  await page.route('**/assets/engine-worker-*.js', (route) => (offline ? route.abort() : route.continue()));
  await page.goto(`${process.env.LRP_URL}#demo=train&${SMALL}&backend=gpu`);
  const notice = page.getByTestId('train-error');
  await expect(notice).toContainText('The engine could not start: engine worker failed');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'error');
  await expect(page.getByTestId('train-start')).toBeDisabled();

  offline = false;
  await page.getByTestId('train-error-retry').click();
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await expect(notice).toBeHidden();
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  await trainToEnd(page);
  // The refused script requests are the console errors expected.
  expect(errors.splice(0).every((e) => e.startsWith('console: Failed to load resource'))).toBe(true);
});

test('the loss plot grows by appending: the same arrays from step to step, anew for a new session', async ({ page }) => {
  await openTrain(page);
  // The loss panel's columns span the budget; the steps trained so far are filled in.
  const plottedAt = (steps) =>
    page.waitForFunction((n) => window.__lrp.train.steps === n && window.__lrp.train.plotted.arms[0].latest.step === n, steps);
  await page.getByTestId('train-step').click();
  await plottedAt(16);
  await page.evaluate(() => (window.__firstPlotted = window.__lrp.train.plotted.arms.map((arm) => arm.raw)));
  await page.getByTestId('train-step').click();
  await plottedAt(32);
  const grown = await page.evaluate(() => {
    const { plotted, losses } = window.__lrp.train;
    const kept = plotted.arms.every((arm, i) => arm.raw === window.__firstPlotted[i]);
    // Run 1 (a sane rate) has a finite, positive loss at every step: each is plotted as it came.
    return { kept, same: plotted.arms[0].raw.slice(0, 32).every((v, t) => v === losses[0][t]) };
  });
  expect(grown).toEqual({ kept: true, same: true });

  await page.getByTestId('train-reset').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 0 of 64');
  await plottedAt(0);
  expect(await page.evaluate(() => window.__lrp.train.plotted.arms[0].raw !== window.__firstPlotted[0])).toBe(true);
});


test('runs are ready before Start and after Reset, training once stepped, and finished or diverged at the end', async ({ page }) => {
  await openTrain(page);
  const statuses = page.getByTestId('run-table').locator('td[data-testid^="run-status-"]');
  await expect(statuses).toHaveText(['ready', 'ready', 'ready']);
  expect(await page.evaluate(() => window.__lrp.train.states.map((s) => s.state))).toEqual(['ready', 'ready', 'ready']);
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('run-status-0')).toHaveText('training');
  await expect(page.getByTestId('run-status-0')).toHaveAttribute('data-state', 'training');
  await trainToEnd(page);
  await expect(page.getByTestId('run-status-0')).toHaveText('finished');
  await expect(page.getByTestId('run-status-1')).toHaveText(/^diverged at step \d+$/);
  await page.getByTestId('train-reset').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 0 of 64');
  await expect(statuses).toHaveText(['ready', 'ready', 'ready']);
  await expect(page.getByTestId('run-status-0')).toHaveAttribute('data-state', 'ready');
});

test("before Start the rate track already shows every run's schedule; the legend shows values without hovering", async ({ page }) => {
  await openTrain(page);
  await expect(page.getByTestId('rate-track').locator('canvas')).toBeVisible();
  const rates = await page.evaluate(() => window.__lrp.train.plotted.arms.map((arm) => arm.rate.slice(0, 3)));
  // Constant 0.1, constant 90, and OneCycleLR warming up from 0.3 / 25.
  expect(rates[0]).toEqual([0.1, 0.1, 0.1]);
  expect(rates[1]).toEqual([90, 90, 90]);
  expect(rates[2][0]).toBeCloseTo(0.012, 6);
  await expect(page.getByTestId('loss-legend')).toContainText('constant 0.1');
  await trainToEnd(page);
  const legend = page.getByTestId('loss-legend').locator('tbody tr').first();
  await expect(legend.locator('td').nth(1)).toHaveText(/^\d/);
  await expect(legend.locator('td').nth(2)).toHaveText(/^\d/);
});

test('several seeds per run: median and band, and what happened in words once trained', async ({ page }) => {
  await openTrain(page, `#demo=train&${SMALL}&seeds=3`);
  await expect(page.getByTestId('findings')).toContainText('Train to the end to see what happened.');
  await trainToEnd(page);
  const { losses } = await trained(page);
  expect(losses).toHaveLength(9);
  const items = page.getByTestId('findings-list').locator('li');
  await expect(items).toHaveCount(2);
  await expect(items.first()).toHaveText(/^(Too few seeds to tell \(3 seeds\)|No difference|[A-Z]).* in \d of 3 seeds \(median .*\)\.$/);
  await expect(page.getByTestId('run-status-1')).toHaveText(/^diverged in all 3 seeds \(median step \d+\)$/);
});

test('a preset link sets up its experiment and says what to look for', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=train&preset=four-rates`);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await expect(page.getByTestId('preset-look')).toContainText('very high');
  await expect(page.getByTestId('train-seeds')).toHaveValue('8');
  await expect(page.getByTestId('run-table').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('preset-four-rates')).toHaveAttribute('aria-current', 'true');
  expect(new URL(page.url()).hash).toContain('preset=four-rates');
  // A change makes it the reader's own set-up.
  await page.getByTestId('train-trainsteps').fill('100');
  await expect(page.getByTestId('preset-look')).toBeHidden();
  expect(new URL(page.url()).hash).toContain('preset=none');
});

test('mid-run, a schedule edit takes effect at the next step; other edits ask for a restart', async ({ page }) => {
  await openTrain(page);
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 16 of 64');
  await page.getByTestId('field-0-lr').fill('0.05');
  await expect(page.getByTestId('state-notice')).toContainText('Run 1 follows its new schedule from step 16 on');
  await expect(page.getByTestId('train-counter')).toHaveText('step 16 of 64');
  await expect.poll(() => page.evaluate(() => window.__lrp.train.plotted.arms[0].rate.slice(15, 17))).toEqual([0.1, 0.05]);
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 32 of 64');
  // A refused schedule mid-run: the engine's words under its field, and training goes on as it was.
  await page.getByTestId('field-0-lr').fill('-1');
  await expect(page.getByTestId('field-0-lr-error')).toHaveText(/^run 1's lr: must be/);
  await page.getByTestId('field-0-lr').fill('0.05');
  await expect(page.getByTestId('field-0-lr-error')).toBeHidden();

  // The batch size needs a new session: nothing restarts until the reader says so.
  await page.getByTestId('train-batch').fill('8');
  await expect(page.getByTestId('train-pending')).toBeVisible();
  await expect(page.getByTestId('train-counter')).toHaveText('step 32 of 64');
  await page.getByTestId('train-restart').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 0 of 64');
  await expect(page.getByTestId('train-pending')).toBeHidden();
});

test('two bad settings both show, in words, and the run table keeps its runs', async ({ page }) => {
  await openTrain(page);
  await trainToEnd(page);
  await page.getByTestId('train-noise').fill('2');
  await page.getByTestId('train-restart').click();
  await expect(page.getByTestId('train-noise-error')).toHaveText(/^noise: must be/);
  await page.getByTestId('field-2-max_lr').fill('0');
  await expect(page.getByTestId('train-noise-error')).toHaveText(/^noise: must be/);
  await expect(page.getByTestId('field-2-max_lr-error')).toHaveText(/^run 3's max_lr: must be/);
  for (const id of ['train-noise-error', 'field-2-max_lr-error']) await expect(page.getByTestId(id)).not.toContainText(/runs\[|data\./);
  await expect(page.getByTestId('run-table').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('run-table')).toContainText('%');
});

test('a ReduceLROnPlateau run shows its rate, best loss, patience and cooldown as training feeds it', async ({ page }) => {
  const runs = [
    { schedule: { kind: 'Constant', lr: 0.1 } },
    { eval_every: 8, schedule: { kind: 'ReduceLROnPlateau', lr: 0.2, factor: 0.5, patience: 1, cooldown: 2, threshold: 0.5 } },
  ];
  await openTrain(page, `#demo=train&data=circle&noise=0&points=200&hidden=8&batch=16&trainsteps=64&runs=${b64(runs)}`);
  await expect(page.getByTestId('plateau-run-0')).toHaveCount(0);
  await expect(page.getByTestId('run-1-eval-every')).toHaveValue('8');
  await trainToEnd(page);
  const { report } = await trained(page);
  // Eight evaluations: the first sets the best; with a threshold no loss meets, every second bad
  // one after a cooldown of two halves the rate.
  expect(report[0].plateau).toBeUndefined();
  expect(report[1].plateau).toMatchObject({ evaluations: 8, patience: 1, cooldown: 2, next_evaluation: 72 });
  expect(report[1].plateau.lr).toBeLessThan(0.2);
  await expect(page.getByTestId('plateau-panel')).toBeVisible();
  await expect(page.getByTestId('plateau-lr-1')).toHaveText(/^\d/);
  await expect(page.getByTestId('plateau-best-1')).toHaveText(/^\d/);
  await expect(page.getByTestId('plateau-patience-1')).toHaveAttribute('title', /of 1 evaluations without improvement|not cooling/);
});

for (const [name, size, prefix] of [
  ['at 1280 px', { width: 1280, height: 900 }, ''],
  ['at 390 px', { width: 390, height: 844 }, ''],
  ['in a 700 × 500 embed', { width: 700, height: 500 }, '?embed=train'],
]) {
  test(`the rate track is tall enough to read, with at least two labelled decades, ${name}`, async ({ page }) => {
    await recordCanvasText(page);
    await page.setViewportSize(size);
    // One-cycle ends at 0.3 / 25 / 1e4: six decades of rate on one track.
    await openTrain(page, `${prefix}#demo=train&preset=one-cycle`);
    const plotArea = await page.getByTestId('rate-track').locator('.u-over').boundingBox();
    expect(plotArea.height).toBeGreaterThanOrEqual(60);
    const labels = (await canvasText(page, 'rate-track')).map((t) => t.text);
    const decades = labels.filter((t) => /^(1e-\d+|0\.0*1|1|10)$/.test(t));
    expect(new Set(decades).size, labels.join(' ')).toBeGreaterThanOrEqual(2);
  });
}

test("a run's number fields say their range in words: tooltip and the browser's message", async ({ page }) => {
  await openTrain(page);
  await expectRangeInWords(page.getByTestId('run-0-seed'), { title: 'a whole number from 0 to 4,294,967,295', typed: '5000000000', message: 'seed: a whole number from 0 to 4,294,967,295' });
});
