// The figure Train shows where the decision-boundary map cannot apply (more than two inputs):
// for images (the digits) a grid of validation digits with their predicted class, for any
// classification a confusion matrix of the validation set, for a regression predicted against
// actual. Each draws Session.predictSet's answer for the validation set.
import { h } from '../../dom.js';
import { chartColours, onThemeChange } from '../../theme.js';
import { confusionMatrix, confusionTable, predictedAgainstActual, predictedClasses } from './confusion.js';
import { drawDigits } from './digit-grid.js';
import { drawScatter } from './scatter.js';

/** Digits shown at most (the first validation rows). */
const DIGITS_SHOWN = 48;

/** Whether a session's data needs this view rather than the 2-D map. */
export function needsSetView(features) {
  return features > 2;
}

/**
 * An element that shows `set` (predictSet's answer) as the data is: { images, regression,
 * classes, target } (images: 8×8 rows; classes: names for the legend, [] for indices; target: a
 * regression's { mean, std }, to show values in its units).
 */
export class SetView {
  constructor() {
    this.canvas = h('canvas', { width: 320, height: 320, class: 'set-canvas', 'data-testid': 'set-canvas' });
    this.matrixBox = h('div', { class: 'confusion-box' });
    this.caption = h('figcaption');
    this.element = h('figure', { class: 'set-view', 'data-testid': 'set-view' }, this.canvas, this.matrixBox, this.caption);
    // The canvas takes the theme's colours: drawn again when the theme changes.
    this.stopWatching = onThemeChange(() => this.last && this.draw(...this.last));
  }

  destroy() {
    this.stopWatching();
  }

  draw(set, options) {
    this.last = [set, options];
    const { images = false, regression = false, classes = [], target = null, run } = options;
    const colours = chartColours(this.element);
    if (set.y.length === 0) {
      this.canvas.hidden = true;
      this.matrixBox.replaceChildren();
      this.caption.textContent = 'No validation rows to show.';
      return;
    }
    if (regression) {
      this.canvas.hidden = false;
      this.matrixBox.replaceChildren();
      drawScatter(this.canvas, predictedAgainstActual(set, target ?? {}), colours);
      this.caption.textContent = `Run ${run + 1} on the validation rows: predicted (up) against actual (across); on the diagonal is right`;
      return;
    }
    // Names for the legend where they match the outputs (own data), else the class indices.
    const names = classes.length === set.outputs ? classes : Array.from({ length: set.outputs }, (_, i) => String(i));
    const matrix = confusionMatrix(set, set.outputs);
    this.canvas.hidden = !images;
    if (images) drawDigits(this.canvas, set, predictedClasses(set), names, DIGITS_SHOWN, colours);
    this.matrixBox.replaceChildren(confusionTable(matrix, names));
    const accuracy = `${matrix.correct} of ${matrix.total} right (${((100 * matrix.correct) / matrix.total).toFixed(1)}%)`;
    const unpredicted = matrix.unpredicted ? `, ${matrix.unpredicted} without a prediction (NaN)` : '';
    this.caption.textContent = `Run ${run + 1} on the validation set: ${accuracy}${unpredicted}.${images ? ' Digits with their predicted class; wrong ones in red.' : ''}`;
  }
}
