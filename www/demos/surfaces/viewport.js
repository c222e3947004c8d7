// The part of the surface's plane in view and how it maps onto the canvas: a view is
// { x: [lo, hi], y: [lo, hi] }, shown on a canvas of `size` { width, height } CSS pixels whose
// top edge is y = hi. Zooming keeps the point under the cursor still; panning moves the plane
// with the pointer. Views are values: every change returns a new one.

/** Where the plane's point [x, y] falls on the canvas, in CSS pixels. */
export function toCanvas(view, size, [x, y]) {
  return [((x - view.x[0]) / (view.x[1] - view.x[0])) * size.width, ((view.y[1] - y) / (view.y[1] - view.y[0])) * size.height];
}

/** The plane's point under canvas pixel [px, py]. */
export function toPlane(view, size, [px, py]) {
  return [view.x[0] + (px / size.width) * (view.x[1] - view.x[0]), view.y[1] - (py / size.height) * (view.y[1] - view.y[0])];
}

/**
 * The view zoomed by `factor` (> 1 closer in) about canvas pixel `at`, which stays over the same
 * point of the plane. `limits` { min, max } bound each axis's span, so a wheel held down can
 * neither lose the surface in float rounding nor shrink it to a dot.
 */
export function zoomed(view, size, at, factor, limits) {
  const [cx, cy] = toPlane(view, size, at);
  const scale = (range, centre) => {
    const span = clamp((range[1] - range[0]) / factor, limits.min, limits.max);
    const share = (centre - range[0]) / (range[1] - range[0]);
    return [centre - share * span, centre + (1 - share) * span];
  };
  return { x: scale(view.x, cx), y: scale(view.y, cy) };
}

/** The view after the pointer dragged the plane by [dx, dy] CSS pixels. */
export function panned(view, size, [dx, dy]) {
  const sx = (dx / size.width) * (view.x[1] - view.x[0]);
  const sy = (dy / size.height) * (view.y[1] - view.y[0]);
  return { x: [view.x[0] - sx, view.x[1] - sx], y: [view.y[0] + sy, view.y[1] + sy] };
}

/** The wheel's zoom factor: a notch (100 px of deltaY) zooms by 1.2, scrolling up zooms in. */
export function wheelFactor(deltaY) {
  return 1.2 ** (-clamp(deltaY, -500, 500) / 100);
}

/** Span limits for a surface whose domain is `domain`: 1/1000 of it up to 20 times it. */
export function spanLimits(domain) {
  const span = Math.max(domain.x[1] - domain.x[0], domain.y[1] - domain.y[0]);
  return { min: span / 1000, max: span * 20 };
}

/**
 * The surfaceGrid request for `view` on a canvas of `size`: about one cell per `pixelsPerCell`
 * CSS pixels, at most `maxCells` a side (the browser smooths between cells).
 */
export function gridRequest(view, size, { pixelsPerCell = 3, maxCells = 160 } = {}) {
  const cells = (px) => clamp(Math.round(px / pixelsPerCell), 8, maxCells);
  return { x: [...view.x], y: [...view.y], nx: cells(size.width), ny: cells(size.height) };
}

/** Whether two views show the same part of the plane. */
export function sameView(a, b) {
  return a.x[0] === b.x[0] && a.x[1] === b.x[1] && a.y[0] === b.y[0] && a.y[1] === b.y[1];
}

function clamp(x, lo, hi) {
  return Math.min(hi, Math.max(lo, x));
}

/**
 * `view` widened along one axis so that a unit of x and a unit of y take the same pixels on a
 * canvas of `size` (circles stay circles; a bowl's elongation is the surface's, not the page's).
 */
export function fitted(view, size) {
  const [cx, cy] = [(view.x[0] + view.x[1]) / 2, (view.y[0] + view.y[1]) / 2];
  let [w, h] = [view.x[1] - view.x[0], view.y[1] - view.y[0]];
  const aspect = size.width / size.height;
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  return { x: [cx - w / 2, cx + w / 2], y: [cy - h / 2, cy + h / 2] };
}

/**
 * Where grid coordinate [gx, gy] lies on the plane, for a grid of nx × ny samples taken from
 * (x lo, y lo) to (x hi, y hi) inclusive. d3-contour puts sample i at coordinate i + 0.5 (the
 * centre of its pixel), so its contours come back through here.
 */
export function gridToPlane({ x, y, nx, ny }, [gx, gy]) {
  return [x[0] + ((gx - 0.5) * (x[1] - x[0])) / (nx - 1), y[0] + ((gy - 0.5) * (y[1] - y[0])) / (ny - 1)];
}

/** The plane's rectangle the grid's image covers: each sample's cell, half a spacing each side. */
export function gridBounds(grid) {
  const [x0, y0] = gridToPlane(grid, [0, 0]);
  const [x1, y1] = gridToPlane(grid, [grid.nx, grid.ny]);
  return { x: [x0, x1], y: [y0, y1] };
}
