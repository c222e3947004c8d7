// The plateau race's curves: the race trains every schedule on many seeds at once, and the figure
// shows each schedule's median loss over its seeds, step by step. No DOM here.

/**
 * Per schedule, the median over its seeds of `loss` (steps × runs, step-major as Session.step
 * gives it), its runs numbered schedule by schedule: run s · seeds + k is schedule s's seed k.
 * NaN losses (a diverged run) count as the highest.
 */
export function medianCurves(loss, { steps, runs, seeds }) {
  const schedules = runs / seeds;
  const curves = Array.from({ length: schedules }, () => new Float64Array(steps));
  const column = new Float64Array(seeds);
  for (let t = 0; t < steps; t++) {
    for (let s = 0; s < schedules; s++) {
      for (let k = 0; k < seeds; k++) {
        const v = loss[t * runs + s * seeds + k];
        column[k] = Number.isNaN(v) ? Infinity : v;
      }
      curves[s][t] = median(column);
    }
  }
  return curves;
}

/** The median of `values` (sorted in place): the middle one, or the mean of the middle two. */
export function median(values) {
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
