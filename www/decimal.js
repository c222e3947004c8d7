// Decimal numbers as people type them ("0.1", "1e-3", "-.5", "2."), read in time linear in the
// text: the pattern never puts two quantifiers over the same characters (the old `\d+\.?\d*`
// backtracked quadratically on a long run of digits), and text longer than any real number is
// refused before it is matched. JavaScript's Number() alone would take '' and '0x10'.

/** The longest text read as a number: 17 significant digits, a sign, a point and an exponent fit many times. */
export const MAX_NUMBER_TEXT = 64;

const SIGNED = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const MINUS_ONLY = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

/**
 * The number `text` writes, or undefined when it is not a plain decimal (or is too long to be
 * one). `plus: false` refuses a leading '+'. May return ±Infinity for an exponent out of range.
 */
export function readDecimal(text, { plus = true } = {}) {
  if (text.length > MAX_NUMBER_TEXT) return undefined;
  return (plus ? SIGNED : MINUS_ONLY).test(text) ? Number(text) : undefined;
}
