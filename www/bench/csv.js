// The own-data benchmark: a CSV file at the page's row limit (100,000 rows, 5 number columns and a
// text class) read into a training table by the page's own code (data-input/table.js), on the
// main thread as the page does it, and the same file dropped on the own-data panel until its preview
// is painted (reading the file, the table, the preview), then kept in IndexedDB as "Train on this
// data" does after the fact. Deterministic text, so every run times the same file.
import { LIMITS, parseTable } from '../data-input/table.js';
import { ownDataPanel } from '../data-input/panel.js';
import { saveOwnData } from '../data-input/store.js';
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

/**
 * Median ms of `reps` reads of the file (`ms`), of drops on the panel until the preview is painted
 * (`preview_ms`, the figure the target is for: under a second) and of keeping it (`store_ms`).
 */
export async function csvParseTimes({ reps, status }) {
  status(`Reading a ${LIMITS.rows.toLocaleString('en')}-row CSV…`);
  const text = benchmarkCsv();
  const times = { read: [], preview: [], store: [] };
  let rows = 0;
  for (let r = 0; r < reps; r++) {
    await pause();
    times.read.push(await timeMs(() => (rows = parseTable(text).rows)));
    await pause();
    times.preview.push(await dropUntilPreview(text));
    await pause();
    times.store.push(await timeMs(() => saveOwnData({ name: 'bench.csv', text, header: 'auto', target: FEATURES })));
  }
  const ms = (list) => round(median(list));
  return { rows, features: FEATURES, megabytes: round(text.length / 2 ** 20, 3), ms: ms(times.read), preview_ms: ms(times.preview), store_ms: ms(times.store), target_ms: 1000 };
}

// Drops `text` as a file on a fresh own-data panel: ms until its preview is in the page and painted.
async function dropUntilPreview(text) {
  const panel = ownDataPanel({ onUse() {}, onLeave() {} });
  document.body.append(panel.element);
  const transfer = new DataTransfer();
  transfer.items.add(new File([text], 'bench.csv', { type: 'text/csv' }));
  const previewed = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (!panel.element.querySelector('[data-testid="own-data-preview"]')) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(resolve, 0));
    });
    observer.observe(panel.element, { childList: true, subtree: true });
  });
  const ms = await timeMs(() => {
    panel.element.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
    return previewed;
  });
  panel.element.remove();
  return ms;
}
