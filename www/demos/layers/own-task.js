// Layers on the user's own CSV: their classes split in two, as the digits task splits 0–4 from
// 5–9. The network pretrains on the first half of the classes (task A) and its body fine-tunes on
// the second half with a few rows a class (task B): the same features, new classes to tell apart.
// No DOM, no engine: the task is data, shaped as options.js's TASKS are.

/** Classes needed: two for task A and two for task B. */
export const MIN_CLASSES = 4;
/** Task A's rows at most: 30 epochs of pretraining stay a matter of seconds. */
export const MAX_PRETRAIN_ROWS = 2000;
/** Task B's training rows a class (a fifth more are drawn and held out), as in the digits task. */
export const FEW_PER_CLASS = 20;
/** Rows a batch, as the built-in tasks: A's many rows, B's few. */
const BATCH = { a: 32, b: 10 };
/** Held out of each set (options.js VALIDATION): B draws enough to keep FEW_PER_CLASS training rows. */
const HELD_OUT = 0.2;
/** Augmentation for the recipe's first step: standardised features get a little noise, nothing turns. */
export const OWN_AUGMENT = { rotate: 0, jitter: 0.05, flip: false, seed: 7 };

/** What Layers does with a CSV, said in the page beside the file input. */
export const OWN_TASK_TEXT = `In Layers your classes split in two, as the digits task does: the network pretrains on the first half of them (task A, up to ${MAX_PRETRAIN_ROWS.toLocaleString('en')} rows), then its body fine-tunes on the other half with ${FEW_PER_CLASS} rows a class (task B), beside the same network trained from scratch. The target must have at least ${MIN_CLASSES} classes.`;

/** Why `table` (data-input/table.js) cannot be a Layers task, or null when it can. */
export function ownTaskProblem(table) {
  if (table.task !== 'classes') return `Layers needs classes to split into two tasks; the target "${table.names[table.target]}" is a number to predict. Train and Find take it as it is.`;
  if (table.classes.length < MIN_CLASSES) return `Layers needs at least ${MIN_CLASSES} classes to split into two tasks (two to pretrain on, two to fine-tune on); "${table.names[table.target]}" has ${table.classes.length}. Train and Find take it as it is.`;
  const { a, b } = splitClasses(table);
  const rowsOf = (classes) => classes.reduce((sum, c) => sum + table.counts[c], 0);
  const least = { a: Math.ceil(BATCH.a / (1 - HELD_OUT)), b: Math.ceil(BATCH.b / (1 - HELD_OUT)) };
  if (rowsOf(a) < least.a) return `Task A (classes ${names(table, a)}) has ${rowsOf(a)} rows; pretraining needs at least ${least.a}.`;
  if (rowsOf(b) < least.b) return `Task B (classes ${names(table, b)}) has ${rowsOf(b)} rows; fine-tuning needs at least ${least.b}.`;
  return null;
}

const tasks = new WeakMap();

/**
 * The Layers task for `table` and `seed` (a TASKS entry: a and b with data, classes, batch,
 * inputs and rows), or null when ownTaskProblem refuses the table. The rows are drawn with the
 * seed; the same table and seed give the same task object.
 */
export function ownTask(table, seed) {
  if (ownTaskProblem(table)) return null;
  if (!tasks.has(table)) tasks.set(table, new Map());
  const bySeed = tasks.get(table);
  if (!bySeed.has(seed)) bySeed.set(seed, buildTask(table, seed));
  return bySeed.get(seed);
}

/** The classes of task A (the first half, in the preview's order) and of task B (the rest). */
export function splitClasses(table) {
  const indices = table.classes.map((_, c) => c);
  const half = Math.ceil(indices.length / 2);
  return { a: indices.slice(0, half), b: indices.slice(half) };
}

/** How a task's set reads in the page's sentences, e.g. "your classes setosa, versicolor, 120 rows". */
export function ownSetWords(set) {
  return `your classes ${set.names.join(', ')}, ${set.rows} rows`;
}

function buildTask(table, seed) {
  const { a, b } = splitClasses(table);
  const order = shuffled(table.rows, seed);
  const perClassB = Math.ceil(FEW_PER_CLASS / (1 - HELD_OUT));
  const pick = (classes, perClass, most) => {
    const wanted = new Set(classes);
    const taken = new Map(classes.map((c) => [c, 0]));
    const rows = [];
    for (const i of order) {
      const c = table.y[i];
      if (!wanted.has(c) || taken.get(c) >= perClass || rows.length >= most) continue;
      taken.set(c, taken.get(c) + 1);
      rows.push(i);
    }
    return rows;
  };
  const set = (classes, rows, batch) => ({
    data: rowsData(table, rows),
    classes: table.classes.length,
    batch,
    inputs: table.features,
    rows: rows.length,
    names: classes.map((c) => table.classes[c]),
  });
  return {
    label: 'your own data',
    own: true,
    augment: OWN_AUGMENT,
    a: set(a, pick(a, Infinity, MAX_PRETRAIN_ROWS), BATCH.a),
    b: set(b, pick(b, perClassB, Infinity), BATCH.b),
  };
}

// The Session data option for `rows` of the table. Labels keep their class numbers: both heads are
// as wide as the table has classes (a head wider than a task's classes has outputs never chosen).
function rowsData(table, rows) {
  const { features } = table;
  const x = new Array(rows.length * features);
  rows.forEach((i, r) => {
    for (let k = 0; k < features; k++) x[r * features + k] = table.x[i * features + k];
  });
  return { x, y: rows.map((i) => table.y[i]), features };
}

// 0..count-1 in an order drawn from `seed` (Fisher–Yates over a 32-bit integer hash).
function shuffled(count, seed) {
  const order = Array.from({ length: count }, (_, i) => i);
  let state = (seed ^ 0x9e3779b9) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function names(table, classes) {
  return classes.map((c) => table.classes[c]).join(', ');
}
