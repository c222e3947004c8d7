// A regression's validation rows as points, actual across and predicted up, over the same range,
// with the diagonal where a perfect prediction lies.
const MARGIN = 28;

/** The common [lo, hi] of both coordinates over `pairs` (finite ones only), widened if flat. */
export function pairRange(pairs) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const pair of pairs) {
    for (const v of pair) {
      if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  }
  if (!(hi > lo)) return Number.isFinite(lo) ? [lo - 1, lo + 1] : [-1, 1];
  return [lo, hi];
}

/** Draws [actual, predicted] pairs on `canvas`, in the theme's `colours` (theme.js chartColours). */
export function drawScatter(canvas, pairs, colours) {
  const { width, height } = canvas;
  const [lo, hi] = pairRange(pairs);
  const px = (v) => MARGIN + ((v - lo) / (hi - lo)) * (width - MARGIN - 8);
  const py = (v) => height - MARGIN - ((v - lo) / (hi - lo)) * (height - MARGIN - 8);
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, width, height);
  context.strokeStyle = colours.muted;
  context.beginPath();
  context.moveTo(px(lo), py(lo));
  context.lineTo(px(hi), py(hi));
  context.stroke();
  context.fillStyle = 'rgba(31, 119, 180, 0.6)';
  for (const [actual, predicted] of pairs) {
    if (Number.isFinite(predicted)) context.fillRect(px(actual) - 1.5, py(Math.min(hi, Math.max(lo, predicted))) - 1.5, 3, 3);
  }
  context.fillStyle = colours.muted;
  context.font = '10px system-ui, sans-serif';
  const format = (v) => v.toPrecision(3);
  context.fillText(format(lo), MARGIN, height - 10);
  context.fillText(format(hi), width - 40, height - 10);
  context.fillText(format(hi), 2, 14);
  context.fillText('actual →', width / 2 - 20, height - 10);
}
