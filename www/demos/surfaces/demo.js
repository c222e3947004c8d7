// Surfaces: optimizers racing down analytic 2-D surfaces (a bowl, Rosenbrock's valley, saddles,
// Beale, Rastrigin ...), each path from the same start under its own optimizer and learning-rate
// schedule, animated over a heat map with contours; and the loss landscape of the reference network
// itself, and a race off a plateau over many seeds. The paths are computed in the engine worker;
// a frame only moves the heads. Self-contained: everything it needs arrives through `ctx`.
import { h } from '../../dom.js';
import { fieldControl } from '../../controls.js';
import { controlPlace, placeError } from '../../field-errors.js';
import { formatTick } from '../../format.js';
import { demoNotice, fieldNotice } from '../../notice.js';
import { COLORS, LinePlot } from '../../plot.js';
import { validSpecs } from '../../schedule-editor.js';
import { advance, lastStep, reached } from './animation.js';
import { pathList } from './editor.js';
import { escapeFinding, formatEscape } from './escape.js';
import { SurfaceMap } from './map.js';
import { SurfaceMesh } from './mesh.js';
import { networkView } from './network-view.js';
import { debounced, newestOnly } from './newest.js';
import { hasKappa, nearestSaddle, pathLabel, surfaceSpec, trajectoryRequests } from './paths.js';
import { PRESETS, presetById } from './presets.js';
import { raceView } from './race-view.js';
import { SPEED, STEPS } from './state.js';
import { StepCursor } from './step-cursor.js';
import { shownLabels } from './verdict.js';
import { gridRequest } from './viewport.js';
import { errorText } from '../../messages.js';

/** A new grid once the wheel or the drag pauses this long. */
const GRID_DELAY_MS = 150;
/** Edits come in keystrokes: the paths are computed again once they pause. */
const EDIT_DELAY_MS = 300;

export default function mount(ctx) {
  let state = ctx.state;
  let catalogue = null; // engine.surfaces()
  let setup = null; // { kinds, optimizers }
  let info = null; // the surface shown, from the catalogue
  let editors = null;
  let settingPlaces = new Map(); // the surface settings' controls, by the engine's field paths
  let shown = null; // { paths: [{ label, color, x, y, loss, lr, state, steps }], escapes }
  let renders = 0;
  let mounted = true;
  const motion = globalThis.matchMedia?.('(prefers-reduced-motion: reduce)');
  const player = { position: 0, last: 0, playing: false, time: 0, frame: 0 };

  const notice = demoNotice('surfaces-error');
  const presetPicker = h(
    'select',
    { 'data-testid': 'surfaces-preset', 'aria-label': 'Figure', onchange: () => applyPreset(presetById(presetPicker.value)) },
    PRESETS.map((preset) => h('option', { value: preset.id }, preset.label)),
  );
  const playButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'surfaces-play', disabled: true, onclick: () => (player.playing ? pause() : play()) }, 'Play');
  const stepButton = h('button', { type: 'button', 'data-testid': 'surfaces-step', disabled: true, onclick: () => stepOnce(), title: 'One step further' }, 'Step');
  const speedInput = h('input', {
    type: 'range',
    min: Math.log10(SPEED.min),
    max: Math.log10(SPEED.max),
    step: 0.01,
    'data-testid': 'surfaces-speed',
    'aria-label': 'Steps per second (log scale)',
    oninput: () => {
      state.speed = Number((10 ** Number(speedInput.value)).toPrecision(2));
      speedText.textContent = `${state.speed} steps/s`;
      speedInput.setAttribute('aria-valuetext', speedText.textContent);
      ctx.setState(state);
    },
  });
  const speedText = h('span', { class: 'counter' });
  const counter = h('span', { class: 'counter', 'data-testid': 'surfaces-counter' });
  const threeBox = h('input', { type: 'checkbox', 'data-testid': 'surfaces-three', onchange: () => setThree(threeBox.checked) });
  const threeLabel = h('label', { class: 'three', title: 'The surface as a 3-D mesh (WebGL2); drag to turn it' }, threeBox, '3-D');
  const threeNotice = fieldNotice('surfaces-three-error');
  let mesh = null; // the 3-D view, made when first asked for
  const map = new SurfaceMap({ testid: 'surface-map', onPick: pickStart, onView: viewChanged });
  const caption = h('figcaption', { 'data-testid': 'surface-caption' });
  const legend = h('ul', { class: 'surface-legend', 'data-testid': 'surface-legend' });
  const rateBox = h('div', { class: 'plot', 'data-testid': 'rate-plot' });
  const lossBox = h('div', { class: 'plot', 'data-testid': 'path-loss-plot' });
  const table = h('table', { class: 'surface-table', 'data-testid': 'path-table' });
  // What the escapes came to, in a sentence, where the preset measures them.
  const escapeText = h('p', { class: 'finding', 'data-testid': 'escape-finding', 'aria-live': 'polite' });
  const settingsBox = h('div', { class: 'surface-settings' });
  const pathsBox = h('div');
  const meshBox = h('div', { hidden: true });
  const pathsFigure = h('div', { class: 'surface-picture' }, h('figure', { class: 'surface-figure' }, map.element, meshBox, caption, legend), h('div', { class: 'surface-charts' }, rateBox, lossBox));
  const network = networkView(ctx.engine, { embedded: ctx.embedded, backend: () => state.backend, onError: (err) => notice.show(`The network could not be trained: ${errorText(err)}`, () => network.run()), onDone: expose });
  const race = raceView(ctx.engine, {
    embedded: ctx.embedded,
    values: () => state,
    onValues: (patch) => {
      state = { ...state, ...patch };
      ctx.setState(state);
    },
    onError: (err) => notice.show(`The race could not run: ${errorText(err)}`, () => race.run()), onDone: expose });

  const regions = {
    intro: h(
      'p',
      { class: 'intro' },
      'Optimizers on 2-D surfaces: every path starts at the same point under its own optimizer and learning-rate schedule. Click the map to start somewhere else, drag to pan, scroll to zoom. The last two figures train the real network instead.',
    ),
    toolbar: h('div', { class: 'toolbar' }, presetPicker, playButton, stepButton, h('label', { class: 'speed' }, speedInput, speedText), counter, threeLabel, threeNotice.element),
    status: notice.element,
    picture: h('div', {}, pathsFigure, network.picture, race.picture),
    results: h('div', {}, escapeText, table, network.results, race.results),
    // Folded in an embed: the picture fills the frame.
    paths: h('details', { class: 'surface-paths', open: !ctx.embedded, 'data-testid': 'surface-settings' }, h('summary', {}, 'Surface and paths'), settingsBox, pathsBox),
  };
  const plotHeight = ctx.embedded ? 150 : 200;
  const ratePlot = new LinePlot(rateBox, { height: plotHeight, yLabel: 'learning rate' });
  const lossPlot = new LinePlot(lossBox, { height: plotHeight, yLabel: 'loss' });
  const cursors = [new StepCursor(ratePlot, 'rate-plot-cursor'), new StepCursor(lossPlot, 'path-loss-plot-cursor')];

  const askGrid = newestOnly((request) => ctx.engine.surfaceGrid(request));
  const askPaths = newestOnly(async (surface, requests, escape) => {
    const began = performance.now();
    const paths = await ctx.engine.trajectories(requests);
    const ms = performance.now() - began;
    // No escape comes back as undefined (wasm's None); the page says null.
    const escapes = escape ? (await Promise.all(paths.map((path) => ctx.engine.escape(path, { surface, ...escape })))) : null;
    return { paths, escapes, ms };
  });
  const gridLater = debounced(() => fetchGrid(), GRID_DELAY_MS);
  const pathsLater = debounced(() => computePaths(), EDIT_DELAY_MS);

  speedInput.value = Math.log10(state.speed);
  speedText.textContent = `${state.speed} steps/s`;
  speedInput.setAttribute('aria-valuetext', speedText.textContent);
  presetPicker.value = state.preset;
  start();
  return {
    regions,
    unmount() {
      mounted = false;
      pause();
      gridLater.cancel();
      pathsLater.cancel();
      askGrid.cancel();
      askPaths.cancel();
      map.destroy();
      for (const cursor of cursors) cursor.destroy();
      ratePlot.destroy();
      lossPlot.destroy();
      network.destroy();
      race.destroy();
      mesh?.destroy();
    },
  };

  async function start() {
    try {
      const [surfaces, kinds, fields] = await Promise.all([ctx.engine.surfaces(), ctx.engine.kinds(), ctx.engine.surfaceOptimizerFields()]);
      const schedules = await validSpecs(ctx.engine, kinds, state.paths.map((path) => path.schedule), ctx.notify, (i) => `Path ${i + 1}'s schedule`);
      state.paths = state.paths.map((path, i) => ({ ...path, schedule: schedules[i] }));
      catalogue = surfaces;
      setup = { kinds, optimizers: fields.optimizers };
    } catch (err) {
      notice.show(`The engine could not start: ${errorText(err)}`, start);
      return;
    }
    if (!mounted) return;
    show();
  }

  // The figure of the state's preset: paths on a surface, the network's landscape, or the race.
  function show() {
    const { kind } = presetById(state.preset);
    pause();
    // Answers on their way belong to the figure shown before.
    for (const pending of [gridLater, pathsLater, askGrid, askPaths]) pending.cancel();
    notice.show(null);
    pathsFigure.hidden = kind !== 'paths';
    table.hidden = kind !== 'paths';
    regions.paths.hidden = kind !== 'paths';
    for (const element of [playButton, stepButton, speedInput, speedText, threeLabel]) element.hidden = kind !== 'paths';
    counter.textContent = '';
    network.show(kind === 'landscape');
    race.show(kind === 'race');
    ctx.setState(state);
    if (kind === 'paths') {
      showSurface();
      setThree(state.three);
    }
    expose();
  }

  // The 3-D view instead of the map, where WebGL2 allows it; the map otherwise, saying why.
  function setThree(on) {
    threeNotice.show(null);
    if (on && !mesh && !SurfaceMesh.supported()) {
      threeNotice.show('The 3-D view needs WebGL2, which this browser does not offer: the map stays 2-D.');
      on = false;
    }
    if (on && !mesh) {
      mesh = new SurfaceMesh({ testid: 'surface-mesh' });
      meshBox.append(mesh.element);
      if (map.surface) mesh.setSurface(map.surface.grid, map.surface.scale, map.ramp);
      if (shown) mesh.setPaths(shown.paths);
    }
    if (on) mesh.drawTo(player.position);
    threeBox.checked = on;
    meshBox.hidden = !on;
    map.element.hidden = on;
    showCaption();
    if (state.three !== on) {
      state.three = on;
      ctx.setState(state);
    }
  }

  function showSurface() {
    info = catalogue.find((s) => s.name === state.surface);
    if (!info) {
      ctx.notify(`There is no surface called ${JSON.stringify(state.surface)}; showing ${catalogue[0].name}.`);
      info = catalogue[0];
      state.surface = info.name;
    }
    buildSettings();
    map.clearSurface();
    // Until the paths arrive: the charts' axes over their steps, the paths named.
    const named = state.paths.map((path, i) => ({ label: pathLabel(path), color: COLORS[i], values: null }));
    ratePlot.draw({ steps: state.steps + 1, series: named });
    lossPlot.draw({ steps: state.steps + 1, series: named });
    counter.textContent = 'computing…';
    showCaption();
    state.view = map.setView(state.view ?? info.view);
    ctx.setState(state);
    fetchGrid();
    computePaths();
  }

  function buildSettings() {
    const places = new Map();
    const control = (field, value, onValue, path) => {
      const c = fieldControl(field, value, onValue, `surfaces-${field.name}`);
      if (path) places.set(path, controlPlace(c));
      return c.element;
    };
    const surfaceField = { name: 'surface', type: 'choice', choices: catalogue.map((s) => s.name), description: 'The function the paths descend' };
    const kappaField = hasKappa(info) && { ...info.params.find((field) => field.name === 'kappa'), required: true };
    const stepsField = { name: 'steps', type: 'int', ...STEPS, required: true, description: 'Steps each path takes' };
    settingsBox.replaceChildren(
      h(
        'div',
        { class: 'fields' },
        control(surfaceField, state.surface, (name) => {
          Object.assign(state, { surface: name, start: null, view: null });
          showSurface();
        }),
        kappaField ? control(kappaField, state.kappa, (kappa) => edit({ kappa }, { grid: true }), 'specs[0].surface.kappa') : null,
        control(stepsField, state.steps, (steps) => edit({ steps }), 'specs[0].steps'),
      ),
    );
    // surfaceGrid() names the same κ options.surface.kappa.
    if (places.has('specs[0].surface.kappa')) places.set('options.surface.kappa', places.get('specs[0].surface.kappa'));
    settingPlaces = places;
    editors = pathList(state.paths, {
      ...setup,
      // trajectories() names its entries specs[i].
      fieldOf: (i) => `specs[${i}]`,
      onPaths: (paths) => edit({ paths }),
    });
    pathsBox.replaceChildren(h('h2', {}, 'Paths'), editors.element);
  }

  // An edit of the form: into the link at once, to the engine once the typing pauses.
  function edit(patch, { grid = false } = {}) {
    state = { ...state, ...patch };
    ctx.setState(state);
    if (grid) gridLater();
    pathsLater();
  }

  function applyPreset(preset) {
    state = { ...state, preset: preset.id, start: null, view: null };
    if (preset.kind === 'paths') Object.assign(state, { surface: preset.surface, steps: preset.steps, paths: structuredClone(preset.paths), ...(preset.kappa && { kappa: preset.kappa }) });
    show();
  }

  function startPoint() {
    return state.start ?? info.start;
  }

  function pickStart(point) {
    if (presetById(state.preset).kind !== 'paths') return;
    // As many digits as a click can mean: a thousandth of the view.
    const digits = Math.max(0, 3 - Math.floor(Math.log10(state.view.x[1] - state.view.x[0])));
    state.start = point.map((v) => Number(v.toFixed(digits)));
    ctx.setState(state);
    computePaths();
  }

  function viewChanged(view) {
    state.view = view;
    ctx.setState(state);
    gridLater();
  }

  async function fetchGrid() {
    // A map not laid out yet (or hidden behind the 3-D view) is asked for at a typical size.
    const request = gridRequest(map.view, map.size.width ? map.size : { width: 480, height: 360 });
    let answer;
    try {
      answer = await askGrid({ surface: surfaceSpec(info, state.kappa), x: request.x, y: request.y, nx: request.nx, ny: request.ny });
    } catch (err) {
      if (!placeError(settingPlaces, err)) notice.show(`The surface could not be drawn: ${errorText(err)}`, fetchGrid);
      return;
    }
    if (!answer || !mounted) return;
    map.setSurface({ grid: { ...answer.value, x: request.x, y: request.y }, domain: info.domain, minima: info.minima, saddles: info.saddles });
    mesh?.setSurface(map.surface.grid, map.surface.scale, map.ramp);
    showCaption();
    expose();
  }

  // The surface's formula, and what the view shown marks: the map has a start, minima, saddles
  // and contours; the mesh none of them.
  function showCaption() {
    if (!info) return;
    if (!map.surface) {
      caption.textContent = `${info.title}: ${info.formula}`;
      return;
    }
    const scale = map.surface.scale?.log ? 'a log scale of the height above the lowest point' : 'a linear scale';
    caption.textContent = meshBox.hidden
      ? `${info.title}: ${info.formula}. Start ◇, minima ○, saddle points ×; colours and contours on ${scale}.`
      : `${info.title}: ${info.formula}. Height and colours on ${scale}; drag to turn it.`;
  }

  async function computePaths() {
    editors.clearErrors();
    placeError(settingPlaces, null);
    const preset = presetById(state.preset);
    const surface = surfaceSpec(info, state.kappa);
    const origin = startPoint();
    const saddle = preset.escape ? nearestSaddle(info.saddles, origin) : null;
    // The preset's own measure on its own surface; elsewhere, an eighth of the view away from the
    // saddle and below it at all.
    const span = Math.max(info.view.x[1] - info.view.x[0], info.view.y[1] - info.view.y[0]);
    const measure = state.surface === preset.surface ? preset.escape : { radius: span / 8, delta: 0 };
    const escape = saddle && { center: saddle, ...measure };
    let answer;
    try {
      answer = await askPaths(surface, trajectoryRequests({ surface, start: origin, steps: state.steps, paths: state.paths }), escape);
    } catch (err) {
      if (!editors.showError(err) && !placeError(settingPlaces, err)) notice.show(`The paths could not be computed: ${errorText(err)}`, computePaths);
      return;
    }
    if (!answer || !mounted) return;
    const { paths, escapes, ms } = answer.value;
    shown = {
      start: origin,
      ms,
      escapes,
      paths: paths.map((path, i) => ({ ...path, label: pathLabel(state.paths[i]), color: COLORS[i] })),
    };
    // Legends and tables name a path by what it did where its label expects otherwise (verdict.js).
    shownLabels(shown.paths).forEach((name, i) => (shown.paths[i].shownLabel = name));
    map.setPaths(shown.paths, origin);
    mesh?.setPaths(shown.paths);
    player.last = lastStep(shown.paths);
    player.position = 0;
    map.element.dataset.start = JSON.stringify(origin);
    drawCharts();
    drawTable();
    playButton.disabled = false;
    stepButton.disabled = false;
    if (motion?.matches) finish();
    else play();
  }

  function drawCharts() {
    const steps = player.last + 1;
    const series = (key) => shown.paths.map((path) => ({ label: path.shownLabel, color: path.color, values: path[key] }));
    ratePlot.draw({ steps, series: series('lr'), log: logWorthy(shown.paths.map((p) => p.lr)) });
    lossPlot.draw({ steps, series: series('loss'), log: logWorthy(shown.paths.map((p) => p.loss)) });
  }

  function drawTable() {
    const escapes = shown.escapes;
    escapeText.textContent = escapes ? escapeFinding(shown.paths, escapes, state.steps) : '';
    const head = ['path', 'final loss', 'state', ...(escapes ? ['escape'] : [])];
    table.replaceChildren(
      h('thead', {}, h('tr', {}, head.map((text) => h('th', {}, text)))),
      h(
        'tbody',
        {},
        shown.paths.map((path, i) =>
          h(
            'tr',
            { 'data-testid': `path-row-${i}` },
            h('td', {}, h('span', { class: 'swatch', style: `--series-color: ${path.color}` }), ` ${path.shownLabel}`),
            h('td', {}, formatTick(path.loss.at(-1))),
            h('td', { 'data-state': path.state }, path.state === 'diverged' ? `diverged at step ${path.steps}` : path.state),
            escapes ? h('td', { 'data-testid': `escape-${i}` }, formatEscape(escapes[i])) : null,
          ),
        ),
      ),
    );
    legend.replaceChildren(...shown.paths.map((path) => h('li', { style: `--series-color: ${path.color}` }, h('span', { class: 'swatch' }), path.shownLabel)));
    // The map's text alternative: its caption, and where each path ended.
    const ends = shown.paths.map((p) => `${p.shownLabel}: ${p.state === 'diverged' ? `diverged at step ${p.steps}` : `loss ${formatTick(p.loss.at(-1))} after ${p.steps} steps`}`);
    map.element.setAttribute('role', 'img');
    map.element.setAttribute('aria-label', `${caption.textContent} ${ends.join('; ')}.`);
  }

  function play() {
    if (!shown) return;
    if (player.position >= player.last) player.position = 0;
    player.playing = true;
    player.time = performance.now();
    playButton.textContent = 'Pause';
    cancelAnimationFrame(player.frame);
    player.frame = requestAnimationFrame(tick);
  }

  function pause() {
    player.playing = false;
    cancelAnimationFrame(player.frame);
    player.frame = 0;
    playButton.textContent = 'Play';
  }

  function tick(now) {
    player.frame = 0;
    player.position = advance(player.position, now - player.time, state.speed, player.last);
    player.time = now;
    if (player.position >= player.last) pause();
    else player.frame = requestAnimationFrame(tick);
    drawFrame();
  }

  function stepOnce() {
    pause();
    player.position = Math.min(player.last, reached(player.position) + 1);
    drawFrame();
  }

  // Reduced motion: the paths whole, at once.
  function finish() {
    pause();
    player.position = player.last;
    drawFrame();
  }

  function drawFrame() {
    map.drawTo(player.position);
    if (!meshBox.hidden) mesh.drawTo(player.position);
    for (const cursor of cursors) cursor.show(reached(player.position));
    counter.textContent = `step ${reached(player.position)} of ${player.last}`;
    map.element.dataset.step = String(reached(player.position));
    expose();
  }

  // What the views show, for end-to-end tests and the curious in the console.
  function expose() {
    renders += 1;
    const paths = shown?.paths.map(({ label, state: end, steps, x, y }) => ({ label, state: end, steps, points: x.length, first: [x[0], y[0]], end: [x.at(-1), y.at(-1)] }));
    globalThis.__lrp = {
      ...globalThis.__lrp,
      surfaces: {
        renders,
        preset: state.preset,
        start: shown?.start ?? null,
        view: state.view,
        step: reached(player.position),
        last: player.last,
        playing: player.playing,
        grid: map.surface && (({ nx, ny, x, y }) => ({ nx, ny, x, y }))(map.surface.grid),
        paths: paths ?? null,
        escapes: shown?.escapes ?? null,
        // How long the worker took to answer trajectories(), round trip included.
        computeMs: shown?.ms ?? null,
        network: network.exposed(),
        race: race.exposed(),
      },
    };
  }
}

// A log axis where every value is positive and they span more than a decade.
function logWorthy(columns) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const values of columns) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo > 0 && hi / lo > 10;
}
