// uPlot's data for line charts over steps: [x, y1, y2, ...] with x = 0, 1, 2, ... and null where a
// series has no value to show (uPlot draws a gap): past a schedule's end, a NaN loss, or a value a
// log axis cannot show.

/** Fresh data for `columns` (one ArrayLike<number> | null per series) over steps 0..steps-1. */
export function plotData(steps, columns, log) {
  const x = Array.from({ length: steps }, (_, t) => t);
  return [x, ...columns.map((values) => x.map((t) => plottable(values?.[t], log)))];
}

/**
 * Appends to `data` (as plotData makes it, one y array per column) the points of `columns` past
 * the steps it holds already; returns how many steps it added. Earlier points are not touched:
 * series that grow at the end (losses while training) cost only their new points.
 */
export function appendData(data, columns, log) {
  const [x, ...ys] = data;
  const from = x.length;
  const to = Math.max(from, ...columns.map((values) => values.length));
  for (let t = from; t < to; t++) x.push(t);
  columns.forEach((values, i) => {
    for (let t = from; t < to; t++) ys[i].push(plottable(values[t], log));
  });
  return to - from;
}

function plottable(v, log) {
  return Number.isFinite(v) && (!log || v > 0) ? v : null;
}
