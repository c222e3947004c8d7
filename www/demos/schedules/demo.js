// Schedules: compare learning-rate (and momentum) schedules step by step, exactly as PyTorch and
// fastai compute them. Self-contained: everything it needs arrives through `ctx` (see main.js).
import { codeExport, targetOf } from '../../code-export.js';
import { h } from '../../dom.js';
import { demoNotice, fieldNotice } from '../../notice.js';
import { COLORS, LinePlot } from '../../plot.js';
import { validSpecs } from '../../schedule-editor.js';
import { scheduleList } from '../../schedule-list.js';
import { download } from '../../download.js';
import { toCsv, toJson } from './export.js';
import { PRESETS } from './presets.js';
import { MAX_SCHEDULES, STEPS } from './state.js';
import { errorText } from '../../messages.js';
import { keepValidityReadable, rangeInWords } from '../../number-range.js';

export default function mount(ctx) {
  let { steps, logy, schedules } = structuredClone(ctx.state);
  let kinds = [];
  let editors = null;
  const codeExports = [];
  let latest = [];
  let requested = 0;
  let renders = 0;
  let mounted = true;

  const save = () => ctx.setState({ steps, logy, schedules });

  // Toolbar: presets, steps, log axis, export.
  const presetButtons = PRESETS.map((preset) =>
    h('button', { type: 'button', 'data-testid': `preset-${preset.id}`, onclick: () => applyPreset(preset) }, preset.label),
  );
  const stepsInput = h('input', { type: 'number', id: 'schedules-steps', min: STEPS.min, max: STEPS.max, step: 1, 'data-testid': 'steps', title: rangeInWords({ ...STEPS, integer: true }) });
  stepsInput.value = steps;
  keepValidityReadable(stepsInput, `steps: ${stepsInput.title}`);
  const stepsError = fieldNotice('steps-error');
  stepsInput.addEventListener('input', () => {
    const n = Number(stepsInput.value);
    const ok = Number.isInteger(n) && n >= STEPS.min && n <= STEPS.max;
    stepsError.show(ok ? null : `steps: must be an integer in [${STEPS.min}, ${STEPS.max}]`);
    if (!ok) return;
    steps = n;
    save();
    refresh();
  });
  const logInput = h('input', { type: 'checkbox', id: 'schedules-logy', 'data-testid': 'log-y' });
  logInput.checked = logy;
  logInput.addEventListener('change', () => {
    logy = logInput.checked;
    save();
    draw();
  });
  const exportCsv = h('button', { type: 'button', 'data-testid': 'export-csv', onclick: () => download('lr-schedules.csv', toCsv(latest), 'text/csv') }, 'CSV');
  const exportJson = h('button', { type: 'button', 'data-testid': 'export-json', onclick: () => download('lr-schedules.json', toJson(latest), 'application/json') }, 'JSON');

  // Plots: learning rate always; momentum only when some schedule cycles it.
  const lrBox = h('div', { class: 'plot', 'data-testid': 'lr-plot' });
  const momentumBox = h('div', { class: 'plot', 'data-testid': 'momentum-plot', hidden: true });
  // The schedule cards, once the kinds are known.
  const editorsBox = h('div');
  const notice = demoNotice('schedules-error');

  const regions = {
    intro: h('p', { class: 'intro' }, 'How the learning rate (and momentum) moves, step by step, under the schedules of PyTorch, fastai, transformers, timm, optax and Keras. Pick a classic figure or build your own; the values are computed exactly as the libraries do.'),
    toolbar: h(
      'div',
      {},
      h('div', { class: 'toolbar' }, h('div', { class: 'presets', role: 'group', 'aria-label': 'Presets' }, presetButtons)),
      h(
        'div',
        { class: 'toolbar' },
        h('label', { for: stepsInput.id }, 'Steps '),
        stepsInput,
        stepsError.element,
        h('label', { class: 'check' }, logInput, ' log-scale learning rate'),
        h('span', { class: 'export' }, 'Export: ', exportCsv, exportJson),
      ),
    ),
    status: notice.element,
    plots: h('div', {}, lrBox, momentumBox),
    editors: editorsBox,
  };
  // An embed's frame is about 500 px tall: both plots fit in it.
  const lrPlot = new LinePlot(lrBox, { height: ctx.embedded ? 230 : 300, yLabel: 'learning rate' });
  const momentumPlot = new LinePlot(momentumBox, { height: ctx.embedded ? 130 : 180, yLabel: 'momentum' });

  start();
  return {
    regions,
    unmount() {
      mounted = false;
      lrPlot.destroy();
      momentumPlot.destroy();
    },
  };

  async function start() {
    try {
      kinds = await ctx.engine.kinds();
      schedules = await validSpecs(ctx.engine, kinds, schedules, ctx.notify, (i) => `Schedule ${i + 1}`);
    } catch (err) {
      notice.show(`The engine could not start: ${errorText(err)}`, start);
      return;
    }
    if (!mounted) return;
    save();
    buildEditors();
    refresh();
  }

  function buildEditors() {
    editors = scheduleList(schedules, {
      kinds,
      max: MAX_SCHEDULES,
      testids: { list: 'schedule-list', add: 'add-schedule' },
      addLabel: '+ Add a schedule',
      extras: (_, index) => ({ elements: [scheduleCode(index).element], places: new Map() }),
      onItems: (next) => {
        schedules = next;
        save();
        refresh();
      },
    });
    editorsBox.replaceChildren(editors.element);
  }

  // A card's "Copy as code": the card's current spec, in the library picked (default: the kind's own).
  function scheduleCode(index) {
    const library = () => kinds.find((k) => k.kind === schedules[index]?.kind)?.library;
    codeExports[index] = codeExport({
      id: `schedule-${index}-code`,
      what: `schedule ${index + 1}`,
      load: (target) => ctx.engine.exportCode(schedules[index], { target }),
      defaultTarget: () => targetOf(library()),
    });
    return codeExports[index];
  }

  function applyPreset(preset) {
    steps = preset.steps;
    stepsInput.value = steps;
    schedules = structuredClone(preset.schedules);
    buildEditors();
    save();
    refresh();
  }

  // Samples every schedule in the worker; only the newest request draws.
  async function refresh() {
    const request = ++requested;
    const results = await Promise.allSettled(schedules.map((spec) => ctx.engine.sample(spec, steps)));
    if (request !== requested || !mounted) return;
    latest = results.map((r, i) => {
      const base = { kind: schedules[i].kind, spec: schedules[i] };
      return r.status === 'fulfilled' ? { ...base, ...r.value } : { ...base, lr: null, momentum: null, error: r.reason.message };
    });
    results.forEach((r, i) => editors?.showScheduleError(i, r.status === 'rejected' ? r.reason : null));
    codeExports.length = schedules.length;
    codeExports.forEach((code) => code.refresh());
    draw();
  }

  function draw() {
    const series = (key) => latest.map((s, i) => ({ label: `${i + 1} ${s.kind}`, color: COLORS[i], values: s[key] }));
    lrPlot.draw({ steps, series: series('lr'), log: logy });
    momentumBox.hidden = !latest.some((s) => s.momentum);
    if (!momentumBox.hidden) momentumPlot.draw({ steps, series: series('momentum') });
    renders += 1;
    // The data behind the plots, for end-to-end tests and the curious in the console.
    globalThis.__lrp = { ...globalThis.__lrp, schedules: { renders, steps, logy, series: latest } };
  }
}
