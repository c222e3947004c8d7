// Train: a small network learns 2-D data under several learning-rate schedules at once, all runs
// from their own seeds on the same batches, on WebGPU or the CPU path. Self-contained:
// everything it needs arrives through `ctx` (see main.js).
import { h } from '../../dom.js';
import { COLORS, LinePlot } from '../../plot.js';
import { demoNotice } from '../../notice.js';
import { validSpecs } from '../../schedule-editor.js';
import { Heatmap } from './heatmap.js';
import { settingsPanel } from './settings.js';
import { isRegression, sessionOptions } from './options.js';
import { runList } from './runs.js';
import { layerTable, runTable } from './tables.js';
import { Trainer } from './trainer.js';

export default function mount(ctx) {
  let state = ctx.state;
  let settings = null;
  let runEditors = null;
  let table = null;
  let view = null;
  let plotted = null; // the session whose losses the plot holds
  let frame = 0;
  let renders = 0;
  let mounted = true;

  const trainer = new Trainer(ctx.engine, { onUpdate, onBackend, onError });
  // Start, Step and Reset act on a session: disabled until one exists (draw() enables them).
  const startButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'train-start', 'data-autoplay': true, disabled: true, onclick: () => (trainer.playing ? trainer.pause() : trainer.play()) }, 'Start');
  const stepButton = h('button', { type: 'button', 'data-testid': 'train-step', disabled: true, onclick: () => trainer.step() }, 'Step');
  const resetButton = h('button', { type: 'button', 'data-testid': 'train-reset', disabled: true, onclick: () => rebuild(), title: 'Start again from the initial weights' }, 'Reset');
  const loseButton = h(
    'button',
    { type: 'button', 'data-testid': 'lose-gpu', hidden: true, onclick: () => trainer.loseDevice(), title: 'Destroy the GPU device, as a driver reset would: training carries on on the CPU path' },
    'Lose the GPU',
  );
  const counter = h('span', { class: 'counter', 'data-testid': 'train-counter' });
  const notice = demoNotice('train-error');
  const settingsBox = h('div');
  const runsBox = h('div');
  const tableBox = h('div');
  const lossBox = h('div', { class: 'plot', 'data-testid': 'loss-plot' });
  const canvas = h('canvas', { width: 320, height: 320, class: 'heatmap', 'data-testid': 'heatmap', role: 'img' });
  const caption = h('figcaption');
  const layers = layerTable();
  const layersTitle = h('h3');

  const regions = {
    intro: h(
      'p',
      { class: 'intro' },
      'A small network learns a 2-D data set under several learning-rate schedules at once: the runs see the same batches, so only the schedule (and the seed) differs. A rate too large makes a run diverge; the others carry on.',
    ),
    toolbar: h('div', { class: 'toolbar' }, startButton, stepButton, resetButton, counter, loseButton),
    status: notice.element,
    settings: settingsBox,
    plots: h('div', { class: 'train-plots' }, lossBox, h('figure', {}, canvas, caption)),
    tables: h('div', { class: 'train-tables' }, tableBox, h('div', {}, layersTitle, layers.element)),
    runs: h('div', {}, h('h2', {}, 'Runs'), runsBox),
  };
  const plot = new LinePlot(lossBox, { height: 260, yLabel: 'loss (per batch)' });
  const heatmap = new Heatmap(canvas);

  start();
  return {
    regions,
    unmount() {
      mounted = false;
      trainer.destroy();
      cancelAnimationFrame(frame);
      plot.destroy();
    },
  };

  async function start() {
    let kinds;
    let fields;
    try {
      [kinds, fields] = await Promise.all([ctx.engine.kinds(), ctx.engine.optionFields()]);
      const schedules = await validSpecs(ctx.engine, kinds, state.runs.map((run) => run.schedule), ctx.notify, (i) => `Run ${i + 1}'s schedule`);
      state.runs = state.runs.map((run, i) => ({ ...run, schedule: schedules[i] }));
    } catch (err) {
      notice.show(`The engine could not start: ${err.message}`, start);
      return;
    }
    if (!mounted) return;
    state.selected = Math.min(state.selected, state.runs.length - 1);
    ctx.setState(state);
    settings = settingsPanel(state, fields, changed);
    settingsBox.replaceChildren(settings.element);
    runEditors = runList(state.runs, kinds, (next) => changed({ runs: next, selected: Math.min(state.selected, next.length - 1) }));
    runsBox.replaceChildren(runEditors.element);
    rebuild();
  }

  function changed(patch) {
    state = { ...state, ...patch };
    ctx.setState(state);
    // The length of training is the loop's business; anything else makes a new session.
    if (Object.keys(patch).every((key) => key === 'trainsteps')) trainer.setBudget(state.trainsteps);
    else rebuild();
  }

  function rebuild() {
    settings.clearErrors();
    runEditors.clearErrors();
    notice.show(null);
    table = runTable(
      state.runs.map((_, i) => runLabel(i)),
      COLORS,
      (i) => {
        state.selected = i;
        ctx.setState(state);
        trainer.select(i);
      },
    );
    tableBox.replaceChildren(table.element);
    trainer.rebuild(sessionOptions(state), { budget: state.trainsteps, selected: state.selected });
  }

  function runLabel(i) {
    return `${i + 1} ${state.runs[i].schedule.kind}`;
  }

  function onBackend(backend, { moved }) {
    ctx.showBackend({ backend: backend.backend, adapter: backend.adapter, reason: backend.fallback });
    if (moved) ctx.notify(`Training moved to the CPU path: ${backend.fallback ?? 'the GPU is gone'}.`);
  }

  // The engine's Error goes next to the control its `field` names (fixing it makes a new
  // session), else above the plots with a new session to try (the worker may have failed).
  function onError(error) {
    if (!settings.showError(error) && !runEditors.showError(error)) notice.show(error.message, rebuild);
  }

  // Results arrive as the worker sends them; they are drawn at the next frame, at most once a frame.
  function onUpdate(next) {
    view = next;
    if (mounted && !frame) frame = requestAnimationFrame(draw);
  }

  function draw() {
    frame = 0;
    const { session: s, playing, budget, finished, selected } = view;
    startButton.textContent = playing ? 'Pause' : 'Start';
    startButton.disabled = !s || (finished && !playing);
    stepButton.disabled = !s || playing || s.busy || finished;
    resetButton.disabled = !s;
    loseButton.hidden = s?.backend.backend !== 'webgpu';
    loseButton.disabled = Boolean(s?.deviceLost);
    counter.textContent = s ? `step ${s.steps} of ${budget}${finished ? ' (done)' : ''}` : '';
    if (!s) return;

    const regression = isRegression(state.data);
    // The losses only grow while a session lives: its new points are appended to the plot's.
    plot.extend({ log: true, restart: s !== plotted, series: s.losses.map((values, i) => ({ label: runLabel(i), color: COLORS[i], values })) });
    plotted = s;
    if (s.grid) heatmap.draw(s.grid, s.points);
    caption.textContent = regression
      ? `Run ${selected + 1}'s prediction over the data's square (red −1, blue +1), with the training points`
      : `Run ${selected + 1}'s probability of class 1 over the data's square (red 0, blue 1), with the training points`;
    canvas.setAttribute('aria-label', `${caption.textContent}, at step ${s.steps}.`);
    table.update(s.report, s.losses.map((values) => values.at(-1)), selected, regression);
    layersTitle.textContent = `Layers of run ${selected + 1}`;
    layers.update(s.stats);

    renders += 1;
    // What the views show, for end-to-end tests and the curious in the console.
    globalThis.__lrp = { ...globalThis.__lrp, train: { renders, steps: s.steps, losses: s.losses, plotted: plot.data, report: s.report, backend: s.backend, playing } };
  }
}
