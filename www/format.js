// Numbers as the page writes them: on plot axes, in tables and in sentences.

/** Exponent form to three significant digits, without a plus sign or trailing zeros: 1.93e18, 1e-7. */
function exponentForm(v) {
  return v.toExponential(2).replace(/\.?0+e/, 'e').replace('e+', 'e');
}

/**
 * Three significant digits; nothing for a missing value. Exponent form from a million up, so
 * that a loss of 1.93e18 is not written out as nineteen digits, and below 1e-4, so that an
 * update ratio of 4.46e-6 is not 0.00000446 beside others in exponent form.
 */
export function formatTick(v) {
  if (v == null) return '';
  const size = Math.abs(v);
  return size >= 1e6 || (size > 0 && size < 1e-4) ? exponentForm(v) : String(Number(v.toPrecision(3)));
}

/** A short rate: 3 significant digits, exponent form below 0.001 (1e-7 .. 10 spans eight decades). */
export function formatRate(lr) {
  if (!Number.isFinite(lr)) return '';
  return lr < 1e-3 || lr >= 1e4 ? exponentForm(lr) : formatTick(lr);
}

/**
 * A number for a sentence: up to 4 significant digits, digit groups in a large integer part,
 * exponent form beyond what reads well (1.93e18, not 1930000000000000000; 2.5e-7).
 */
export function formatNumber(x) {
  if (typeof x !== 'number' || Number.isNaN(x)) return String(x);
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const size = Math.abs(x);
  if (size !== 0 && (size >= 1e9 || size < 1e-4)) return x.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return Number(x.toPrecision(4)).toLocaleString('en', { maximumFractionDigits: 20 });
}
