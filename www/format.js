// Numbers as the page writes them: on plot axes, in tables and in sentences.

/** Exponent form to three significant digits, without a plus sign or trailing zeros: 1.93e18, 1e-7. */
function exponentForm(v) {
  return v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/**
 * Three significant digits; nothing for a missing value. Exponent form from a million up, so
 * that a loss of 1.93e18 is not written out as nineteen digits.
 */
export function formatTick(v) {
  if (v == null) return '';
  return Math.abs(v) >= 1e6 ? exponentForm(v) : String(Number(v.toPrecision(3)));
}

/** A short rate: 3 significant digits, exponent form below 0.001 (1e-7 .. 10 spans eight decades). */
export function formatRate(lr) {
  if (!Number.isFinite(lr)) return '';
  return lr < 1e-3 || lr >= 1e4 ? exponentForm(lr) : formatTick(lr);
}
