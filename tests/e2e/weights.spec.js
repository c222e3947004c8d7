import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures.js';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const RUNS = [{ schedule: { kind: 'Constant', lr: 0.1 } }, { schedule: { kind: 'Constant', lr: 0.05 } }];
// 2-8-2 on 200 points, 64 steps: quick on SwiftShader and the CPU path alike.
const SMALL = `#demo=train&data=circle&noise=0&points=200&hidden=8&activation=relu&batch=16&trainsteps=64&runs=${b64(RUNS)}`;

/** Run 1's training loss as the page last reported it. */
const lossOfRun1 = (page) => page.evaluate(() => window.__lrp.train.report?.[0]?.train_loss);

test('Train downloads a run as safetensors for PyTorch and loads the file back into the run', async ({ page }) => {
  await page.goto(process.env.LRP_URL + SMALL);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-counter')).toHaveText('step 64 of 64 (done)', { timeout: 20_000 });
  const trainedLoss = await lossOfRun1(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('train-weights-download').click()]);
  expect(download.suggestedFilename()).toBe('lr-playground-run-1.safetensors');
  const file = await download.path();
  const bytes = await readFile(file);
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
  expect(header['0.weight']).toMatchObject({ dtype: 'F32', shape: [8, 2] });
  expect(header['2.weight']).toMatchObject({ dtype: 'F32', shape: [2, 8] });
  await page.getByTestId('train-weights').locator('summary').click();
  await expect(page.getByTestId('train-weights').locator('code')).toContainText(
    'model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))\nmodel.load_state_dict(safetensors.torch.load_file("lr-playground-run-1.safetensors"))',
  );

  // A fresh session starts from the initial weights; the file puts the trained ones back.
  await page.getByTestId('train-reset').click();
  await expect.poll(() => lossOfRun1(page)).not.toBe(trainedLoss);
  await page.getByTestId('train-weights-file').setInputFiles(file);
  await expect.poll(() => lossOfRun1(page)).toBe(trainedLoss);

  // A file that is not safetensors is refused in words, and the run keeps its weights.
  await page.getByTestId('train-weights-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not weights') });
  await expect(page.getByTestId('train-error')).toContainText('notes.txt does not fit run 1: it is not a safetensors file');
  expect(await lossOfRun1(page)).toBe(trainedLoss);
});

test('Layers downloads the fine-tuned run and loads the file back into it', async ({ page }) => {
  test.setTimeout(120_000);
  // Seed 1's fine-tuned network, and where the others (runs 2, 4, ...) are.
  const fineTuned = () => page.evaluate(() => window.__lrp.layers.report?.[0]?.validation_loss);
  const otherSeeds = () => page.evaluate(() => window.__lrp.layers.report.filter((_, r) => r > 0 && r % 2 === 0).map((run) => run.validation_loss));
  await page.goto(`${process.env.LRP_URL}#demo=layers&epochs=2`);
  await page.waitForFunction(() => window.__lrp?.layers?.pretraining?.done && window.__lrp.layers.steps === 0 && window.__lrp.layers.report, null, { timeout: 90_000 });
  await page.getByTestId('layers-play').click();
  await expect(page.getByTestId('layers-counter')).toHaveText(/\(done\)$/, { timeout: 60_000 });
  const trained = await fineTuned();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('layers-weights-download').click()]);
  const file = await download.path();
  const bytes = await readFile(file);
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
  // 2-32-32-32-3: the head is layer 6 of nn.Sequential(Linear, ReLU, Linear, ReLU, Linear, ReLU, Linear).
  expect(header['0.weight']).toMatchObject({ dtype: 'F32', shape: [32, 2] });
  expect(header['6.weight']).toMatchObject({ dtype: 'F32', shape: [3, 32] });

  // Reset starts again from the pretrained body; the file puts the fine-tuned weights back.
  await page.getByTestId('layers-reset').click();
  await page.waitForFunction((loss) => window.__lrp.layers.steps === 0 && window.__lrp.layers.report?.[0]?.validation_loss !== loss, trained, { timeout: 60_000 });
  await page.getByTestId('layers-weights-file').setInputFiles(file);
  await expect.poll(fineTuned, { timeout: 30_000 }).toBe(trained);
  // The file went into every fine-tuning run: each seed's network is now the one saved.
  expect(new Set(await otherSeeds())).toEqual(new Set([trained]));

  // Weights of another shape are refused in words, and the run keeps its own.
  await page.getByTestId('layers-weights-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not weights') });
  await expect(page.getByTestId('layers-error')).toContainText('notes.txt');
  expect(await fineTuned()).toBe(trained);
});
