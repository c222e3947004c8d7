// The seed band: K runs of the same range test (K seeds) summed up per batch as a median with its
// interquartile range and its min–max. Runs stop at different batches; each batch is summed over
// the runs that reached it, so the band narrows to the last runs standing.

/**
 * `curves`: one ArrayLike<number> per run, as long as that run recorded. Returns { median, q1,
 * q3, min, max }, Float64Arrays as long as the longest curve; NaN losses are left out.
 */
export function seedBand(curves) {
  const length = Math.max(0, ...curves.map((c) => c.length));
  const band = Object.fromEntries(['median', 'q1', 'q3', 'min', 'max'].map((key) => [key, new Float64Array(length).fill(NaN)]));
  for (let i = 0; i < length; i++) {
    const values = curves.flatMap((c) => (i < c.length && Number.isFinite(c[i]) ? [c[i]] : [])).sort((a, b) => a - b);
    if (values.length === 0) continue;
    band.min[i] = values[0];
    band.max[i] = values.at(-1);
    band.q1[i] = quantile(values, 0.25);
    band.median[i] = quantile(values, 0.5);
    band.q3[i] = quantile(values, 0.75);
  }
  return band;
}

/** The spread of one suggestion across seeds: { lo, hi } over the runs that made it, or null. */
export function suggestionSpread(runs, method) {
  const lrs = runs.map((run) => run.suggestions?.[method]?.lr).filter((lr) => Number.isFinite(lr));
  return lrs.length === 0 ? null : { lo: Math.min(...lrs), hi: Math.max(...lrs), of: lrs.length };
}

// numpy's default (linear) quantile of sorted values.
function quantile(sorted, q) {
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const frac = at - below;
  return frac === 0 ? sorted[below] : sorted[below] + frac * (sorted[below + 1] - sorted[below]);
}
