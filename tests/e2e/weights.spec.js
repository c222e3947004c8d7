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
