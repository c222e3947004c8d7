// What a run predicts on the validation set, for data a 2-D map cannot show: the pure part
// (argmax, the confusion matrix, the predicted-against-actual pairs) and the confusion matrix as
// a table. Input: Session.predictSet's answer { x, y, features, predictions, outputs }.
import { h } from '../../dom.js';

/** The predicted class of each row: the largest output (-1 where the outputs are NaN). */
export function predictedClasses({ predictions, outputs }) {
  const rows = predictions.length / outputs;
  const classes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = -1;
    let bestValue = -Infinity;
    for (let c = 0; c < outputs; c++) {
      const v = predictions[i * outputs + c];
      if (v > bestValue) [best, bestValue] = [c, v];
    }
    classes[i] = best;
  }
  return classes;
}

/**
 * counts[actual][predicted] over the rows, for `n` classes; rows with no prediction (NaN, a
 * diverged run) are counted in `unpredicted`. Returns { counts, unpredicted, correct, total }.
 */
export function confusionMatrix(set, n) {
  const predicted = predictedClasses(set);
  const counts = Array.from({ length: n }, () => new Array(n).fill(0));
  let unpredicted = 0;
  let correct = 0;
  predicted.forEach((p, i) => {
    const actual = set.y[i];
    if (p < 0) unpredicted += 1;
    else if (actual < n) counts[actual][p] += 1;
    if (p === actual) correct += 1;
  });
  return { counts, unpredicted, correct, total: predicted.length };
}

/** A regression's (actual, predicted) pairs, both back in the target's units. */
export function predictedAgainstActual({ predictions, outputs, y }, { mean = 0, std = 1 } = {}) {
  const scale = std > 0 ? std : 1;
  return Array.from(y, (actual, i) => [actual * scale + mean, predictions[i * outputs] * scale + mean]);
}

/** The matrix as a table: rows the actual class, columns the predicted, shaded by share of the row. */
export function confusionTable(matrix, names) {
  const head = h('tr', {}, h('th', {}, 'actual \\ predicted'), names.map((name) => h('th', { scope: 'col' }, name)));
  const rows = matrix.counts.map((row, a) => {
    const total = row.reduce((s, c) => s + c, 0) || 1;
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, names[a]),
      row.map((count, p) =>
        h('td', { class: p === a ? 'hit' : count ? 'miss' : null, style: `--share: ${(count / total).toFixed(3)}`, title: `${count} of ${total} rows of ${names[a]} predicted ${names[p]}` }, String(count)),
      ),
    );
  });
  return h('table', { class: 'readout confusion', 'data-testid': 'confusion-matrix' }, h('thead', {}, head), h('tbody', {}, rows));
}
