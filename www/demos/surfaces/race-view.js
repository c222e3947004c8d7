// "Plateau race" on the page: the engine trains the reference network from a plateau under
// several schedules on many seeds at once (plateauRace); the figure shows each schedule's median
// loss, a table of when each left the plateau, and a sentence saying what the race found.
import { h } from '../../dom.js';
import { COLORS, LinePlot } from '../../plot.js';
import { raceFinding, raceRows } from './escape.js';
import { medianCurves } from './race.js';

/**
 * Returns { picture, results, show(visible), run(), exposed(), destroy() }, as networkView does.
 * It runs when first shown; Stop ends the race at the engine's next progress report.
 */
export function raceView(engine, { embedded, onError, onDone }) {
  const plotBox = h('div', { class: 'plot', 'data-testid': 'race-plot' });
  const progress = h('span', { class: 'counter', 'data-testid': 'race-progress' });
  const stopButton = h('button', { type: 'button', 'data-testid': 'race-stop', hidden: true, onclick: () => (stopped = true) }, 'Stop');
  const finding = h('p', { class: 'race-finding', 'data-testid': 'race-finding' });
  const table = h('table', { class: 'surface-table', 'data-testid': 'race-table' });
  const picture = h('div', { class: 'race-picture', hidden: true, 'data-testid': 'race' }, h('div', { class: 'toolbar' }, progress, stopButton), plotBox);
  const results = h('div', { hidden: true }, finding, table);
  const plot = new LinePlot(plotBox, { height: embedded ? 260 : 320, yLabel: 'loss (median over seeds)' });
  let visible = false;
  let ticket = 0;
  let stopped = false;
  let running = false;
  let drawn = null;

  function show(on) {
    visible = on;
    picture.hidden = !on;
    results.hidden = !on;
    if (!on) stopped = true;
    else if (!drawn && !running) run();
  }

  async function run() {
    const mine = ++ticket;
    stopped = false;
    running = true;
    stopButton.hidden = false;
    progress.textContent = 'Racing…';
    try {
      const result = await engine.plateauRace({}, ({ step }) => {
        if (mine === ticket) progress.textContent = `Racing: step ${step}`;
        return !stopped;
      });
      if (mine === ticket && visible) draw(result);
    } catch (err) {
      if (mine === ticket && visible) onError(err);
    } finally {
      if (mine === ticket) {
        running = false;
        stopButton.hidden = true;
      }
    }
  }

  function draw(result) {
    const curves = medianCurves(result.loss, result);
    plot.draw({ steps: result.steps, log: true, series: result.schedules.map((s, i) => ({ label: s.name, color: COLORS[i], values: curves[i] })) });
    const rows = raceRows(result);
    table.replaceChildren(
      h('thead', {}, h('tr', {}, ['schedule', 'median escape step', 'spread (quartiles)', 'escaped'].map((text) => h('th', {}, text)))),
      h('tbody', {}, rows.map((row, i) => h('tr', { 'data-testid': `race-row-${i}` }, h('td', {}, h('span', { class: 'swatch', style: `--series-color: ${COLORS[i]}` }), ` ${row.name}`), h('td', {}, row.median), h('td', {}, row.spread), h('td', {}, row.escaped)))),
    );
    finding.textContent = raceFinding(result);
    progress.textContent = `${result.seeds} seeds, ${result.steps} steps; the plateau's loss is ${result.plateau_loss.toPrecision(3)}.`;
    drawn = { steps: result.steps, seeds: result.seeds, schedules: result.schedules.map((s) => s.name), finding: finding.textContent };
    onDone();
  }

  return {
    picture,
    results,
    show,
    run,
    exposed: () => ({ running, drawn }),
    destroy() {
      ticket += 1;
      stopped = true;
      plot.destroy();
    },
  };
}
