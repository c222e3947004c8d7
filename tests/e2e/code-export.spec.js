import { expect, openPage, test } from './fixtures.js';

// Copy as code: a Schedules card's export, switched to another library and copied, and a Train run's.

test("a Schedules card's code: the kind's own library first, another picked, a refusal, a copy", async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPage(page);
  // The second default card is a CyclicLR.
  const card = page.getByTestId('schedule-1-code');
  await card.locator('summary').click();
  const code = page.getByTestId('schedule-1-code-code');
  await expect(page.getByTestId('schedule-1-code-target')).toHaveValue('pytorch');
  await expect(code).toContainText('scheduler = CyclicLR(optimizer, base_lr=0.001, max_lr=0.006');
  await expect(code).toContainText('momentum=');

  // optax cannot express a CyclicLR: the engine says which can, and there is nothing to copy.
  await page.getByTestId('schedule-1-code-target').selectOption('optax');
  await expect(page.getByTestId('schedule-1-code-refusal')).toHaveText('target: optax cannot express CyclicLR exactly; these can: pytorch');
  await expect(code).toBeHidden();
  await expect(page.getByTestId('schedule-1-code-copy')).toBeDisabled();

  // The first card, a Constant, in optax; copied by keyboard.
  await page.getByTestId('schedule-0-code').locator('summary').click();
  await page.getByTestId('schedule-0-code-target').selectOption('optax');
  const first = page.getByTestId('schedule-0-code-code');
  await expect(first).toContainText('schedule = optax.constant_schedule(');
  await page.getByTestId('schedule-0-code-copy').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('schedule-0-code-copy')).toHaveText('Copied');
  await expect(page.getByTestId('schedule-0-code-announce')).toHaveText('Copied the code to the clipboard');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await first.textContent());

  // Editing the card updates the open code.
  await page.getByTestId('field-1-max_lr').fill('0.01');
  await page.getByTestId('schedule-1-code-target').selectOption('pytorch');
  await expect(code).toContainText('max_lr=0.01,');
});

test("a Train run's code: the run's optimizer and its schedule in PyTorch", async ({ page }) => {
  await page.goto(`${process.env.LRP_URL}#demo=train`);
  await page.waitForFunction(() => window.__lrp?.train?.renders >= 1);
  // The default second run: a CyclicLR on the page's SGD with momentum 0.9.
  await page.getByTestId('run-1-code').locator('summary').click();
  const code = page.getByTestId('run-1-code-code');
  await expect(code).toContainText('optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0)');
  await expect(code).toContainText('scheduler = CyclicLR(optimizer, base_lr=0.001, max_lr=0.1');
  await expect(page.getByTestId('run-1-code-target')).toHaveValue('pytorch');
});
