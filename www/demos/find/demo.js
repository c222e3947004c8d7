// Find: Leslie Smith's learning-rate range test, as fastai and torch-lr-finder run it, on K seeds at
// once, with the libraries' suggestions, the seed band, and the chosen rate handed to the Train
// and Schedules demos. Self-contained: everything it needs arrives through `ctx` (see main.js).
import { h } from '../../dom.js';
import { prefersReducedMotion } from '../../theme.js';
import { demoNotice, fieldNotice } from '../../notice.js';
import { RangeTest } from './finder.js';
import { finderOptions, scheduleWith, sessionOptions, trainWith } from './options.js';
import { pastePanel, suggestCurve } from './paste.js';
import { ownDataControl, withOwnData } from '../../data-input/own-data.js';
import { FinderPlot } from './plot.js';
import { settingsPanel } from './settings.js';
import { suggestionTable } from './suggestions.js';
import { CHECK, checkView, verifyOptions } from './verify.js';
import { plotView } from './view.js';
import { errorText } from '../../messages.js';

/** Edits come in keystrokes: the test reruns once they pause. */
const RERUN_DELAY_MS = 300;

export default function mount(ctx) {
  let state = ctx.state;
  let settings = null;
  let test = { running: false, progress: null, result: null };
  let pasted = null; // the pasted curve's answer, shown instead of the test's until the next test
  let frame = 0;
  let rerun = 0;
  let renders = 0;
  let drawn = null; // what the latest frame handed the plot, for globalThis.__lrp once the plot draws it
  let mounted = true;

  const rangeTest = new RangeTest(ctx.engine, { onUpdate, onBackend, onError });
  const runButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'find-run', disabled: true, onclick: () => run() }, 'Run the test');
  const cancelButton = h('button', { type: 'button', 'data-testid': 'find-cancel', hidden: true, onclick: () => rangeTest.cancel() }, 'Cancel');
  const checkButton = h('button', { type: 'button', 'data-testid': 'find-check', hidden: true, onclick: () => check() }, 'Check by training');
  const counter = h('span', { class: 'counter', 'data-testid': 'find-counter' });
  const checkText = h('p', { class: 'find-check', 'data-testid': 'find-check-text', hidden: true });
  const checkError = fieldNotice('find-check-error');
  const notice = demoNotice('find-error');
  const plotBox = h('div', { class: 'plot', 'data-testid': 'finder-plot' });
  const legend = h('p', { class: 'find-legend', 'data-testid': 'find-legend' });
  const table = suggestionTable({
    onPick: (pick) => changed({ pick }, { rerun: false }),
    links: (rate) => ({ train: ctx.linkTo('train', trainWith(rate, state)), schedules: ctx.linkTo('schedules', scheduleWith(rate)) }),
    newTab: ctx.embedded,
  });
  const settingsBox = h('div');
  const own = ownDataControl({ wanted: state.own, onChange: (table) => changed({ own: Boolean(table) }, { rerun: true }), onError: ctx.notify });
  const paste = pastePanel(async (curve) => {
    clearTimeout(rerun);
    rangeTest.cancel();
    try {
      pasted = await suggestCurve(ctx.engine, curve, paste.smoothing());
    } catch (err) {
      paste.showError(errorText(err));
      return;
    }
    request();
  });

  const regions = {
    intro: h(
      'p',
      { class: 'intro' },
      "The learning-rate range test (Smith 2017): train while the rate grows every batch, and pick a rate left of where the loss stops falling. Run as fastai's lr_find or torch-lr-finder's range_test, step for step, on several seeds at once: the band shows how much a suggestion depends on the seed.",
    ),
    toolbar: h('div', { class: 'toolbar' }, runButton, cancelButton, checkButton, counter, checkError.element),
    status: notice.element,
    plot: h('div', { class: 'find-plot' }, plotBox, legend, checkText),
    suggestions: table.element,
    // Folded in an embed: the plot and its suggestions fill the frame.
    settings: h('details', { class: 'find-settings-box', open: !ctx.embedded, 'data-testid': 'find-settings' }, h('summary', {}, 'Settings'), settingsBox, own.element),
    paste: paste.element,
  };
  const plot = new FinderPlot(plotBox, { height: ctx.embedded ? 290 : 340, onDrawn: expose });

  drawRateAxis();
  start();
  return {
    regions,
    unmount() {
      mounted = false;
      rangeTest.destroy();
      clearTimeout(rerun);
      cancelAnimationFrame(frame);
      plot.destroy();
    },
  };

  // Before the engine answers: the plot's axes over the test's rates, and the words for what comes.
  function drawRateAxis() {
    const { start_lr: from, end_lr: to } = finderOptions(state);
    counter.textContent = 'starting the test…';
    if (from > 0 && to > from) plot.draw({ lrs: [from, to], curves: [], band: null, markers: [], check: null });
  }

  async function start() {
    let fields;
    try {
      fields = await ctx.engine.optionFields();
      state.own = Boolean(await own.ready);
    } catch (err) {
      notice.show(`The engine could not start: ${errorText(err)}`, start);
      return;
    }
    if (!mounted) return;
    settings = settingsPanel(state, fields, (patch) => changed(patch, { rerun: true }));
    settingsBox.replaceChildren(settings.element);
    runButton.disabled = false;
    run();
  }

  function changed(patch, { rerun: again }) {
    state = { ...state, ...patch };
    ctx.setState(state);
    if (!again) return request();
    clearTimeout(rerun);
    rerun = setTimeout(run, RERUN_DELAY_MS);
  }

  function run() {
    clearTimeout(rerun);
    settings.clearErrors();
    notice.show(null);
    paste.showError(null);
    pasted = null;
    checkError.show(null);
    rangeTest.run(testedOptions(), finderOptions(state));
  }

  // Short real trainings at rates around the picked suggestion, on the network the test ran on.
  function check() {
    const lr = test.result.suggestions[state.pick].lr;
    checkError.show(null);
    rangeTest.verify(testedOptions(), verifyOptions(lr), { name: state.pick, lr });
  }

  // The network and data the test runs on: the settings', on the user's own data when chosen.
  function testedOptions() {
    const ownTable = state.own ? own.current()?.table : null;
    return ownTable ? withOwnData(sessionOptions(state), ownTable) : sessionOptions(state);
  }

  function onBackend(backend) {
    ctx.showBackend(backend);
  }

  // The engine's Error goes under the control its `field` names (the check's under its button),
  // else above the plot.
  function onError(error, stage) {
    if (stage === 'verify') checkError.show(errorText(error));
    else if (!settings.showError(error, stage)) notice.show(errorText(error), run);
  }

  function onUpdate(view) {
    test = view;
    request();
  }

  // Points arrive faster than frames: drawn at the next frame, at most once a frame.
  function request() {
    if (mounted && !frame) frame = requestAnimationFrame(draw);
  }

  function draw() {
    frame = 0;
    const { running, progress, result, cancelled, check: checking } = test;
    runButton.textContent = result || cancelled ? 'Run again' : 'Run the test';
    cancelButton.hidden = !running;
    const shown = pasted ?? result;
    // Only the range test's own answer can be checked: a pasted curve came from another network.
    const checked = !pasted && checking?.result ? checkView(checking.result, checking.about, checking.options.steps) : null;
    checkButton.hidden = Boolean(pasted) || !result;
    checkButton.disabled = Boolean(checking?.running) || !Number.isFinite(result?.suggestions?.[state.pick]?.lr);
    checkButton.textContent = checking?.running ? 'Checking…' : `Check by training (${CHECK.count} rates × ${CHECK.steps} steps)`;
    checkText.hidden = !checked;
    checkText.textContent = checked?.text ?? '';
    counter.textContent = pasted ? 'your curve' : status(test);
    table.update(shown, state.pick);
    if (!shown && !progress?.lrs.length) return;
    // Reduced motion: the curve is drawn once the test is done, not batch by batch.
    if (running && !shown && prefersReducedMotion()) return;
    const view = plotView({ progress, result: shown }, state.pick);
    renders += 1;
    drawn = { renders, running, done: Boolean(result), pasted: Boolean(pasted), lrs: Array.from(view.lrs), curves: view.curves.length, band: Boolean(view.band), suggestions: shown?.suggestions ?? null };
    plot.draw({ ...view, check: checked });
    legend.textContent = legendText(view);
  }

  // What the plot shows, for end-to-end tests and the curious in the console: set once uPlot has
  // drawn it, so that the marker positions are those on the canvas (a new chart lays out later).
  function expose(chart) {
    if (!drawn) return;
    globalThis.__lrp = { ...globalThis.__lrp, find: { ...drawn, markers: plot.markerPositions(chart), labels: plot.labelBoxes(chart), check: plot.checkPositions(chart) } };
  }
}

function legendText({ curves, band }) {
  if (band) return `${curves.length} seeds: dots are batch losses, thin lines each seed's smoothed loss; the bold line is their median, the dark band the middle half, the light band min to max.`;
  if (curves.length > 1) return `${curves.length} seeds: dots are batch losses, lines each seed's smoothed loss (their band follows when the test ends).`;
  return 'Dots are batch losses; the line is the smoothed loss.';
}

// "batch 40…", then how far the runs went.
function status({ running, progress, result, cancelled }) {
  if (running) return `batch ${progress.lrs.length}…`;
  if (cancelled) return `cancelled after ${progress.lrs.length} batches`;
  if (!result) return '';
  const stops = result.runs.map((r) => r.losses.length);
  const lo = Math.min(...stops);
  const hi = Math.max(...stops);
  return `done: ${lo === hi ? lo : `${lo}–${hi}`} batches${result.runs.length > 1 ? ` over ${result.runs.length} seeds` : ''}`;
}
