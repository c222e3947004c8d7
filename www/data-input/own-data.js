// Own data in a demo: the panel and what it holds, the saved table brought back on load, and a
// demo's Session options turned to train on it (inputs, outputs and loss follow the table; the
// rest is the demo's).
import { ownDataPanel } from './panel.js';
import { loadOwnData, saveOwnData } from './store.js';
import { HEADER_OPTION, parseTable, tableData } from './table.js';

/**
 * The saved data set read again: { source, table }, or null when this browser has none (a link
 * made elsewhere) or it no longer reads (then `onError(message)` says why).
 */
export async function restoreOwnData(onError) {
  let source;
  try {
    source = await loadOwnData();
  } catch (err) {
    onError(`Your saved data could not be opened from this browser's storage: ${err.message}`);
    return null;
  }
  if (!source) return null;
  try {
    return { source, table: parseTable(source.text, { header: HEADER_OPTION[source.header], target: source.target }) };
  } catch (err) {
    onError(`Your saved data (${source.name}) no longer reads: ${err.message}`);
    return null;
  }
}

/** The width of the network's last layer for a table: one per class, or one value. */
export function outputsOf(table) {
  return table.task === 'classes' ? table.classes.length : 1;
}

/**
 * `options` (a demo's Session options) trained on `table` instead: the first and last layer
 * widths, the loss and the data follow the table; `validation` is the share held out.
 */
export function withOwnData(options, table, { validation = 0.2 } = {}) {
  const hidden = options.layers.slice(1, -1);
  return {
    ...options,
    layers: [table.features, ...hidden, outputsOf(table)],
    loss: table.task === 'classes' ? 'cross_entropy' : 'mse',
    data: tableData(table, { validation, seed: options.data?.seed ?? 0 }),
  };
}

/**
 * The own-data panel with its state, for a demo: `wanted` (the link's own-data flag) restores the
 * saved set, or explains that a link's data stays on the machine that made it. `onChange(own)`
 * gets { source, table } when the user trains on a file, null when they go back; `onError(message)`
 * what could not be kept. `purpose` and `check(table)` as ownDataPanel takes them: a saved set the
 * check refuses is not restored (onError says why). Returns { element, ready: Promise<own | null>, current() }.
 */
export function ownDataControl({ wanted, onChange, onError, purpose, check = () => null }) {
  let own = null;
  const panel = ownDataPanel({
    purpose,
    check,
    onUse(source, table) {
      own = { source, table };
      panel.setActive(source, table);
      saveOwnData(source).catch((err) => onError(`Training on ${source.name}, but this browser could not keep it for the next visit: ${err.message}`));
      onChange(own);
    },
    onLeave() {
      own = null;
      panel.setActive(null, null);
      onChange(null);
    },
  });
  const ready = wanted
    ? restoreOwnData(onError).then((found) => {
        const problem = found && check(found.table);
        if (problem) onError(`Your saved data (${found.source.name}) is not used here: ${problem}`);
        own = problem ? null : found;
        if (own) panel.setActive(own.source, own.table);
        else if (!problem) panel.showMissing();
        return own;
      })
    : Promise.resolve(null);
  return { element: panel.element, ready, current: () => own };
}
