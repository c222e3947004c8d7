// "Plateau race" on the page: the engine trains a deep narrow network started near its saddle
// under several schedules, on several seeds each, all at once (plateauRace); the figure shows each
// schedule's median loss, a table of when each left the plateau, and a sentence saying what the
// race found.
import { h } from '../../dom.js';
import { fieldControl } from '../../controls.js';
import { controlPlace, placeError } from '../../field-errors.js';
import { formatTick } from '../../format.js';
import { COLORS, LinePlot } from '../../plot.js';
import { raceFinding, raceRows } from './escape.js';
import { lazyFigure } from './lazy-figure.js';
import { median, medianCurves } from './race.js';
import { RACE_SEEDS, RACE_STEPS } from './state.js';

/**
 * Returns { picture, results, show(visible), run(), exposed(), destroy() }, as networkView does.
 * `values()` gives { seeds, racesteps } from the page state, `onValues(patch)` takes edits. It runs when
 * first shown; Stop ends the race at the engine's next progress report.
 */
export function raceView(engine, { embedded, values, onValues, onError, onDone }) {
  const plotBox = h('div', { class: 'plot', 'data-testid': 'race-plot' });
  const progress = h('span', { class: 'counter', 'data-testid': 'race-progress' });
  const runButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'race-run', onclick: () => run() }, 'Race again');
  const stopButton = h('button', { type: 'button', 'data-testid': 'race-stop', hidden: true, onclick: () => controller?.abort() }, 'Stop');
  const places = new Map();
  const control = (field, key, path) => {
    const c = fieldControl(field, values()[key], (v) => onValues({ [key]: v }), `race-${key}`);
    places.set(path, controlPlace(c));
    return c.element;
  };
  const settings = h(
    'div',
    { class: 'fields race-settings' },
    control({ name: 'seeds', type: 'int', ...RACE_SEEDS, required: true, description: 'Initialisations per schedule' }, 'seeds', 'options.seeds'),
    control({ name: 'steps', type: 'int', ...RACE_STEPS, required: true, description: 'Training steps of the race' }, 'racesteps', 'options.steps'),
  );
  const finding = h('p', { class: 'race-finding', 'data-testid': 'race-finding' });
  const table = h('table', { class: 'surface-table', 'data-testid': 'race-table' });
  const picture = h('div', { class: 'race-picture', hidden: true, 'data-testid': 'race' }, h('div', { class: 'toolbar' }, runButton, stopButton, progress), plotBox);
  const results = h('div', { hidden: true }, finding, table, settings);
  const plot = new LinePlot(plotBox, { height: embedded ? 260 : 320, yLabel: 'loss (median over seeds)' });
  let controller = null;
  let drawn = null;
  const figure = lazyFigure({
    picture,
    results,
    run,
    stop: () => controller?.abort(),
    status: () => ({ running: controller !== null, drawn }),
    destroy() {
      controller?.abort();
      plot.destroy();
    },
  });

  async function run() {
    controller?.abort();
    const own = new AbortController();
    controller = own;
    placeError(places, null);
    stopButton.hidden = false;
    runButton.disabled = true;
    progress.textContent = 'Racing…';
    try {
      const { seeds, racesteps: steps } = values();
      const report = ({ step }) => {
        if (own === controller) progress.textContent = `Racing: step ${step} of ${steps}`;
      };
      const result = await engine.plateauRace({ seeds, steps }, report, own.signal);
      if (own === controller && figure.visible()) draw(result);
    } catch (err) {
      if (own === controller && figure.visible() && !placeError(places, err)) onError(err);
      if (own === controller) progress.textContent = '';
    } finally {
      if (own === controller) {
        controller = null;
        stopButton.hidden = true;
        runButton.disabled = false;
      }
    }
  }

  function draw(result) {
    const curves = medianCurves(result.loss, result);
    plot.draw({ steps: result.steps, log: true, series: result.schedules.map((s, i) => ({ label: s.name, color: COLORS[i], values: curves[i] })) });
    table.replaceChildren(
      h('thead', {}, h('tr', {}, ['schedule', 'median escape step', 'spread (quartiles)', 'escaped'].map((text) => h('th', {}, text)))),
      h(
        'tbody',
        {},
        raceRows(result).map((row, i) =>
          h('tr', { 'data-testid': `race-row-${i}` }, h('td', {}, h('span', { class: 'swatch', style: `--series-color: ${COLORS[i]}` }), ` ${row.name}`), h('td', {}, row.median), h('td', {}, row.spread), h('td', {}, row.escaped)),
        ),
      ),
    );
    const stopped = result.cancelled ? `Stopped at step ${result.steps}: ` : '';
    finding.textContent = `${stopped}${raceFinding(result)}`;
    const plateau = median(Float64Array.from(result.plateau_loss).filter(Number.isFinite));
    progress.textContent = `${result.schedules.length} schedules × ${result.seeds} seeds, ${result.steps} steps; the plateau's loss ${formatTick(plateau)} (median over runs), escaped once below half of it.`;
    drawn = { steps: result.steps, seeds: result.seeds, cancelled: result.cancelled, schedules: result.schedules.map(({ name, median: m, escaped }) => ({ name, median: m, escaped })), finding: finding.textContent };
    onDone();
  }

  return figure;
}
