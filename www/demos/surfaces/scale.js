// How a surface's values become colours and contour levels. Most surfaces span a modest range and
// read well on a linear scale; some (Rosenbrock, Beale) rise by thousands on their walls while
// everything worth seeing lies in the bottom thousandth, so the scale turns logarithmic in the
// height above the lowest value when the values crowd near it.
import { rampColour } from '../../colour.js';

// Log scale when the median height above the minimum is below this share of the whole range.
const CROWDED = 0.1;
// The log scale resolves heights down to this share of the range (four decades).
const FLOOR = 1e-4;

/**
 * A scale for `values` (NaN and ±Infinity ignored): { log, min, max, unit(v) -> [0, 1], value(t) }
 * with `value` the inverse of `unit`; null when there is no finite value or all are equal.
 */
export function valueScale(values) {
  const finite = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const min = finite[0];
  const max = finite.at(-1);
  const range = max - min;
  if (!(range > 0)) return null;
  const median = finite[Math.floor(finite.length / 2)];
  const log = (median - min) / range < CROWDED;
  if (!log) return { log, min, max, unit: (v) => clamp01((v - min) / range), value: (t) => min + t * range };
  const eps = range * FLOOR;
  const top = Math.log1p(range / eps);
  return {
    log,
    min,
    max,
    unit: (v) => clamp01(Math.log1p(Math.max(0, v - min) / eps) / top),
    value: (t) => min + eps * Math.expm1(t * top),
  };
}

/** `count` contour levels evenly spaced on `scale` (strictly between its min and max). */
export function contourLevels(scale, count) {
  if (!scale) return [];
  return Array.from({ length: count }, (_, i) => scale.value((i + 1) / (count + 1)));
}

/**
 * RGBA pixels for an nx × ny grid of values (row-major from the low corner, x fastest), through
 * `scale` and `ramp` (colour.js). An image's rows run from the top down, the grid's from y = lo up: rows are
 * flipped. Cells without a finite value are drawn `missing` (grey).
 */
export function gridPixels({ values, nx, ny }, scale, ramp, missing = [150, 150, 150]) {
  const rgba = new Uint8ClampedArray(nx * ny * 4);
  for (let row = 0; row < ny; row++) {
    for (let col = 0; col < nx; col++) {
      const v = values[(ny - 1 - row) * nx + col];
      const p = (row * nx + col) * 4;
      rgba.set(scale && Number.isFinite(v) ? rampColour(ramp, scale.unit(v)) : missing, p);
      rgba[p + 3] = 255;
    }
  }
  return rgba;
}

function clamp01(t) {
  return Math.min(1, Math.max(0, t));
}
