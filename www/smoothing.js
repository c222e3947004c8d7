// TensorBoard's scalar smoothing: an exponential moving average, debiased so the first points
// are not pulled towards zero (the average starts at 0 and is divided by 1 - weight^count).
// Values that are not finite numbers (a diverged step) stay gaps and do not enter the average.

/** The debiased EMA of `values` with `weight` in [0, 1) (0: the values themselves); null at gaps. */
export function debiasedEma(values, weight) {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`debiasedEma: weight must be in [0, 1), got ${weight}`);
  const out = new Array(values.length);
  let average = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    count += 1;
    average = average * weight + (1 - weight) * v;
    out[i] = average / (1 - weight ** count);
  }
  return out;
}
