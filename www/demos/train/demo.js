// Train: a small network learns 2-D data under several learning-rate schedules at once, each run
// (arm) from several seeds in lockstep, on the same batches per seed, on WebGPU or the CPU path.
// Self-contained: everything it needs arrives through `ctx` (see main.js).
import { h } from '../../dom.js';
import { median } from '../../experiment/index.js';
import { COLORS } from '../../plot.js';
import { demoNotice } from '../../notice.js';
import { validSpecs } from '../../schedule-editor.js';
import { laterErrors } from './all-errors.js';
import { armSlice } from './arms.js';
import { experimentView } from './experiment-view.js';
import { armResults, setUpFindings } from './findings.js';
import { Heatmap } from './heatmap.js';
import { scheduleLabel } from './labels.js';
import { LossPanel } from './loss-panel.js';
import { readableError } from './messages.js';
import { isRegression, sessionOptions } from './options.js';
import { SPEEDS, speedFromKey, speedKey, speedText } from './pace.js';
import { presetById } from './presets.js';
import { RateTracks } from './rate-tracks.js';
import { armReport, runState, stoppedBefore } from './run-states.js';
import { runList } from './runs.js';
import { settingsPanel } from './settings.js';
import { layerTable, runTable } from './tables.js';
import { plateauPanel } from './plateau.js';
import { Trainer } from './trainer.js';
import { STATE } from './state.js';
import { SetView } from './set-view.js';
import { ownDataControl, withOwnData } from '../../data-input/own-data.js';
import { weightsPanel } from '../../weights.js';
import { errorText } from '../../messages.js';

const DEFAULTS = Object.fromEntries(STATE.map((entry) => [entry.key, entry.default]));

export default function mount(ctx) {
  // A preset's link opens its set-up; the preset stays named until a setting changes.
  const preset = presetById(ctx.state.preset);
  let state = preset ? { ...ctx.state, ...preset.settings } : ctx.state;
  let settings = null;
  let runEditors = null;
  let table = null;
  let view = null;
  let shown = null; // the session the table and findings were made for
  let layout = { seeds: state.seeds }; // the held session's seeds per run
  let frame = 0;
  let renders = 0;
  let mounted = true;
  let errorsAsked = 0;

  const trainer = new Trainer(ctx.engine, { onUpdate, onBackend, onError });
  trainer.setSpeed(speedFromKey(state.speed));
  const rates = new RateTracks(ctx.engine, () => requestDraw());
  // Start, Step and Restart act on a session: disabled until one exists (draw() enables them).
  const startButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'train-start', 'data-autoplay': true, disabled: true, onclick: () => (trainer.playing ? trainer.pause() : trainer.play()) }, 'Start');
  const stepButton = h('button', { type: 'button', 'data-testid': 'train-step', disabled: true, onclick: () => trainer.step() }, 'Step');
  const resetButton = h('button', { type: 'button', 'data-testid': 'train-reset', disabled: true, onclick: () => rebuild(), title: 'Start again from the initial weights' }, 'Restart');
  const speedPicker = h(
    'select',
    { 'data-testid': 'train-speed', 'aria-label': 'Speed', onchange: () => changeSpeed(speedPicker.value) },
    SPEEDS.map((speed) => h('option', { value: speedKey(speed) }, speedText(speed))),
  );
  speedPicker.value = state.speed;
  const counter = h('span', { class: 'counter', 'data-testid': 'train-counter' });
  const notice = demoNotice('train-error');
  // An edit that a running session cannot take: it waits for a restart, which the reader asks for.
  const restartText = h('span', { 'data-testid': 'train-pending-message' });
  const restartButton = h('button', { type: 'button', 'data-testid': 'train-restart', onclick: () => rebuild() }, 'Restart with the new settings');
  const pending = h('div', { class: 'train-pending', role: 'status', 'data-testid': 'train-pending', hidden: true }, restartText, restartButton);
  const experiment = experimentView();
  const panel = new LossPanel({ smoothing: state.smoothing, onSmoothing: (smoothing) => update({ smoothing }), compact: document.body.classList.contains('embed') });
  const settingsBox = h('div');
  const runsBox = h('div');
  const tableBox = h('div', { class: 'run-table-box' });
  const canvas = h('canvas', { width: 320, height: 320, class: 'heatmap', 'data-testid': 'heatmap', role: 'img' });
  const caption = h('figcaption');
  const heatmapFigure = h('figure', {}, canvas, caption);
  const setView = new SetView();
  const own = ownDataControl({ wanted: state.own, onChange: (table) => changed({ own: Boolean(table) }), onError: ctx.notify });
  const layers = layerTable();
  const layersTitle = h('h3');
  const plateaus = plateauPanel();
  const weights = weightsPanel(ctx.engine, {
    target: () => trainer.session && { id: trainer.session.id, run: trainer.selected, layers: sessionOptions(state).layers, activation: state.activation },
    onLoaded: () => trainer.select(trainer.selected),
    onError: (message) => notice.show(message),
    testid: 'train-weights',
  });

  const regions = {
    intro: h(
      'p',
      { class: 'intro' },
      'A small network learns a 2-D data set under several learning-rate schedules at once. Each run trains from one or more seeds (initial weights and batch order); seed k of every run is the same, so runs compare seed by seed. The thick line is the smoothed training loss (the median over seeds, its band the middle half), dots the validation loss, and the track below each run’s rate.',
    ),
    presets: experiment.presets,
    toolbar: h('div', { class: 'toolbar' }, startButton, stepButton, resetButton, h('label', { class: 'speed' }, 'Speed ', speedPicker), counter),
    status: h('div', {}, notice.element, pending),
    settings: h('div', {}, settingsBox, own.element),
    plots: h('div', { class: 'train-plots' }, panel.element, heatmapFigure, setView.element),
    findings: experiment.findings,
    tables: h('div', { class: 'train-tables' }, h('div', {}, tableBox, weights.element), h('div', {}, layersTitle, layers.element), plateaus.element),
    runs: h('div', {}, h('h2', {}, 'Runs'), runsBox),
  };
  const heatmap = new Heatmap(canvas);

  requestDraw();
  start();
  return {
    regions,
    unmount() {
      mounted = false;
      trainer.destroy();
      setView.destroy();
      cancelAnimationFrame(frame);
      panel.destroy();
    },
  };

  async function start() {
    let kinds;
    let fields;
    try {
      [kinds, fields] = await Promise.all([ctx.engine.kinds(), ctx.engine.optionFields()]);
      state.own = Boolean(await own.ready);
      const schedules = await validSpecs(ctx.engine, kinds, state.runs.map((run) => run.schedule), ctx.notify, (i) => `Run ${i + 1}'s schedule`);
      state.runs = state.runs.map((run, i) => ({ ...run, schedule: schedules[i] }));
    } catch (err) {
      notice.show(`The engine could not start: ${errorText(err)}`, start);
      return;
    }
    if (!mounted) return;
    state.selected = Math.min(state.selected, state.runs.length - 1);
    ctx.setState(state);
    settings = settingsPanel(state, fields, changed);
    settingsBox.replaceChildren(settings.element);
    const runCode = (run, target) => ctx.engine.exportRunCode(sessionOptions(state), { run, target });
    runEditors = runList(state.runs, kinds, (next) => changed({ runs: next, selected: Math.min(state.selected, next.length - 1) }), runCode);
    runsBox.replaceChildren(runEditors.element);
    rebuild();
  }

  // A change of the page state that needs no new session (speed, smoothing).
  function update(patch) {
    state = { ...state, ...patch };
    ctx.setState(state);
    requestDraw();
  }

  function changeSpeed(key) {
    update({ speed: key });
    trainer.setSpeed(speedFromKey(key));
  }

  // An edit: the budget and a run's schedule take effect at the next step; anything else makes a
  // new session, at once before training, else when the reader restarts (never silently).
  function changed(patch) {
    const before = state;
    state = { ...state, ...patch, preset: 'none' };
    ctx.setState(state);
    const keys = Object.keys(patch);
    if (keys.every((key) => key === 'trainsteps')) {
      trainer.setBudget(state.trainsteps);
      rates.sample(state.runs, state.trainsteps);
      return;
    }
    const s = trainer.session;
    if (!s || s.steps === 0) {
      rebuild();
      return;
    }
    const changedArms = scheduleEdits(before.runs, state.runs);
    if (keys.every((key) => key === 'runs' || key === 'selected') && changedArms && layout.seeds === state.seeds) {
      changedArms.forEach((arm) => changeSchedule(s, arm));
      return;
    }
    restartText.textContent = `Your change applies to a new session: the runs start again from step 0 (they are at step ${s.steps}).`;
    pending.hidden = false;
  }

  // A run's new schedule from the next step on, once the engine has checked it.
  async function changeSchedule(s, arm) {
    const spec = state.runs[arm].schedule;
    try {
      await ctx.engine.validate(spec);
    } catch (err) {
      // The schedule's own path, inside the runs the page lists (one seed: arm and run are one).
      const path = `runs[${arm}].schedule.`;
      runEditors.showError(readableError(Object.assign(new Error(path + err.message), { field: path + err.field }), 1));
      return;
    }
    runEditors.clearErrors();
    const at = s.steps;
    await trainer.updateSchedule(armSlice([...Array(s.runs).keys()], arm, layout.seeds), spec);
    rates.change(arm, spec, at, state.trainsteps);
    ctx.notify(`Run ${arm + 1} follows its new schedule from step ${at} on, counting its steps from 0 there.`);
  }

  function rebuild() {
    settings.clearErrors();
    runEditors.clearErrors();
    runEditors.refreshCode();
    notice.show(null);
    pending.hidden = true;
    layout = { seeds: state.seeds };
    rates.sample(state.runs, state.trainsteps);
    const ownTable = ownData();
    const options = sessionOptions(state);
    trainer.rebuild(ownTable ? withOwnData(options, ownTable) : options, { budget: state.trainsteps, selected: state.selected * state.seeds });
  }

  // The table trained on when the page is set to own data (null: a built-in set).
  function ownData() {
    return state.own ? (own.current()?.table ?? null) : null;
  }

  function label(i) {
    return `${i + 1} ${scheduleLabel(state.runs[i].schedule)}`;
  }

  function onBackend(backend, { moved }) {
    ctx.showBackend(backend);
    if (moved) ctx.notify(`Training moved to the CPU path: ${backend.fallback ?? 'the GPU is gone'}.`);
  }

  // The engine's Error goes next to the control its `field` names, in the page's words (fixing it
  // makes a new session), else above the plots with a new session to try (the worker may have
  // failed). A refused set-up is tried again without each bad value, so all of them show.
  function onError(error, stage) {
    const first = readableError(error, layout.seeds);
    showErrors([first]);
    if (stage !== 'session' || typeof error?.field !== 'string') return;
    const asked = ++errorsAsked;
    const options = sessionOptions(state);
    laterErrors(ctx.engine, options, error, sessionOptions({ ...DEFAULTS, seeds: state.seeds }), () => asked === errorsAsked && mounted).then((later) => {
      if (asked !== errorsAsked || later.length === 0) return;
      const all = [first, ...later.map((e) => readableError(e, layout.seeds))];
      showErrors(all.filter((e, i) => all.findIndex((other) => other.field === e.field) === i));
    });
  }

  function showErrors(errors) {
    const left = runEditors.showErrors(settings.showErrors(errors));
    notice.show(left.length ? left.map((e) => e.message).join(' ') : null, left.length ? rebuild : null);
  }

  function requestDraw() {
    if (mounted && !frame) frame = requestAnimationFrame(draw);
  }

  // Results arrive as the worker sends them; they are drawn at the next frame, at most once a frame.
  function onUpdate(next) {
    view = next;
    requestDraw();
  }

  function draw() {
    frame = 0;
    if (!view) return drawStarting();
    const { session: s, playing, budget, finished } = view;
    startButton.textContent = playing ? 'Pause' : s?.steps && !finished ? 'Resume' : 'Start';
    startButton.disabled = !s || (finished && !playing);
    stepButton.disabled = !s || playing || s.busy || finished;
    resetButton.disabled = !s;
    counter.textContent = s ? `step ${s.steps} of ${budget}${finished ? ' (done)' : ''}` : '';
    // Without a session (a refused set-up), the last runs' table stays, marked as past.
    tableBox.classList.toggle('stale', !s);
    weights.update();
    if (!s) return;
    if (s !== shown) newSession(s);
    const { seeds } = layout;
    const arms = state.runs.length === s.runs / seeds ? state.runs.map((_, i) => i) : [];
    const ownTable = ownData();
    const regression = ownTable ? ownTable.task === 'regression' : isRegression(state.data);
    const states = s.losses.map((_, r) => runState(s.report?.[r], s.blownUp[r], s.steps, budget));
    panel.update(
      arms.map((i) => ({
        label: label(i),
        color: COLORS[i],
        losses: armSlice(s.losses, i, seeds),
        stops: armSlice(states, i, seeds).map((st) => (st.state === 'diverged' ? st.step : null)),
        // A diverged seed's weights stay where they blew up: its later evaluations are not drawn.
        evaluations: s.evaluations.map((e) => ({ step: e.step, values: armSlice(e.report, i, seeds).map((r, k) => (stoppedBefore(states[i * seeds + k], e.step) ? NaN : r.validation_loss)) })),
        rates: rates.of(i),
      })),
      budget,
      s,
    );
    const selected = Math.min(state.selected, arms.length - 1);
    heatmapFigure.hidden = Boolean(s.set);
    setView.element.hidden = !s.set;
    if (s.set) setView.draw(s.set, { images: state.data === 'digits' && !ownTable, regression, classes: ownTable?.classes ?? [], target: ownTable?.targetStats, run: selected });
    else if (s.grid) heatmap.draw(s.grid, s.points);
    const seedText = seeds > 1 ? ' (its first seed)' : '';
    caption.textContent = regression
      ? `Run ${selected + 1}'s prediction${seedText} over the data's square (red −1, blue +1), with the training points`
      : `Run ${selected + 1}'s probability of ${ownTable ? `"${ownTable.classes[1]}"` : 'class 1'}${seedText} over the data's square (red 0, blue 1), with the training points`;
    canvas.setAttribute('aria-label', `${caption.textContent}, at step ${s.steps}.`);
    table.update(
      arms.map((i) => armReport(armSlice(s.report ?? [], i, seeds), armSlice(states, i, seeds))),
      arms.map((i) => median(armSlice(s.losses, i, seeds).map((l) => l.at(-1)))),
      selected,
      regression,
    );
    layersTitle.textContent = `Layers of run ${selected + 1}`;
    layers.update(s.stats);
    const shownPreset = presetById(state.preset);
    const done = finished && s.evaluations.length > 1 && arms.length > 0;
    if (done && !s.findings) {
      const results = armResults(arms.map((i) => scheduleLabel(state.runs[i].schedule)), s.evaluations, states, seeds);
      s.findings = shownPreset ? shownPreset.findings(results, budget) : setUpFindings(results);
    }
    experiment.show({ preset: shownPreset, sentences: s.findings ?? [], seeds, done });
    // A ReduceLROnPlateau run's state: its first seed's (every seed steps its own scheduler).
    plateaus.update(s.report && state.runs.map((_, i) => s.report[i * seeds]), state.runs.map((_, i) => label(i)), COLORS);

    renders += 1;
    // What the views show, for end-to-end tests and the curious in the console; loseDevice
    // destroys the GPU device under the session, as a driver reset would (a test hook, no button).
    globalThis.__lrp = {
      ...globalThis.__lrp,
      train: { renders, steps: s.steps, losses: s.losses, plotted: panel.data, report: s.report, states, backend: s.backend, playing, findings: s.findings ?? null, loseDevice: () => trainer.loseDevice() },
    };
  }

  // Before the engine has a session: the loss panel's axes over the budget, every run in its
  // legend (and its rate track once sampled), no loss yet, and the counter and the heat map's
  // caption (which an embed shows with its controls folded) say why.
  function drawStarting() {
    counter.textContent = 'starting the engine…';
    caption.textContent = 'Starting the engine…';
    const noLosses = () => Array.from({ length: state.seeds }, () => []);
    panel.update(state.runs.map((_, i) => ({ label: label(i), color: COLORS[i], losses: noLosses(), stops: [], evaluations: [], rates: rates.of(i) })), state.trainsteps, null);
  }

  // The run table for the session now held: one row per run, whose radio picks the heatmap's.
  function newSession(s) {
    shown = s;
    table = runTable(
      state.runs.map((_, i) => label(i)),
      COLORS,
      (i) => {
        state.selected = i;
        ctx.setState(state);
        trainer.select(i * layout.seeds);
      },
    );
    tableBox.replaceChildren(table.element);
  }
}

// Which runs changed only their schedule between `before` and `after` (indices), or null when
// something else changed too (a run added or removed, a seed).
function scheduleEdits(before, after) {
  if (before.length !== after.length) return null;
  const edited = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i].seed !== after[i].seed) return null;
    if (JSON.stringify(before[i].schedule) !== JSON.stringify(after[i].schedule)) edited.push(i);
  }
  return edited;
}
