// Many seeds of one arm, summed up: quantiles of what the seeds give, and a curve's median and
// band step by step. Values that are not finite numbers (a diverged seed, a step not reached) are
// left out; where fewer than half the seeds still have a value, the summary has none, so a band
// never stands for the lucky few that survived.

/** numpy's `quantile` (linear interpolation) of the finite values; null when there are none. */
export function quantile(values, q) {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

/** The median of the finite values; null when there are none. */
export function median(values) {
  return quantile(values, 0.5);
}

/**
 * Step by step over `curves` (one ArrayLike<number> per seed, of any lengths): the median and the
 * band between the quantiles `lo` and `hi` (by default the interquartile range). Each is an array as
 * long as the longest curve, null where fewer than half the seeds have a finite value.
 */
export function seedBand(curves, { lo = 0.25, hi = 0.75 } = {}) {
  if (!(lo <= hi)) throw new RangeError(`seedBand: lo (${lo}) must not exceed hi (${hi})`);
  const length = Math.max(0, ...curves.map((c) => c.length));
  const out = { median: [], lo: [], hi: [] };
  for (let t = 0; t < length; t++) {
    const values = curves.map((c) => c[t]).filter(Number.isFinite);
    const enough = values.length > 0 && 2 * values.length >= curves.length;
    out.median.push(enough ? quantile(values, 0.5) : null);
    out.lo.push(enough ? quantile(values, lo) : null);
    out.hi.push(enough ? quantile(values, hi) : null);
  }
  return out;
}
