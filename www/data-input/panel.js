// "Your own data": a CSV file chosen, dropped or pasted, read in the page, previewed, and used
// only when the user says so. One component for every demo that trains: the demo gets the table
// (onUse) and keeps it in the page state; this panel knows no demo. A bad file gets a message that
// names its line and column, and nothing else changes: the data in use stays in use.
import { h } from '../dom.js';
import { fieldNotice } from '../notice.js';
import { HEADER_OPTION, LIMITS, TableError, buildTable, readCsv } from './table.js';
import { tablePreview, tableSummary } from './preview.js';

const HEADER_CHOICES = [
  ['auto', 'Detect a header row'],
  ['yes', 'The first row is a header'],
  ['no', 'No header: every row is data'],
];

/** The message for a link that says "own data" where this browser has none. */
export const MISSING_MESSAGE =
  'This link trains on its author’s own data set, which stays on the machine that made it: it was never uploaded, so it cannot be opened here. Choose a CSV file of your own below, or go back to a synthetic set.';

/**
 * `onUse(source, table)`: the user chose to train on `table`, read from `source` { name, text,
 * header, target }; `onLeave()`: back to the demo's own data sets. `purpose`: what the demo does
 * with a table, said above the input; `check(table)`: why the demo cannot train on a read table
 * (shown with its preview, and it is not offered), or null. Returns { element,
 * setActive(source | null, table | null), showMissing() }.
 */
export function ownDataPanel({ onUse, onLeave, purpose = null, check = () => null }) {
  let pending = null; // { source, table } read but not yet used
  const report = fieldNotice('own-data-error');
  const status = h('p', { class: 'own-status', 'data-testid': 'own-data-status' });
  const preview = h('div');
  const fileInput = h('input', { type: 'file', accept: '.csv,.tsv,.txt,text/csv,text/plain', 'data-testid': 'own-data-file', 'aria-label': 'CSV file to read', onchange: () => fileInput.files[0] && readFile(fileInput.files[0]) });
  const paste = h('textarea', { rows: 4, spellcheck: 'false', 'data-testid': 'own-data-paste', 'aria-label': 'CSV text', placeholder: 'sepal length,sepal width,species\n5.1,3.5,setosa\n…' });
  const header = h('select', { 'data-testid': 'own-data-header', 'aria-label': 'Header row', onchange: () => pending && read(pending.source.name, pending.source.text) }, HEADER_CHOICES.map(([value, label]) => h('option', { value }, label)));
  const target = h('select', { 'data-testid': 'own-data-target', 'aria-label': 'Column to predict', onchange: () => pending && use(pending.source, Number(target.value)) });
  const useButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'own-data-use', hidden: true, onclick: () => pending && used() }, 'Train on this data');
  const leaveButton = h('button', { type: 'button', 'data-testid': 'own-data-leave', hidden: true, onclick: () => onLeave() }, 'Back to the synthetic sets');

  const element = h(
    'details',
    { class: 'own-data', 'data-testid': 'own-data' },
    h('summary', {}, 'Your own data (CSV)'),
    status,
    h(
      'p',
      { class: 'hint' },
      `Drop a CSV file here, choose one, or paste it. Number columns are the features (standardised); the target may be text or numbers: a few distinct values are classes, many numbers a regression. At most ${LIMITS.rows.toLocaleString('en')} rows, ${LIMITS.features} features, ${LIMITS.bytes / (1024 * 1024)} MB.`,
    ),
    purpose && h('p', { class: 'hint', 'data-testid': 'own-data-purpose' }, purpose),
    h('p', { class: 'hint own-private' }, 'Your data never leaves this page: it is read and trained on in this browser, and kept in its storage (IndexedDB) so a reload finds it. Nothing is uploaded; a link to it works only on this machine.'),
    h('div', { class: 'toolbar' }, fileInput),
    paste,
    h('div', { class: 'toolbar' }, h('button', { type: 'button', 'data-testid': 'own-data-read', onclick: () => read('pasted data', paste.value) }, 'Read the pasted text'), header),
    report.element,
    h('label', { class: 'own-target' }, 'Column to predict ', target),
    preview,
    h('div', { class: 'toolbar' }, useButton, leaveButton),
  );
  target.parentElement.hidden = true;
  element.addEventListener('dragover', (event) => {
    event.preventDefault();
    element.classList.add('dragging');
  });
  element.addEventListener('dragleave', () => element.classList.remove('dragging'));
  element.addEventListener('drop', (event) => {
    event.preventDefault();
    element.classList.remove('dragging');
    element.open = true;
    const file = event.dataTransfer?.files?.[0];
    if (file) readFile(file);
  });

  // The pending table is trained on: its button goes until another file or column is read.
  function used() {
    useButton.hidden = true;
    onUse(pending.source, pending.table);
  }

  function readFile(file) {
    if (file.size > LIMITS.bytes) return report.show(`${file.name} is ${(file.size / (1024 * 1024)).toFixed(1)} MB; the most is ${LIMITS.bytes / (1024 * 1024)} MB.`);
    file.text().then((text) => read(file.name, text), (err) => report.show(`${file.name} could not be read: ${err.message}`));
  }

  // Reads `text` with the header choice, target the last column; a refusal changes nothing but the message.
  function read(name, text) {
    try {
      const csv = readCsv(text, { header: HEADER_OPTION[header.value] });
      show({ name, text, header: header.value, target: csv.names.length - 1 }, csv);
    } catch (err) {
      refuse(name, err);
    }
  }

  function use(source, targetColumn) {
    try {
      show({ ...source, target: targetColumn }, readCsv(source.text, { header: HEADER_OPTION[source.header] }));
    } catch (err) {
      refuse(source.name, err);
    }
  }

  function show(source, csv) {
    const table = buildTable(csv, { target: source.target });
    pending = { source, table };
    report.show(null);
    target.replaceChildren(...csv.names.map((column, j) => h('option', { value: j, selected: j === source.target }, column)));
    target.parentElement.hidden = false;
    preview.replaceChildren(tablePreview(table));
    const problem = check(table);
    report.show(problem && `${source.name}: ${problem}`);
    useButton.hidden = Boolean(problem);
  }

  function refuse(name, err) {
    if (!(err instanceof TableError)) throw err;
    report.show(`${name}: ${err.message}`);
    if (pending) target.value = String(pending.source.target);
  }

  return {
    element,
    /** The data in use (or none): said at the top, with the way back. */
    setActive(source, table) {
      status.textContent = source ? `Training on ${source.name}: ${tableSummary(table)}.` : '';
      status.hidden = !source;
      leaveButton.hidden = !source;
      if (source) element.open = true;
    },
    /** A link asks for own data this browser does not have. */
    showMissing() {
      element.open = true;
      status.hidden = false;
      status.textContent = MISSING_MESSAGE;
    },
  };
}
