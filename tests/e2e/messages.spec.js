// Every demo's messages are for people: a link with values the engine (or the link's reader)
// refuses makes each demo say so, and no message names an internal option path ("data.noise",
// "runs[0].schedule.lr") or writes a number too long to read. Train with two bad values shows
// both and keeps the rest of the page.
import { expect, test } from './fixtures.js';

// An internal path: a name followed by an index or by ".name" (not a decimal point).
const PATH = /[A-Za-z_]\w*(?:\[\d+\]|\.[A-Za-z_])/;
const LONG_NUMBER = /\d{13,}|\.\d{7,}/;
const MESSAGES = '[role="alert"]:visible, .field-error:visible, .demo-error:visible, .notices li:visible, [data-testid="notices"] li:visible';

// A structured value as a link writes it (state.js): JSON in base64url.
const json = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

// Per demo: a link with a bad value, and what its message must mention.
const LINKS = {
  schedules: [`schedules=${json([{ kind: 'StepLR', lr: 0.1, step_size: 10, gamma: -2 }])}`, /gamma/],
  train: [`optimizer=${json({ kind: 'sgd', momentum: 7 })}`, /momentum/],
  find: [`optimizer=${json({ kind: 'sgd', momentum: 7 })}`, /momentum/],
  surfaces: [`paths=${json([{ optimizer: { kind: 'sgd' }, schedule: { kind: 'Constant', lr: -1 } }])}`, /lr/],
  layers: ['epochs=99999999999999999', /epochs/],
  guide: ['figure=nope', /figure/],
};

async function messagesOn(page) {
  const texts = await page.locator(MESSAGES).allInnerTexts();
  return texts.map((t) => t.trim()).filter(Boolean);
}

for (const [demo, [query, about]] of Object.entries(LINKS)) {
  test(`${demo}: a refused value is said in words, without option paths or long numbers`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto(`${process.env.LRP_URL}#demo=${demo}&${query}`);
    await expect.poll(async () => (await messagesOn(page)).join('\n'), { timeout: 30_000 }).toMatch(about);
    for (const text of await messagesOn(page)) {
      // What the link held is quoted exactly as it was; the page's own words are checked.
      const words = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      expect(words).not.toMatch(PATH);
      expect(words).not.toMatch(LONG_NUMBER);
    }
  });
}

test('train: two values the engine refuses are both shown, in words, and the runs stay listed', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto(`${process.env.LRP_URL}#demo=train&noise=5&optimizer=${json({ kind: 'sgd', momentum: 7 })}`);
  const both = /noise: must be [^\n]*got 5[\s\S]*momentum: must be [^\n]*got 7|momentum: must be [^\n]*got 7[\s\S]*noise: must be [^\n]*got 5/;
  await expect.poll(async () => (await messagesOn(page)).join('\n'), { timeout: 30_000 }).toMatch(both);
  for (const text of await messagesOn(page)) expect(text).not.toMatch(PATH);
  // Nothing else changed: the three runs of the link are still listed, to be trained once mended.
  await expect(page.getByTestId('run-list').locator('> *')).toHaveCount(3);
});
