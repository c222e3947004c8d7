// The Train demo's readouts as tables: one row per run (its state, loss and accuracy, and which
// run the heatmap shows), and one row per layer of the shown run.
import { h } from '../../dom.js';
import { formatTick } from '../../format.js';

/** A run's state in words: "ready", "training", "diverged at step 41", "finished" (its `text` where it has one). */
export function statusText({ state, diverged_at, text }) {
  if (text !== undefined) return text;
  return state === 'diverged' ? `diverged at step ${diverged_at}` : state;
}

/** Three significant digits (format.js); a dash where there is no value (a diverged run, accuracy of a regression). */
export function formatNumber(x) {
  return Number.isFinite(x) ? formatTick(x) : '–';
}

function formatPercent(x) {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–';
}

/**
 * `labels[i]`, `colors[i]` per run; `onSelect(i)` when a run is picked for the heatmap. Returns
 * { element, update(report, lastLosses, selected, regression) }.
 */
export function runTable(labels, colors, onSelect) {
  const rows = labels.map((label, i) => {
    const radio = h('input', { type: 'radio', name: 'train-shown-run', 'data-testid': `show-run-${i}`, 'aria-label': `Show run ${i + 1} in the heatmap`, onchange: () => onSelect(i) });
    const cells = { status: h('td', { 'data-testid': `run-status-${i}` }), loss: h('td'), train: h('td'), validation: h('td') };
    const row = h(
      'tr',
      { style: `--series-color: ${colors[i]}` },
      h('td', {}, h('label', {}, radio, h('span', { class: 'swatch', 'aria-hidden': 'true' }), ` ${label}`)),
      cells.status,
      cells.loss,
      cells.train,
      cells.validation,
    );
    return { radio, cells, row };
  });
  const trainHead = h('th');
  const validationHead = h('th');
  const element = h(
    'table',
    { class: 'readout', 'data-testid': 'run-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Run (shown)'), h('th', {}, 'State'), h('th', {}, 'Batch loss'), trainHead, validationHead)),
    h('tbody', {}, rows.map((r) => r.row)),
  );
  return {
    element,
    update(report, lastLosses, selected, regression) {
      trainHead.textContent = regression ? 'Train loss' : 'Train acc.';
      validationHead.textContent = regression ? 'Validation loss' : 'Validation acc.';
      rows.forEach(({ radio, cells }, i) => {
        const run = report?.[i];
        // A diverged network's outputs are NaN: whatever accuracy they score means nothing.
        const live = run?.state !== 'diverged';
        radio.checked = i === selected;
        cells.status.textContent = run ? statusText(run) : '';
        cells.status.dataset.state = run?.state ?? '';
        cells.loss.textContent = formatNumber(lastLosses[i]);
        cells.train.textContent = regression ? formatNumber(run?.train_loss) : formatPercent(live && run?.train_accuracy);
        cells.validation.textContent = regression ? formatNumber(run?.validation_loss) : formatPercent(live && run?.validation_accuracy);
      });
    },
  };
}

/** Returns { element, update(stats) } for Session.layerStats() rows. */
export function layerTable() {
  const body = h('tbody');
  const element = h(
    'table',
    { class: 'readout', 'data-testid': 'layer-table' },
    h('thead', {}, h('tr', {}, ['Layer', 'Group', 'Rate', '‖W‖', '‖∇W‖', '‖ΔW‖ / ‖W‖'].map((title) => h('th', {}, title)))),
    body,
  );
  return {
    element,
    update(stats) {
      body.replaceChildren(
        ...(stats ?? []).map((s) =>
          h('tr', {}, [`Linear ${s.layer}`, String(s.group), formatNumber(s.lr), formatNumber(s.weight_norm), formatNumber(s.grad_norm), formatNumber(s.update_ratio)].map((text) => h('td', {}, text))),
        ),
      );
    },
  };
}
