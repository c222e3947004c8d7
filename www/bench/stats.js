// Small helpers for the benchmark page: medians, rounding, a yield to the event loop.

export function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** `x` to `digits` significant digits (null stays null). */
export function round(x, digits = 4) {
  return x === null || !Number.isFinite(x) ? null : Number(x.toPrecision(digits));
}

/** Lets the page paint (and the event loop breathe) between timed sections. */
export const pause = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Milliseconds that `fn` (sync or async) takes. */
export async function timeMs(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
