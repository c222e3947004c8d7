// Layers: transfer learning layer by layer. Networks pretrain on task A in the page, one per seed;
// each body then fine-tunes on a related task B beside the same network trained from scratch (the
// arms' medians, bands and a sentence over the seeds), under fastai's
// per-group plans (fine_tune, slice, ULMFiT's gradual unfreezing) or step by step through fastai's
// eight-step recipe. Each Linear layer shows its group, rate, frozen state (click to toggle), and
// its gradient and update/weight ratio over time. Self-contained: everything arrives through `ctx`.
import { h } from '../../dom.js';
import { formatRate } from '../../format.js';
import { COLORS, LinePlot } from '../../plot.js';
import { demoNotice } from '../../notice.js';
import { layerDiagram } from './diagram.js';
import { median, seedBand } from '../../experiment/index.js';
import { Lab, heldValidation } from './lab.js';
import { transferFinding } from './finding.js';
import { AUGMENT, FINE_TUNE, GROUP_NAMES, GROUPS, PRESETS, PRETRAIN_EPOCHS, SCRATCH, SCRATCH_CANDIDATES, SEEDS, TASKS, armRuns, bodyLength, layersFor, planSpec, pretrainOptions, runOf, scratchSchedule, stepsPerEpoch, targetOptions } from './options.js';
import { RateChart, rateLegend } from './rate-chart.js';
import { Recipe } from './recipe.js';
import { recipePanel } from './recipe-panel.js';
import { comparePlans, comparisonView } from './compare.js';
import { comparisonPanel } from './comparison-panel.js';
import { numberInput } from './number-input.js';
import { recipeSettings, RECIPE_KEYS, STATE } from './state.js';
import { emptyTimeline, planTimeline } from './timeline.js';
import { weightsPanel } from '../../weights.js';
import { ownDataControl } from '../../data-input/own-data.js';
import { OWN_TASK_TEXT, ownSetWords, ownTask, ownTaskProblem } from './own-task.js';
import { errorText } from '../../messages.js';
import { articleFor } from '../../words.js';

export default function mount(ctx) {
  let state = ctx.state;
  let bodies = null; // the pretrained bodies' parameters (one per seed), for the task and seed of the state
  let planning = 0; // plans asked for: only the newest opens a session
  let preview = null; // while pretraining: the preset's plan ({ timeline, frozen, budget }), drawn before its session opens
  let mode = 'plan'; // 'plan': the preset's plan; 'recipe': the eight steps
  let labView = null;
  let recipeView = null;
  let comparison = null; // the plans compared: { running, progress, arms, view, scratchLr, epochs }, or null
  let frame = 0;
  let renders = 0;
  let mounted = true;

  const lab = new Lab(ctx.engine, { onUpdate: (v) => ((labView = v), request()), onBackend, onError });
  let recipe = null;
  const notice = demoNotice('layers-error');

  const presetPicker = h('select', { 'data-testid': 'layers-preset', onchange: () => changed({ preset: presetPicker.value }) }, Object.entries(PRESETS).map(([id, p]) => h('option', { value: id }, p.label)));
  const entry = (key) => STATE.find((e) => e.key === key);
  const epochsInput = numberInput({ label: 'Epochs', min: entry('epochs').min, max: entry('epochs').max, value: state.epochs, testid: 'layers-epochs', title: 'Epochs of task B the plan trains', onValue: (epochs) => changed({ epochs }) });
  const taskPicker = h('select', { 'data-testid': 'layers-task', onchange: () => changed({ task: taskPicker.value }) }, Object.entries(TASKS).map(([id, t]) => h('option', { value: id }, t.label)));
  const seedInput = numberInput({ label: 'Seed', min: entry('seed').min, max: entry('seed').max, value: state.seed, testid: 'layers-seed', title: `The first of the ${SEEDS} seeds each arm trains from: it seeds the data sets, and with the next ones each seed’s weights and batches`, onValue: (seed) => changed({ seed }) });
  const playButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'layers-play', disabled: true, onclick: () => (lab.playing ? lab.pause() : play()) }, 'Fine-tune');
  const stepButton = h('button', { type: 'button', 'data-testid': 'layers-step', disabled: true, onclick: () => lab.step() }, 'Step');
  const resetButton = h('button', { type: 'button', 'data-testid': 'layers-reset', disabled: true, onclick: () => openPlan(), title: 'Start the preset again from the pretrained bodies' }, 'Reset');
  const counter = h('span', { class: 'counter', 'data-testid': 'layers-counter' });
  const presetText = h('p', { class: 'layers-preset-text', 'data-testid': 'layers-preset-text' });

  const pretrainBox = h('div', { class: 'plot', 'data-testid': 'pretrain-plot' });
  const pretrainText = h('p', { class: 'layers-caption', 'data-testid': 'pretrain-text' });
  const diagramBox = h('div');
  let diagram = null;
  const diagramCaption = h('p', { class: 'layers-caption' }, 'Each block is a Linear layer of the first seed’s fine-tuning run. Click one to freeze or unfreeze its group in every fine-tuning run from the next step (until the plan’s next phase or the recipe’s next step). Sparklines: ‖∇W‖, and ‖ΔW‖/‖W‖ with the healthy band around 1e-3 shaded.');
  const rateBox = h('div', { class: 'plot', 'data-testid': 'rate-plot' });
  const lossBox = h('div', { class: 'plot', 'data-testid': 'loss-plot' });
  const verdictText = h('p', { class: 'layers-verdict', 'data-testid': 'layers-verdict' });
  // Own data replaces the task picker's task while it is in use (own-task.js).
  const own = ownDataControl({ wanted: state.own, purpose: OWN_TASK_TEXT, check: ownTaskProblem, onChange: ownDataChanged, onError: ctx.notify });
  const weights = weightsPanel(ctx.engine, {
    target: () => mode === 'plan' && lab.target && { id: lab.target.id, run: FINE_TUNE, name: 'fine-tune seed 1', into: 'every fine-tuning run', layers: layersFor(task().b), activation: 'relu' },
    load: (_, bytes) => lab.loadWeights(bytes),
    onError: (message) => notice.show(message),
    testid: 'layers-weights',
  });

  const panel = recipePanel({
    settings: recipeSettings(state),
    onRun: (i) => withRecipe((r) => r.run(i)),
    onSkip: (i) => withRecipe((r) => r.skip(i)),
    onAll: () => withRecipe((r) => r.runAll()),
    onRestart: () => withRecipe((r) => r.reset(), { fresh: true }),
    onSetting: (name, value) => {
      changed({ [RECIPE_KEYS[name]]: value }, { rebuild: false });
      recipe?.setSettings({ [name]: value });
    },
  });

  const comparer = comparisonPanel({ onCompare: compare });

  const regions = {
    intro: h(
      'p',
      { class: 'intro' },
      `Transfer learning layer by layer. A network first learns task A; its body (every layer but the head) then starts task B, a related problem with few points, beside the same network trained from scratch on the same batches. Both arms train from ${SEEDS} seeds at once (each seed its own pretrained body, head and batch order): the charts show their medians and middle half, the sentence how often fine-tuning came out ahead. fastai trains such a body at lower rates than the head, or not at all at first: pick a plan, or walk fastai’s eight-step recipe.`,
    ),
    pretrain: h('details', { class: 'layers-pretrain', open: !ctx.embedded, 'data-testid': 'layers-pretrain' }, h('summary', {}, 'Pretraining on task A'), pretrainBox, pretrainText),
    toolbar: h(
      'div',
      { class: 'layers-toolbar' },
      h('div', { class: 'toolbar' }, playButton, stepButton, resetButton, counter),
      weights.element,
      // Folded in an embed: the picture and the buttons fill the frame.
      h(
        'details',
        { class: 'layers-settings', open: !ctx.embedded, 'data-testid': 'layers-settings' },
        h('summary', {}, 'Plan and task'),
        h('div', { class: 'toolbar' }, h('label', {}, 'Plan ', presetPicker), epochsInput.element, h('label', {}, 'Task ', taskPicker), seedInput.element),
        presetText,
        own.element,
      ),
    ),
    status: notice.element,
    network: h('figure', { class: 'layers-network' }, diagramBox, h('figcaption', {}, diagramCaption)),
    curves: h('div', { class: 'layers-curves' }, h('figure', {}, rateBox, rateLegend(GROUP_NAMES.map((n, g) => `group ${g} ${n}`)), h('figcaption', {}, 'Each group’s rate in the fine-tuning run (log scale); dashed where the group is frozen; the vertical line marks the step reached.')), h('figure', {}, lossBox, verdictText)),
    compare: h('details', { class: 'layers-compare', open: !ctx.embedded, 'data-testid': 'layers-compare-box' }, h('summary', {}, 'Every plan, side by side'), comparer.element),
    recipe: h('details', { class: 'layers-recipe', open: !ctx.embedded, 'data-testid': 'layers-recipe' }, h('summary', {}, 'fastai’s eight-step recipe'), panel.element),
  };
  const height = ctx.embedded ? 170 : 230;
  const pretrainPlot = new LinePlot(pretrainBox, { height: 160, yLabel: 'batch loss' });
  const rateChart = new RateChart(rateBox, { height, names: GROUP_NAMES.map((n, g) => `group ${g} ${n}`) });
  const lossPlot = new LinePlot(lossBox, { height, yLabel: 'loss' });

  showState();
  // A link's own data is trained on once this browser's copy is read (or found missing: then the task picked).
  own.ready.then((found) => {
    state = { ...state, own: Boolean(found) };
    showState();
    if (mounted) start();
  });
  return {
    regions,
    unmount() {
      mounted = false;
      recipe?.destroy();
      lab.destroy();
      cancelAnimationFrame(frame);
      for (const chart of [pretrainPlot, rateChart, lossPlot]) chart.destroy();
    },
  };

  function task() {
    const mine = state.own && own.current();
    return (mine && ownTask(mine.table, state.seed)) || TASKS[state.task];
  }

  function ownDataChanged(found) {
    changed({ own: Boolean(found) }, { rebuild: false });
    start();
  }

  function showState() {
    presetPicker.value = state.preset;
    epochsInput.set(state.epochs);
    taskPicker.value = state.task;
    // Own data is the task while it is in use: the picker comes back with the synthetic sets.
    taskPicker.parentElement.hidden = task().own === true;
    seedInput.set(state.seed);
    presetText.textContent = planLine();
  }

  // What the toolbar's plan is to what is shown: the recipe's session replaces the plan's.
  function planLine() {
    const describe = PRESETS[state.preset].describe;
    return mode === 'recipe' ? `${describe}. The recipe’s runs are shown now; Fine-tune runs this plan instead.` : describe;
  }

  // The bodies for the state's task and seed, then the preset's plan on task B.
  async function start() {
    notice.show(null);
    recipe?.destroy();
    recipe = null;
    mode = 'plan';
    bodies = null;
    lab.close();
    dropComparison();
    // The target network's layers: its head is as wide as task B has classes.
    diagram = layerDiagram({ layers: layersFor(task().b), groups: GROUPS, names: GROUP_NAMES, onToggle: (g) => lab.toggleFrozen(g) });
    diagramBox.replaceChildren(diagram.element);
    // The network and its plan are drawn at once; the plan's session opens once the bodies are pretrained.
    previewPlan();
    const a = task().a;
    const steps = PRETRAIN_EPOCHS * stepsPerEpoch(a);
    const pretrained = await lab.pretrain(pretrainOptions(task(), state.seed), steps, bodyLength(layersFor(a)));
    if (!pretrained || !mounted) return;
    bodies = pretrained;
    await openPlan();
    // The plan is open: an embed that plays by itself may press Fine-tune now (demo-host.js).
    playButton.dataset.autoplay = '';
  }

  function changed(patch, { rebuild = true } = {}) {
    const before = state;
    state = { ...state, ...patch };
    ctx.setState(state);
    showState();
    if (!rebuild) return;
    if (state.epochs !== before.epochs) dropComparison();
    if (state.task !== before.task || state.seed !== before.seed) start();
    else if (bodies) openPlan();
    else previewPlan();
  }

  // The preset's plan for the state, drawn (network and rates) while the bodies still pretrain.
  async function previewPlan() {
    preview = null;
    const ticket = ++planning;
    let plan;
    try {
      plan = await ctx.engine.planGroups(planSpec(state.preset, { epochs: state.epochs, stepsPerEpoch: stepsPerEpoch(task().b) }));
    } catch (err) {
      if (mounted && ticket === planning) onError(err);
      return;
    }
    if (!mounted || ticket !== planning || bodies) return;
    preview = { timeline: planTimeline(plan), frozen: plan.phases[0].frozen, budget: plan.steps };
    request();
  }

  async function openPlan() {
    if (!bodies) return;
    lab.close();
    notice.show(null);
    recipe?.destroy();
    recipe = null;
    recipeView = null;
    mode = 'plan';
    const ticket = ++planning;
    const current = () => mounted && mode === 'plan' && ticket === planning;
    let plan;
    try {
      plan = await ctx.engine.planGroups(planSpec(state.preset, { epochs: state.epochs, stepsPerEpoch: stepsPerEpoch(task().b) }));
    } catch (err) {
      if (current()) onError(err);
      return;
    }
    if (!current()) return;
    const options = targetOptions(task(), state.seed, {
      fineTune: (k) => ({ init_params: bodies[k], phases: plan.phases }),
      scratch: { schedule: scratchSchedule(plan.steps) },
    });
    if (!(await lab.open(options, { timeline: planTimeline(plan), frozen: plan.phases[0].frozen, plan, budget: plan.steps }))) return;
    await lab.tuneScratch(SCRATCH_CANDIDATES, plan.steps, (lr) => scratchSchedule(plan.steps, lr));
  }

  // Every preset's plan over the seeds, from the bodies there are (compare.js).
  async function compare() {
    if (!bodies || comparison?.running) return;
    const epochs = state.epochs;
    // This comparison's record: a newer one, or none (dropComparison), replaces it.
    const mine = { running: true, progress: null, view: null, scratchLr: null, epochs };
    comparison = mine;
    request();
    const result = await comparePlans(ctx.engine, lab, {
      task: task(),
      seed: state.seed,
      bodies,
      epochs,
      onProgress: (progress) => {
        mine.progress = progress;
        request();
      },
    });
    if (!mounted || comparison !== mine) return;
    comparison = result ? { running: false, arms: result.arms, view: comparisonView(result), scratchLr: result.scratchLr, epochs } : null;
    request();
  }

  function dropComparison() {
    lab.stopComparing();
    comparison = null;
    request();
  }

  function play() {
    if (mode !== 'plan' || !lab.target || lab.finished(lab.target)) return openPlan().then(() => lab.play());
    lab.play();
  }

  // Runs `use(recipe)`, first making the recipe (and its session) when the preset's plan is shown.
  async function withRecipe(use, { fresh = false } = {}) {
    if (!bodies) return;
    if (!recipe) {
      lab.pause();
      mode = 'recipe';
      recipe = new Recipe(lab, {
        open: openForRecipe,
        sample: (spec, steps) => ctx.engine.sample(spec, steps),
        stepsPerEpoch: stepsPerEpoch(task().b),
        groups: GROUPS.length,
        settings: recipeSettings(state),
        onUpdate: (v) => ((recipeView = v), request()),
      });
      if (!(await recipe.reset())) return;
      if (fresh) return;
    }
    await use(recipe);
  }

  // The recipe's sessions: from the pretrained bodies, or from a mark of every run's weights.
  function openForRecipe({ augment, mark, context }) {
    const schedule = { kind: 'Constant', lr: context.lr };
    const options = targetOptions(task(), state.seed, {
      fineTune: (k) => ({ init_params: mark?.params[runOf(FINE_TUNE, k)] ?? bodies[k], schedule, frozen: context.frozen, group_lr_mult: context.mult }),
      scratch: (k) => ({ ...(mark && { init_params: mark.params[runOf(SCRATCH, k)] }), schedule }),
      augment: augment ? (task().augment ?? AUGMENT) : null,
    });
    return lab.open(options, { timeline: emptyTimeline(GROUPS.length), frozen: context.frozen, record: mark?.record ?? null });
  }

  function onBackend(backend) {
    ctx.showBackend(backend);
  }

  function onError(error) {
    notice.show(errorText(error), () => (bodies ? openPlan() : start()));
  }

  function request() {
    if (mounted && !frame) frame = requestAnimationFrame(draw);
  }

  function draw() {
    frame = 0;
    const { pretraining: p, target: s, playing, finished } = labView ?? {};
    drawPretraining(p);
    const inPlan = mode === 'plan';
    playButton.textContent = playing ? 'Pause' : 'Fine-tune';
    playButton.disabled = !bodies || (inPlan && s?.busy && !playing);
    stepButton.disabled = !s || !inPlan || playing || s.busy || finished;
    resetButton.disabled = !bodies;
    counter.textContent = !s ? (p && !p.done ? 'pretraining…' : '') : inPlan ? `step ${s.steps} of ${s.budget}${finished ? ' (done)' : ''}` : `step ${s.steps} (recipe)`;
    panel.update(recipeView, { busy: !bodies || Boolean(s?.busy) });
    comparer.update({ busy: !bodies, running: Boolean(comparison?.running), progress: comparison?.progress, view: comparison?.view ?? null, scratchLr: comparison?.scratchLr ?? null, epochs: comparison?.epochs });
    presetText.textContent = planLine();
    weights.update();
    if (!s) {
      drawPreview(p);
      return;
    }

    diagram.update({ stats: s.stats, frozen: s.frozen, history: s.history });
    rateChart.draw(s.timeline, s.steps);
    const arms = [
      { label: 'fine-tune', color: COLORS[0], runs: armRuns(FINE_TUNE, s.runs) },
      { label: 'from scratch', color: COLORS[1], runs: armRuns(SCRATCH, s.runs) },
    ];
    // Per arm: the seeds' median batch loss, faint, and their median validation loss with its middle half.
    const validation = arms.map((arm) => seedBand(arm.runs.map((r) => heldValidation(s.evaluations, s.steps + 1, r))));
    lossPlot.draw({
      steps: s.steps + 1,
      log: true,
      series: [
        ...arms.map((arm) => ({ label: `${arm.label} batch`, color: `${arm.color}66`, values: seedBand(arm.runs.map((r) => s.losses[r])).median })),
        ...arms.map((arm, i) => ({ label: `${arm.label} validation`, color: arm.color, values: validation[i].median, band: { lo: validation[i].lo, hi: validation[i].hi } })),
      ],
    });
    const finding = transferFinding(s.report, { verb: finished ? 'ended with' : 'has' });
    verdictText.textContent = verdictLine(s, finding);
    // Coloured only where the seeds, once trained, name a winner.
    if (s.steps > 0 && finding && finding.better !== null) verdictText.dataset.better = String(finding.better);
    else delete verdictText.dataset.better;

    renders += 1;
    globalThis.__lrp = {
      ...globalThis.__lrp,
      layers: { renders, mode, preset: state.preset, steps: s.steps, budget: s.budget, finished, playing, frozen: s.frozen, stats: s.stats, report: s.report, recipe: recipeView, pretraining: p && { steps: p.steps, done: p.done, report: p.report }, seed: state.seed, comparison },
    };
  }

  // Before the plan's session: the network in its first phase, the plan's rates, and in the loss
  // chart the pretraining's own batch loss as it comes, named as such.
  function drawPreview(p) {
    if (!preview || !p) return;
    // An empty log axis spans 1e-30 to 1e25: the charts wait for the first losses.
    if (p.losses.length) lossPlot.draw({ steps: p.total, log: true, series: [{ label: `task A pretraining batch, median of ${SEEDS}`, color: COLORS[2], values: p.losses }] });
    diagram.update({ stats: null, frozen: preview.frozen, history: [] });
    rateChart.draw(preview.timeline, 0);
    verdictText.textContent = `Pretraining the bodies on task A: step ${p.steps} of ${p.total}. Fine-tuning on task B, beside networks trained from scratch, starts when it is done.`;
    delete verdictText.dataset.better;
    renders += 1;
    globalThis.__lrp = {
      ...globalThis.__lrp,
      layers: { renders, mode, preset: state.preset, steps: null, budget: preview.budget, finished: false, playing: false, frozen: preview.frozen, stats: null, report: null, recipe: null, pretraining: { steps: p.steps, done: p.done, report: p.report }, seed: state.seed, comparison },
    };
  }

  function drawPretraining(p) {
    if (!p) return;
    if (p.losses.length) pretrainPlot.draw({ steps: p.total, series: [{ label: `task A, median of ${SEEDS} seeds`, color: COLORS[2], values: p.losses }], log: true });
    const { a: set } = task();
    const a = set.data;
    const what = set.names ? ownSetWords(set) : a.kind === 'spiral' ? `${articleFor(a.arms)} ${a.arms}-arm spiral` : a.kind === 'digits' ? `digits ${a.classes.join(', ')}, ${a.n} images` : `two moons (noise ${a.noise})`;
    pretrainText.textContent = p.done
      ? `Task A, ${what}: ${p.total} steps of fit_one_cycle from ${SEEDS} seeds, validation accuracy ${spread(p.reports?.map((r) => r.validation_accuracy))}. Their bodies go on to task B; their ${task().a.classes}-class heads do not.`
      : `Pretraining on task A from ${SEEDS} seeds, ${what}: step ${p.steps} of ${p.total} (the line is the median batch loss)…`;
  }

  // Where task B's arms are, over the seeds (`finding`: transferFinding of the last evaluation):
  // from the first step on the finding's sentence, then their medians and how the baseline was tuned.
  function verdictLine(s, finding) {
    if (!finding) return '';
    const { b: set } = task();
    const b = set.data;
    const what = set.names ? ownSetWords(set) : { spiral: `${articleFor(b.arms)} ${b.arms}-arm spiral turned ${b.rotation}°, ${b.n} points`, moons: `noisy moons, ${b.n} points`, digits: `digits ${b.classes?.join(', ')}, ${b.n} images` }[b.kind];
    const tuned = s.scratchTuning ? ` From scratch trains at its own best rate: one cycle to ${formatRate(s.scratchTuning.lr)}, the best median of ${s.scratchTuning.tried} tried on task B.` : '';
    const line = `Task B (${what}), step ${s.steps}, ${SEEDS} seeds: median validation accuracy fine-tuned ${percent(finding.fineTune.accuracy)}, from scratch ${percent(finding.scratch.accuracy)}.`;
    // The finding first: in a small frame it is what shows.
    return s.steps > 0 ? `${finding.sentence} ${line}${tuned}` : `${line}${tuned}`;
  }
}

// "91.2% (87.5–93.0% over the seeds)": the median of `values` and their range.
function spread(values) {
  const finite = (values ?? []).filter(Number.isFinite);
  if (!finite.length) return '–';
  return `${percent(median(finite))} (${percent(Math.min(...finite))}–${percent(Math.max(...finite))} over the seeds)`;
}

function percent(x) {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '–';
}
