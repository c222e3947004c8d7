import { expect, test, watchErrors } from './fixtures.js';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const RUNS = [{ schedule: { kind: 'Constant', lr: 0.1 } }, { schedule: { kind: 'OneCycleLR', max_lr: 0.3, total_steps: 64 } }];
const SMALL = `#demo=train&data=circle&noise=0&points=200&hidden=8&activation=relu&batch=16&trainsteps=64&runs=${b64(RUNS)}`;

// Three number columns and a text class that the first two decide: 150 rows, 30 held out.
const GOOD = ['width,height,depth,kind', ...Array.from({ length: 150 }, (_, i) => {
  const [x, y, z] = [Math.sin(i * 1.7) * 3, Math.cos(i * 2.3) * 2, (i % 7) - 3];
  return `${x.toFixed(3)},${y.toFixed(3)},${z},${x + y > 0 ? 'wide' : 'narrow'}`;
})].join('\n');
const BAD = 'width,height,kind\n1,2,wide\n3,tall,narrow\n';

async function openTrain(page, suffix = SMALL) {
  await page.goto(process.env.LRP_URL + suffix);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
}

/** Drops a file called `name` holding `text` on the own-data panel, as a file manager would. */
async function drop(page, name, text) {
  const dataTransfer = await page.evaluateHandle(([fileName, content]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], fileName, { type: 'text/csv' }));
    return transfer;
  }, [name, text]);
  await page.getByTestId('own-data').dispatchEvent('drop', { dataTransfer });
}

test('a CSV dropped on Train trains with a confusion matrix; a bad one is refused by line and column; a reload keeps it', async ({ page }) => {
  await openTrain(page);
  await drop(page, 'boxes.csv', GOOD);
  await expect(page.getByTestId('own-data-classes')).toContainText('narrow');
  await expect(page.getByTestId('own-data-preview')).toContainText('150 rows, 3 features, 2 classes');
  await page.getByTestId('own-data-use').click();
  await expect(page.getByTestId('own-data-status')).toHaveText('Training on boxes.csv: 150 rows, 3 features, 2 classes.');
  expect(new URL(page.url()).hash).toContain('own=1');

  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 64 of 64 (done)', { timeout: 20_000 });
  await expect(page.getByTestId('heatmap')).toBeHidden();
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toBeVisible();
  const cells = (await matrix.locator('tbody td').allTextContents()).map(Number);
  expect(cells.reduce((a, b) => a + b)).toBe(30);
  await expect(page.getByTestId('set-view')).toContainText(/of 30 right/);
  const before = await page.evaluate(() => ({ steps: window.__lrp.train.steps, report: window.__lrp.train.report, hash: location.hash }));
  expect(before.report[0].validation_accuracy).toBeGreaterThan(0.6);

  await drop(page, 'bad.csv', BAD);
  await expect(page.getByTestId('own-data-error')).toHaveText('bad.csv: Line 3, column 2 ("height"): "tall" is not a number; every column but the target must be numbers.');
  await expect(page.getByTestId('own-data-status')).toHaveText(/^Training on boxes.csv/);
  const after = await page.evaluate(() => ({ steps: window.__lrp.train.steps, report: window.__lrp.train.report, hash: location.hash }));
  expect(after).toEqual(before);

  await page.reload();
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await expect(page.getByTestId('own-data-status')).toHaveText('Training on boxes.csv: 150 rows, 3 features, 2 classes.');
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
});

test('a CSV with a numeric target trains as a regression, shown as predicted against actual', async ({ page }) => {
  const rows = Array.from({ length: 100 }, (_, i) => `${(i % 10) / 3},${Math.floor(i / 10)},${(i % 7) - 3},${(2 * (i % 10) + Math.floor(i / 10) + 0.5).toFixed(2)}`);
  await openTrain(page);
  await drop(page, 'prices.csv', ['a,b,c,price', ...rows].join('\n'));
  await expect(page.getByTestId('own-data-range')).toContainText('Target from 0.5 to 27.5');
  await page.getByTestId('own-data-use').click();
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('set-view')).toContainText('predicted (up) against actual (across)');
  await expect(page.getByTestId('set-canvas')).toBeVisible();
  await expect(page.getByTestId('confusion-matrix')).toHaveCount(0);
});

test('a CSV of two features keeps the decision-boundary map, captioned with the class names', async ({ page }) => {
  const rows = Array.from({ length: 80 }, (_, i) => `${Math.sin(i) * 2},${Math.cos(i * 1.3)},${Math.sin(i) > 0 ? 'yes' : 'no'}`);
  await openTrain(page);
  await drop(page, 'two.csv', ['x,y,answer', ...rows].join('\n'));
  await page.getByTestId('own-data-use').click();
  await page.getByTestId('train-step').click();
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expect(page.getByTestId('set-view')).toBeHidden();
  await expect(page.locator('figure', { has: page.getByTestId('heatmap') })).toContainText('probability of "yes"');
});

test('a link to own data opened on another machine says the data stays where it was made, and trains on the synthetic set', async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await openTrain(page, `${SMALL}&own=1`);
    await expect(page.getByTestId('own-data-status')).toContainText('stays on the machine that made it');
    await expect(page.getByTestId('heatmap')).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

// Six classes of blobs in three features: the first three pretrain, the last three fine-tune.
const ANIMALS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox'];
const BLOBS = ['u,v,w,kind', ...Array.from({ length: 360 }, (_, i) => {
  const c = i % 6;
  const wobble = Math.sin(i * 12.9898) * 0.4;
  return `${(Math.cos((c * Math.PI) / 3) * 3 + wobble).toFixed(3)},${(Math.sin((c * Math.PI) / 3) * 3 - wobble).toFixed(3)},${((i % 5) / 5).toFixed(1)},${ANIMALS[c]}`;
})].join('\n');

test('Layers takes a CSV: its classes split into task A and task B, a regression is refused with its preview, and a reload keeps it', async ({ page }) => {
  // Three pretrainings (the spiral, the CSV's task A, the spiral again) on a shared machine.
  test.setTimeout(180_000);
  await page.goto(`${process.env.LRP_URL}#demo=layers`);
  await page.waitForFunction(() => window.__lrp?.layers?.pretraining?.done, null, { timeout: 60_000 });
  await expect(page.getByTestId('own-data-purpose')).toContainText('your classes split in two');

  const prices = ['a,b,price', ...Array.from({ length: 60 }, (_, i) => `${i % 7},${i % 5},${(i * 1.37).toFixed(2)}`)].join('\n');
  await drop(page, 'prices.csv', prices);
  await expect(page.getByTestId('own-data-range')).toBeVisible();
  await expect(page.getByTestId('own-data-error')).toContainText('prices.csv: Layers needs classes to split into two tasks; the target "price" is a number to predict.');
  await expect(page.getByTestId('own-data-use')).toBeHidden();

  await drop(page, 'animals.csv', BLOBS);
  await expect(page.getByTestId('own-data-error')).toBeHidden();
  await expect(page.getByTestId('own-data-preview')).toContainText('360 rows, 3 features, 6 classes');
  await page.getByTestId('own-data-use').click();
  expect(new URL(page.url()).hash).toContain('own=1');
  await expect(page.getByTestId('layers-task')).toBeHidden();
  await expect(page.getByTestId('pretrain-text')).toContainText('Task A, your classes ant, bee, cat, 180 rows', { timeout: 60_000 });
  await expect(page.getByTestId('layer-0')).toContainText('3→32');
  await expect(page.getByTestId('layer-3')).toContainText('32→6');
  await page.getByTestId('layers-play').click();
  await expect(page.getByTestId('layers-counter')).toHaveText(/\(done\)$/, { timeout: 60_000 });
  await expect(page.getByTestId('layers-verdict')).toContainText('Task B (your classes dog, eel, fox, 75 rows)');

  await page.reload();
  await expect(page.getByTestId('own-data-status')).toHaveText('Training on animals.csv: 360 rows, 3 features, 6 classes.');
  await expect(page.getByTestId('pretrain-text')).toContainText('your classes ant, bee, cat', { timeout: 60_000 });

  // Back to the synthetic sets: the task picker's task pretrains again.
  await page.getByTestId('own-data-leave').click();
  await expect(page.getByTestId('layers-task')).toBeVisible();
  await expect(page.getByTestId('pretrain-text')).toContainText('8-arm spiral', { timeout: 60_000 });
});

test('a Layers link to own data opened on another machine says the data stays where it was made, and pretrains on the picked task', async ({ browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${process.env.LRP_URL}#demo=layers&own=1`);
    await expect(page.getByTestId('own-data-status')).toContainText('stays on the machine that made it');
    await expect(page.getByTestId('pretrain-text')).toContainText('8-arm spiral', { timeout: 60_000 });
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
