// A number input that says its range in words: in its tooltip, and in the browser's validation
// message while it holds `typed` (a value out of range, not yet committed).
import { expect } from './fixtures.js';

export async function expectRangeInWords(input, { title, typed, message }) {
  await expect(input).toHaveAttribute('title', title);
  await input.fill(typed);
  expect(await input.evaluate((element) => element.validationMessage)).toBe(message);
}
