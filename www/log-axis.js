// Log axes that cannot hang the page: their bounds, and their ticks.
// uPlot's own log-axis ticks come from a loop that adds one step at a time and rounds: over ranges
// of many decades it never ends (a StepLR decayed to 1e-34, a Himmelblau loss from 1e-24 to 1e21
// froze the page until the array of ticks overflowed). Log axes here keep to
// [LOG_FLOOR, LOG_CEIL] (a value beyond leaves the plot at its edge) and get their ticks from
// logSplits: decades, counted, never a loop over values.
export const LOG_FLOOR = 1e-30;
export const LOG_CEIL = 1e30;
const MOST_LOG_TICKS = 12;

/** `x` within a log axis's bounds (a missing value at the floor). */
export function clampToLogAxis(x) {
  return typeof x === 'number' && !Number.isNaN(x) ? Math.min(Math.max(x, LOG_FLOOR), LOG_CEIL) : LOG_FLOOR;
}

/**
 * Ticks for a log axis over [min, max]: every k-th decade (at most `most` of them), with 2× and
 * 5× in between where the range spans two decades or less and `most` has room for them.
 */
export function logSplits(min, max, most = MOST_LOG_TICKS) {
  const lo = Math.log10(clampToLogAxis(min));
  const hi = Math.log10(Math.max(clampToLogAxis(max), clampToLogAxis(min)));
  const first = Math.floor(lo);
  const last = Math.ceil(hi);
  const every = Math.max(1, Math.ceil((last - first + 1) / Math.max(1, most)));
  // 2× and 5× only where they fit too: a short plot labels decades alone.
  const mults = last - first <= 2 && (last - first + 1) * 3 <= most ? [1, 2, 5] : [1];
  const ticks = [];
  for (let e = first; e <= last; e += every) {
    for (const m of mults) {
      // Parsed, not multiplied: 10 ** -24 is 1.0000000000000001e-24.
      const v = Number(`${m}e${e}`);
      if (Math.log10(v) >= lo - 1e-9 && Math.log10(v) <= hi + 1e-9) ticks.push(v);
    }
  }
  return ticks;
}
