// What a read table holds, shown before it is used: the first rows, the class counts (or the
// target's range), and each feature's statistics, the ones it is standardised with.
import { h } from '../dom.js';

const NUMBER = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });

/** A summary line, e.g. "150 rows, 4 features, 3 classes". */
export function tableSummary(table) {
  const what = table.task === 'classes' ? `${table.classes.length} classes` : `a number to predict (regression, MSE)`;
  return `${table.rows.toLocaleString('en')} rows, ${table.features} feature${table.features === 1 ? '' : 's'}, ${what}`;
}

/** The preview of `table` (table.js buildTable) as elements. */
export function tablePreview(table) {
  const target = table.names[table.target];
  const head = h('tr', {}, table.names.map((name, j) => h('th', { class: j === table.target ? 'target' : null }, name)));
  const rows = table.preview.map((row) => h('tr', {}, row.map((value, j) => h('td', { class: j === table.target ? 'target' : null }, value))));
  return h(
    'div',
    { class: 'own-preview', 'data-testid': 'own-data-preview' },
    h('p', {}, `${tableSummary(table)}. The first rows, the target "${target}" marked:`),
    h('div', { class: 'own-scroll' }, h('table', { class: 'readout' }, h('thead', {}, head), h('tbody', {}, rows))),
    table.task === 'classes' ? classCounts(table) : targetRange(table),
    featureStats(table),
  );
}

function classCounts({ classes, counts }) {
  return h(
    'div',
    { class: 'own-scroll' },
    h(
      'table',
      { class: 'readout', 'data-testid': 'own-data-classes' },
      h('caption', {}, 'Rows per class'),
      h('tbody', {}, classes.map((name, i) => h('tr', {}, h('th', {}, name), h('td', {}, counts[i].toLocaleString('en'))))),
    ),
  );
}

function targetRange({ targetStats: s }) {
  return h('p', { 'data-testid': 'own-data-range' }, `Target from ${NUMBER.format(s.min)} to ${NUMBER.format(s.max)}, mean ${NUMBER.format(s.mean)}, standard deviation ${NUMBER.format(s.std)}; trained standardised.`);
}

function featureStats({ stats }) {
  const row = (s) => h('tr', {}, h('th', {}, s.name), [s.mean, s.std, s.min, s.max].map((v) => h('td', {}, NUMBER.format(v))));
  return h(
    'details',
    {},
    h('summary', {}, 'Feature statistics (each feature is trained as (value − mean) / standard deviation)'),
    h(
      'div',
      { class: 'own-scroll' },
      h('table', { class: 'readout', 'data-testid': 'own-data-stats' }, h('thead', {}, h('tr', {}, ['feature', 'mean', 'std', 'min', 'max'].map((t) => h('th', {}, t)))), h('tbody', {}, stats.map(row))),
    ),
  );
}
