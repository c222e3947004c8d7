// TensorBoard's scalar smoothing: an exponential moving average, debiased so the first points
// are not pulled towards zero (the average starts at 0 and is divided by 1 - weight^count).
// Values that are not finite numbers (a diverged step) stay gaps and do not enter the average.

/** The smoothing of one series, a value at a time (a curve that grows is smoothed as it grows). */
export class DebiasedEma {
  /** `weight` in [0, 1): 0 leaves the values as they are. */
  constructor(weight) {
    if (!(weight >= 0 && weight < 1)) throw new RangeError(`debiasedEma: weight must be in [0, 1), got ${weight}`);
    Object.assign(this, { weight, average: 0, count: 0 });
  }

  /** Takes the next value; returns the smoothed value there (NaN at a gap). */
  push(v) {
    if (!Number.isFinite(v)) return NaN;
    this.count += 1;
    this.average = this.average * this.weight + (1 - this.weight) * v;
    return this.value;
  }

  /** The smoothed value after the values taken so far (NaN before any). */
  get value() {
    return this.count > 0 ? this.average / (1 - this.weight ** this.count) : NaN;
  }
}

/** The debiased EMA of `values` with `weight` in [0, 1) (0: the values themselves); null at gaps. */
export function debiasedEma(values, weight) {
  const ema = new DebiasedEma(weight);
  return Array.from(values, (v) => {
    const smoothed = ema.push(v);
    return Number.isNaN(smoothed) ? null : smoothed;
  });
}
