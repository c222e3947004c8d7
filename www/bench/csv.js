// The own-data benchmark: a CSV file at the page's row limit (100,000 rows, 5 number columns and a
// text class) read into a training table by the page's own code (data-input/table.js), on the
// main thread as the page does it. Deterministic text, so every run times the same file.
import { LIMITS, parseTable } from '../data-input/table.js';
import { median, pause, round, timeMs } from './stats.js';

// Five columns of three decimals: about 4.3 MB, near the 5 MB limit.
const FEATURES = 5;
const CLASSES = ['setosa', 'versicolor', 'virginica'];

/** The benchmark's file: a header and LIMITS.rows rows of numbers with three decimals. */
export function benchmarkCsv() {
  const lines = [[...Array.from({ length: FEATURES }, (_, j) => `feature ${j + 1}`), 'species'].join(',')];
  let state = 1;
  const next = () => {
    // A small LCG: the same numbers on every machine.
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state / 2 ** 31) * 20 - 10;
  };
  for (let i = 0; i < LIMITS.rows; i++) lines.push([...Array.from({ length: FEATURES }, () => next().toFixed(3)), CLASSES[i % 3]].join(','));
  return lines.join('\n');
}

/** Median ms of `reps` reads of the file, with its size; the target is under a second. */
export async function csvParseTimes({ reps, status }) {
  status(`Reading a ${LIMITS.rows.toLocaleString('en')}-row CSV…`);
  const text = benchmarkCsv();
  const times = [];
  let rows = 0;
  for (let r = 0; r < reps; r++) {
    await pause();
    times.push(await timeMs(() => (rows = parseTable(text).rows)));
  }
  return { rows, features: FEATURES, megabytes: round(text.length / 2 ** 20, 3), ms: round(median(times)), target_ms: 1000 };
}
