// A CSV file as a data set the engine trains on: the pure part (no DOM, no engine). Reading the
// text is papaparse's (quotes, delimiters); this module decides what the columns mean and refuses,
// naming the line and column, anything it cannot train on. Numeric columns become standardised
// features; the target column (the last unless chosen) becomes classes when it holds text or a
// few integers, else a regression target (standardised too, for MSE).
import Papa from 'papaparse';
import { MAX_NUMBER_TEXT, readDecimal } from '../decimal.js';

/** What the page takes, stated to users and enforced here. */
export const LIMITS = { bytes: 5 * 1024 * 1024, rows: 100_000, features: 256 };
/** An integer target with at most this many values is classes; more is regression. */
export const MAX_INTEGER_CLASSES = 20;
/** A text target with more values than this is refused: a classifier for it would not learn here. */
export const MAX_CLASSES = 100;
/** Rows shown before the data is used. */
export const PREVIEW_ROWS = 5;
// Rows looked at to tell a header from data.
const HEADER_PROBE = 20;
const F32_MAX = 3.4028234663852886e38;

/** The header choices a source names ({ header } of a saved data set) and how readCsv takes them. */
export const HEADER_OPTION = { auto: 'auto', yes: true, no: false };

/** A refusal that says where: `line` and `column` count from 1 (undefined when the whole file is at fault). */
export class TableError extends Error {
  constructor(message, { line, column } = {}) {
    super(message);
    this.name = 'TableError';
    Object.assign(this, { line, column });
  }
}

/**
 * `text` -> { header, names, rows: string[][], lineOf(i) } where `lineOf(i)` is the file line
 * row i starts on; blank lines are skipped. `header`: true, false or 'auto' (a first row that is
 * text where the rows below are numbers). Throws TableError for an empty or too large file, or a
 * row whose number of values differs from the first's.
 */
export function readCsv(text, { header = 'auto' } = {}) {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > LIMITS.bytes) throw new TableError(`The file is ${megabytes(bytes)}; the most is ${megabytes(LIMITS.bytes)}.`);
  // Lines of only spaces and delimiters are dropped here rather than by papaparse's 'greedy'
  // option, which joins every row to test it.
  const parsed = Papa.parse(text, { skipEmptyLines: true, delimitersToGuess: [',', '\t', ';', '|'] });
  const rows = withoutBlankRows(parsed.data);
  if (rows.length === 0) throw new TableError('The file is empty: it has no rows of values.', { line: 1 });
  // The file line of each row is needed only to name one in a message: found when first asked.
  const lineOf = rowLineFinder(text);
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    // The line the quote is on, by its place in the text (papaparse's row count can run past blank lines).
    const line = lineAt(text, quoteError.index);
    throw new TableError(`Line ${line}: a quoted value is never closed.`, { line });
  }

  // Values are trimmed where they are read (buildTable): a copy of every row here would cost as
  // much as the parse.
  const width = rows[0].length;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      const column = Math.min(row.length, width) + 1;
      throw new TableError(`Line ${lineOf(i)}, column ${column}: the row has ${row.length} value${row.length === 1 ? '' : 's'}, the first row ${width}.`, { line: lineOf(i), column });
    }
  });
  const hasHeader = header === 'auto' ? looksLikeHeader(rows) : header;
  const names = hasHeader ? rows[0].map((name, j) => name.trim() || `column ${j + 1}`) : rows[0].map((_, j) => `column ${j + 1}`);
  const dataRows = hasHeader ? rows.slice(1) : rows;
  const dataLineOf = hasHeader ? (i) => lineOf(i + 1) : lineOf;
  if (dataRows.length === 0) throw new TableError('The file has a header but no rows of values.', { line: lineOf(0) + 1 });
  if (dataRows.length > LIMITS.rows) {
    const line = dataLineOf(LIMITS.rows);
    throw new TableError(`Line ${line}: the file has ${dataRows.length.toLocaleString('en')} rows; the most is ${LIMITS.rows.toLocaleString('en')}.`, { line });
  }
  if (width - 1 > LIMITS.features) {
    throw new TableError(`Line ${lineOf(0)}: the file has ${width} columns, so ${width - 1} features; the most is ${LIMITS.features}.`, { line: lineOf(0), column: LIMITS.features + 2 });
  }
  if (width < 2) throw new TableError(`Line ${lineOf(0)}: the file has one column; it needs at least one feature and a target.`, { line: lineOf(0) });
  return { header: hasHeader, names, rows: dataRows, lineOf: dataLineOf };
}

/**
 * A read file (readCsv) as training data, with `target` the column index (default the last):
 * { task: 'classes' | 'regression', names, target, features, rows, x: Float32Array(rows × features)
 * standardised, y (class indices, or standardised values), classes (names) and counts, stats per
 * feature { name, mean, std, min, max }, targetStats (regression), preview (the first rows as read) }.
 */
export function buildTable(csv, { target = csv.names.length - 1 } = {}) {
  const { names, rows, lineOf } = csv;
  if (!Number.isInteger(target) || target < 0 || target >= names.length) throw new TableError(`There is no column ${target + 1} to predict.`);
  const featureColumns = names.map((_, j) => j).filter((j) => j !== target);
  const x = new Float32Array(rows.length * featureColumns.length);
  const stats = featureColumns.map((j, k) => {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = numberAt(rows[i][j], i, lineOf, j, names[j], 'feature');
    const columnStats = summary(names[j], values);
    values.forEach((v, i) => {
      x[i * featureColumns.length + k] = columnStats.std > 0 ? (v - columnStats.mean) / columnStats.std : 0;
    });
    return columnStats;
  });
  const preview = rows.slice(0, PREVIEW_ROWS).map((row) => row.map((value) => value.trim()));
  const base = { names, target, features: featureColumns.length, rows: rows.length, x, stats, preview, header: csv.header };
  return { ...base, ...targetOf(rows.map((row) => row[target].trim()), lineOf, target, names[target]) };
}

/** readCsv then buildTable: the one call for a file's text. */
export function parseTable(text, { header = 'auto', target } = {}) {
  const csv = readCsv(text, { header });
  return buildTable(csv, { target: target ?? csv.names.length - 1 });
}

/** The Session `data` option for a table: its own rows, a share held out for validation. */
export function tableData(table, { validation = 0.2, seed = 0 } = {}) {
  return { x: Array.from(table.x), y: Array.from(table.y), features: table.features, validation_fraction: validation, seed };
}

// The target: classes when any value is text, or when every value is an integer and there are
// few of them; otherwise a number to predict.
function targetOf(values, lineOf, column, name) {
  const empty = values.indexOf('');
  if (empty >= 0) throw new TableError(`Line ${lineOf(empty)}, column ${column + 1} ("${name}"): the target is empty.`, { line: lineOf(empty), column: column + 1 });
  // Each distinct value is read once: a class column repeats a few names many times.
  const distinct = new Set(values);
  const read = [...distinct].map(readNumber);
  const text = read.some((v) => v === undefined);
  const integers = !text && read.every(Number.isInteger);
  if (text || (integers && distinct.size <= MAX_INTEGER_CLASSES)) {
    const classes = [...distinct].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (classes.length < 2) throw new TableError(`Column ${column + 1} ("${name}") has one class only (${quote(classes[0])}): a classifier needs at least two.`, { line: lineOf(0), column: column + 1 });
    if (classes.length > MAX_CLASSES) throw new TableError(`Column ${column + 1} ("${name}") has ${classes.length} different values; the most classes is ${MAX_CLASSES}.`, { line: lineOf(0), column: column + 1 });
    const index = new Map(classes.map((c, i) => [c, i]));
    const y = values.map((v) => index.get(v));
    const counts = classes.map(() => 0);
    for (const c of y) counts[c] += 1;
    return { task: 'classes', y, classes, counts };
  }
  const targets = values.map((v, i) => numberAt(v, i, lineOf, column, name, 'target'));
  const targetStats = summary(name, targets);
  const y = targets.map((v) => (targetStats.std > 0 ? (v - targetStats.mean) / targetStats.std : 0));
  return { task: 'regression', y, targetStats };
}

function numberAt(raw, row, lineOf, column, name, role) {
  const value = readNumber(raw);
  if (Number.isFinite(value) && Math.abs(value) <= F32_MAX) return value;
  const text = raw.trim();
  // The message is built only here: this runs for every value of the file.
  const line = lineOf(row);
  const where = `Line ${line}, column ${column + 1} ("${name}")`;
  const at = { line, column: column + 1 };
  if (text === '') throw new TableError(`${where}: the value is empty; every ${role} must be a number.`, at);
  if (value === undefined) throw new TableError(`${where}: ${quote(text)} is not a number; every column but the target must be numbers.`, at);
  throw new TableError(`${where}: ${quote(text)} is not a finite number.`, at);
}

// Decimal numbers, and the spellings of NaN and infinity that other tools write (refused later
// as not finite, rather than as text).
// Spaces around a value are not part of it.
function readNumber(raw) {
  const text = raw.trim();
  // The common case without a regular expression: Number() reads every plain decimal the same,
  // and beyond them only '' and the 0x/0b/0o spellings, which go the long way to be refused.
  const quick = Number(text);
  if (text !== '' && text.length <= MAX_NUMBER_TEXT && Number.isFinite(quick) && !radixPrefixed(text)) return quick;
  if (/^[-+]?(nan|inf|infinity)$/i.test(text)) return NaN;
  return readDecimal(text);
}

function summary(name, values) {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { name, mean, std: Math.sqrt(squares / values.length), min, max };
}

// A header is a first row with text where the rows below mostly hold numbers in the same column
// (a stray word in the data is then reported by its line, not taken for a header).
function looksLikeHeader(rows) {
  const below = rows.slice(1, 1 + HEADER_PROBE);
  if (below.length === 0) return rows[0].every((v) => readNumber(v) === undefined);
  const numeric = (j) => below.filter((row) => readNumber(row[j]) !== undefined).length;
  return rows[0].some((v, j) => readNumber(v) === undefined && 2 * numeric(j) >= below.length);
}

function radixPrefixed(text) {
  const letter = text.charCodeAt(1) | 32; // lower case
  return text.charCodeAt(0) === 48 && (letter === 120 || letter === 98 || letter === 111); // 0x, 0b, 0o
}

// A row of only spaces (a line of spaces and delimiters), as papaparse's 'greedy' would skip.
function blankRow(row) {
  for (const value of row) if (value.trim() !== '') return false;
  return true;
}

function withoutBlankRows(rows) {
  return rows.some(blankRow) ? rows.filter((row) => !blankRow(row)) : rows;
}

// The line (from 1) that character `index` of `text` is on.
function lineAt(text, index) {
  return text.slice(0, index).split(/\r\n|\r|\n/).length;
}

// `lineOf(i)`: the file line row i starts on, the lines found (once) when a message first needs one.
function rowLineFinder(text) {
  let lines = null;
  return (i) => (lines ??= rowLines(text))[i];
}

// The file line each parsed row starts on: rows start after line breaks outside quotes, skipping blank lines
// as papaparse does (a line of only spaces and delimiters is blank).
function rowLines(text) {
  const lines = [];
  let line = 1;
  let quoted = false;
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line += 1;
      // A break inside quotes is part of a value: the row goes on.
      blank ||= !quoted;
      continue;
    }
    if (blank && !/[\s,;|]/.test(c)) {
      lines.push(line);
      blank = false;
    }
  }
  return lines;
}

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function quote(text) {
  return JSON.stringify(text.length > 30 ? `${text.slice(0, 30)}…` : text);
}
