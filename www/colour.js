// Colour maps as lookup tables: a d3-scale-chromatic interpolator sampled once into RGB triples,
// so drawing a grid of values costs an index per cell instead of a CSS colour string per cell.

/**
 * `size` RGB triples sampled evenly from a d3-scale-chromatic interpolator over [0, 1] (it gives
 * "#rrggbb" or "rgb(r, g, b)" strings).
 */
export function colourRamp(interpolate, size = 256) {
  const ramp = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) ramp.set(rgbOf(interpolate(i / (size - 1))), i * 3);
  return ramp;
}

/** The RGB triple (a view into `ramp`) nearest to `t` in [0, 1]. */
export function rampColour(ramp, t) {
  const k = Math.round(t * (ramp.length / 3 - 1)) * 3;
  return ramp.subarray(k, k + 3);
}

function rgbOf(css) {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return hex.slice(1).map((h) => parseInt(h, 16));
  return css.match(/\d+/g).slice(0, 3).map(Number);
}
