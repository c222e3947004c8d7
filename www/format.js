// Numbers as the page writes them: on plot axes, in tables and in sentences.

/** Three significant digits; nothing for a missing value. */
export function formatTick(v) {
  return v == null ? '' : String(Number(v.toPrecision(3)));
}

/** A short rate: 3 significant digits, exponent form below 0.001 (1e-7 .. 10 spans eight decades). */
export function formatRate(lr) {
  if (!Number.isFinite(lr)) return '';
  return lr < 1e-3 || lr >= 1e4 ? lr.toExponential(2).replace(/\.?0+e/, 'e') : formatTick(lr);
}
