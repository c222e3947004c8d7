// Validation digits (8×8 grey images, 64 features in [0, 1]) in a grid on a canvas, each with the
// class the run predicts under it; a wrong prediction is framed and written in the theme's error colour.
const SIDE = 8;

/** Cells per row for `count` digits on a canvas `width` wide: about square. */
export function gridColumns(count) {
  return Math.max(1, Math.ceil(Math.sqrt(count)));
}

/** Draws the first `most` rows of `set` with `predicted` classes (names for labels), in the theme's `colours`. */
export function drawDigits(canvas, set, predicted, names, most, colours) {
  const count = Math.min(most, set.y.length);
  const columns = gridColumns(count);
  const cell = Math.floor(canvas.width / columns);
  const pixel = Math.floor((cell - 14) / SIDE);
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.font = '10px system-ui, sans-serif';
  context.textAlign = 'center';
  for (let i = 0; i < count; i++) {
    const [left, top] = [(i % columns) * cell, Math.floor(i / columns) * cell];
    for (let p = 0; p < SIDE * SIDE; p++) {
      const ink = Math.round(255 * (1 - clamp01(set.x[i * set.features + p])));
      context.fillStyle = `rgb(${ink}, ${ink}, ${ink})`;
      context.fillRect(left + 2 + (p % SIDE) * pixel, top + 2 + Math.floor(p / SIDE) * pixel, pixel, pixel);
    }
    const wrong = predicted[i] !== set.y[i];
    context.strokeStyle = wrong ? colours.error : colours.muted;
    context.lineWidth = wrong ? 2 : 1;
    context.strokeRect(left + 1, top + 1, SIDE * pixel + 2, SIDE * pixel + 2);
    context.fillStyle = wrong ? colours.error : colours.ink;
    context.fillText(predicted[i] < 0 ? '?' : names[predicted[i]], left + 2 + (SIDE * pixel) / 2, top + SIDE * pixel + 13);
  }
}

function clamp01(v) {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
