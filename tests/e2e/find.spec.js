import { expect, openEmbed, test } from './fixtures.js';

// Small enough for SwiftShader: a 2-8-2 network, 2 seeds, 60 batches.
const SMALL = 'data=circle&hidden=8&batch=16&seeds=2&iters=60';

/** Opens the page at `suffix` and waits until the Find demo has drawn a finished range test. */
async function openFind(page, suffix = `#demo=find&${SMALL}`) {
  await page.goto(process.env.LRP_URL + suffix);
  await page.waitForFunction(() => window.__lrp?.find?.done);
}

const shown = (page) => page.evaluate(() => window.__lrp.find);

test('the Find tab runs a range test on every seed and marks each suggestion at its rate', async ({ page }) => {
  await openFind(page);
  const find = await shown(page);
  expect(find.lrs.length).toBeGreaterThan(10);
  expect(find.curves).toBe(2);
  expect(find.band).toBe(true);
  await expect(page.getByTestId('find-counter')).toHaveText(/^done: \d+(–\d+)? batches over 2 seeds$/);
  await expect(page.getByTestId('finder-plot').locator('canvas')).toBeVisible();
  // A marker per suggestion with a rate, and its value in the table.
  const rated = Object.entries(find.suggestions).filter(([, s]) => Number.isFinite(s.lr));
  expect(rated.length).toBeGreaterThan(0);
  expect(Object.keys(find.markers).sort()).toEqual(rated.map(([name]) => name).sort());
  for (const [name] of rated) await expect(page.getByTestId(`suggestion-${name}`)).toHaveText(/^\d[\d.]*(e-\d+)?$/);
  // Two seeds: each suggestion's spread across them.
  await expect(page.getByTestId(`spread-${rated[0][0]}`)).toHaveText(/\d/);
  // fastai's rates never reach end_lr: lr_i = start * (end / start)^(i / num_it).
  expect(find.lrs[1] / find.lrs[0]).toBeCloseTo((10 / 1e-7) ** (1 / 60), 9);
});

test('switching the convention reruns the test with that library\'s fields', async ({ page }) => {
  await openFind(page);
  await expect(page.getByTestId('find-smooth_f')).toHaveCount(0);
  await page.getByTestId('find-convention').selectOption('torch_lr_finder');
  await expect(page.getByTestId('find-smooth_f')).toBeVisible();
  await expect(page.getByTestId('find-diverge_th')).toBeVisible();
  await expect(page.getByTestId('find-stop_div')).toHaveCount(0);
  // torch-lr-finder reaches end_lr: lr_i = start * (end / start)^(i / (num_it - 1)).
  await page.waitForFunction(() => {
    const { done, lrs } = window.__lrp.find;
    return done && Math.abs(lrs[1] / lrs[0] - (10 / 1e-7) ** (1 / 59)) < 1e-9;
  });
  expect(new URL(page.url()).hash).toContain('convention=torch_lr_finder');
});

test('a bad field shows its message under its control, a finder field or a network one', async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=find&${SMALL.replace('iters=60', 'iters=1')}`);
  await expect(page.getByTestId('find-num_it-error')).toContainText('num_it');
  await page.getByTestId('find-num_it').fill('40');
  await page.waitForFunction(() => window.__lrp?.find?.done);
  await expect(page.getByTestId('find-num_it-error')).toBeHidden();
  await page.getByTestId('find-batch').fill('0');
  await expect(page.getByTestId('find-batch-error')).toContainText('batch_size');
});

test('?embed=find puts the plot first in a 700 × 500 frame, the settings folded away', async ({ page }) => {
  await openEmbed(page, () => openFind(page, `?embed=find#${SMALL}`));
  await expect(page.getByTestId('finder-plot').locator('canvas')).toBeInViewport({ ratio: 1 });
  const top = async (testid) => (await page.getByTestId(testid).boundingBox()).y;
  expect(await top('finder-plot')).toBeLessThan(await top('find-run'));
  await expect(page.getByTestId('find-settings')).not.toHaveAttribute('open');
  await expect(page.getByTestId('find-num_it')).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
  // Handing a rate on leaves the frame: the link opens the full page.
  await expect(page.getByTestId('use-in-train')).toHaveAttribute('target', '_blank');
});

test('a pasted curve gets the same suggestions, drawn on the plot; bad lines are reported', async ({ page }) => {
  await openFind(page);
  // A dip between 1e-4 and 1e-2, then a blow-up: 60 points over eight decades.
  const lines = Array.from({ length: 60 }, (_, i) => {
    const lr = 1e-7 * 10 ** (i / 7.5);
    const x = Math.log10(lr);
    return `${lr},${(2 - 1.5 / (1 + Math.exp(-3 * (x + 4))) + (x > -1.5 ? 3 * (x + 1.5) ** 2 : 0)).toFixed(6)}`;
  });
  await page.getByTestId('paste').locator('summary').click();
  await page.getByTestId('paste-text').fill(['lr,loss', ...lines.slice(0, 30), 'oops,1', ...lines.slice(30)].join('\n'));
  await page.getByTestId('paste-run').click();
  await page.waitForFunction(() => window.__lrp.find.pasted);
  await expect(page.getByTestId('paste-error')).toHaveText('Left out line 32: not a number');
  await expect(page.getByTestId('find-counter')).toHaveText('your curve');
  const find = await shown(page);
  expect(find.lrs).toHaveLength(60);
  expect(find.curves).toBe(1);
  expect(Number.isFinite(find.suggestions.valley.lr)).toBe(true);
  expect(Object.keys(find.markers)).toContain('valley');
  await expect(page.getByTestId('suggestion-valley')).not.toHaveText('');
});

test('"use this rate" opens Train with a one-cycle run up to the chosen rate, and links Schedules to it', async ({ page }) => {
  await openFind(page);
  const { suggestions } = await shown(page);
  const [pick] = ['valley', 'slide', 'minimum', 'steep', 'steepest'].filter((m) => Number.isFinite(suggestions[m].lr));
  await page.getByTestId(`pick-${pick}`).check();
  const schedulesLink = new URL(await page.getByTestId('use-in-schedules').getAttribute('href'));
  const schedules = JSON.parse(Buffer.from(new URLSearchParams(schedulesLink.hash.slice(1)).get('schedules'), 'base64url').toString());
  expect(schedules).toEqual([{ kind: 'OneCycleLR', max_lr: suggestions[pick].lr, total_steps: 1000 }]);
  await page.getByTestId('use-in-train').click();
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await expect(page.getByTestId('tab-train')).toHaveAttribute('aria-selected', 'true');
  const runs = JSON.parse(Buffer.from(new URLSearchParams(new URL(page.url()).hash.slice(1)).get('runs'), 'base64url').toString());
  expect(runs[0].schedule).toMatchObject({ kind: 'OneCycleLR', max_lr: suggestions[pick].lr });
  await expect(page.getByTestId('train-hidden')).toHaveValue('8');
});

test('Cancel stops a long test where it is; the next one starts without waiting for it', async ({ page }) => {
  // 100,000 batches (the most a test takes): 20,000 ended before Cancel could be pressed once the CPU path got faster.
  await openFind(page);
  await page.getByTestId('find-num_it').fill('100000');
  await page.getByTestId('find-stop_div').uncheck();
  // Pressed from inside the page at the first frame that shows a batch: a click sent from here
  // may arrive after the test has ended.
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const press = () => {
          const cancel = document.querySelector('[data-testid="find-cancel"]');
          if (window.__lrp.find.running && window.__lrp.find.lrs.length > 0 && !cancel.hidden) resolve(cancel.click());
          else requestAnimationFrame(press);
        };
        press();
      }),
  );
  await expect(page.getByTestId('find-counter')).toHaveText(/^cancelled after \d+ batches$/);
  await expect(page.getByTestId('find-cancel')).toBeHidden();
  await page.getByTestId('find-num_it').fill('40');
  await page.getByTestId('find-stop_div').check();
  await page.waitForFunction(() => window.__lrp.find.done && window.__lrp.find.lrs.length <= 40);
});

test('"Check by training" trains at 12 rates around the pick and marks each validation loss on the plot', async ({ page }) => {
  await openFind(page);
  const { suggestions } = await shown(page);
  const pick = suggestions.valley;
  expect(Number.isFinite(pick.lr)).toBe(true);
  await page.getByTestId('find-check').click();
  await page.waitForFunction(() => window.__lrp.find.check.length === 12);
  const { check } = await shown(page);
  // Two decades around the suggestion, the suggestion itself among them.
  expect(check.map((c) => c.lr)).toContain(pick.lr);
  expect(Math.log10(check.at(-1).lr / check[0].lr)).toBeCloseTo(2, 9);
  const box = await page.getByTestId('finder-plot').locator('canvas').boundingBox();
  for (const { x, y } of check) {
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(box.width);
    expect(y).toBeGreaterThanOrEqual(0);
    expect(y).toBeLessThanOrEqual(box.height);
  }
  expect(check.filter((c) => c.best).length).toBe(check.every((c) => c.diverged) ? 0 : 1);
  await expect(page.getByTestId('find-check-text')).toHaveText(/^(After 60 steps of one-cycle, .* does best|All 12 rates diverged)/);
  // Every seed of the test trained the rates: the losses are medians, and the text says how sure.
  await expect(page.getByTestId('find-check-text')).toHaveText(/(Medians over 2 seeds; that rate did best (on every seed|on 1 of 2 seeds)\.|diverged within 60 steps of one-cycle\.)$/);
  await expect(page.getByTestId('find-check')).toBeEnabled();
  // A new range test drops the check.
  await page.getByTestId('find-run').click();
  await page.waitForFunction(() => window.__lrp.find.done && window.__lrp.find.check.length === 0);
  await expect(page.getByTestId('find-check-text')).toBeHidden();
});
