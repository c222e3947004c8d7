// The Layers demo's rate timeline: each group's learning rate and frozen flag at every step of
// the fine-tuning run, as a plan lays them out (planGroups) or as the recipe's stages add them.
// Pure data, no DOM: the rate chart and the layer diagram read it, the tests check it.
//
// A timeline is `{ lr: number[][], frozen: boolean[][] }`, indexed [group][step].

/** A timeline of `groups` groups and no steps. */
export function emptyTimeline(groups) {
  return { lr: Array.from({ length: groups }, () => []), frozen: Array.from({ length: groups }, () => []) };
}

/**
 * planGroups' answer (`{ steps, n_groups, lr, trainable }`, row-major [step][group]) as a
 * timeline. A frozen group's rate is the one the plan gives it (drawn as frozen by the chart).
 */
export function planTimeline({ steps, n_groups: groups, lr, trainable }) {
  const timeline = emptyTimeline(groups);
  for (let t = 0; t < steps; t++) {
    for (let g = 0; g < groups; g++) {
      timeline.lr[g].push(lr[t * groups + g]);
      timeline.frozen[g].push(!trainable[t * groups + g]);
    }
  }
  return timeline;
}

/**
 * One stage of training as a timeline: the schedule's rates `lrs` (one per step) times each
 * group's multiplier, with the groups' frozen flags held for the whole stage.
 */
export function stageTimeline(lrs, mult, frozen) {
  return {
    lr: mult.map((m) => Array.from(lrs, (lr) => lr * m)),
    frozen: frozen.map((f) => Array.from(lrs, () => f)),
  };
}

/** `timeline` with `more` appended (in place); returns it. */
export function appendTimeline(timeline, more) {
  timeline.lr.forEach((column, g) => column.push(...more.lr[g]));
  timeline.frozen.forEach((column, g) => column.push(...more.frozen[g]));
  return timeline;
}

/** Drops every step from `steps` on (in place): a stage redone from there. */
export function truncateTimeline(timeline, steps) {
  for (const column of [...timeline.lr, ...timeline.frozen]) column.length = Math.min(column.length, steps);
  return timeline;
}

/** Group `group` frozen (or not) over steps [from, to) (in place): a user's click until the plan's next phase. */
export function setFrozen(timeline, group, from, to, frozen) {
  const column = timeline.frozen[group];
  for (let t = Math.max(0, from); t < Math.min(to, column.length); t++) column[t] = frozen;
  return timeline;
}

export function timelineSteps(timeline) {
  return timeline.lr[0]?.length ?? 0;
}

/**
 * The groups' rates and frozen flags at step `t` (the last step's past the end, none before
 * any): what the diagram shows for the step about to be taken.
 */
export function timelineAt(timeline, t) {
  const n = timelineSteps(timeline);
  if (n === 0) return null;
  const i = Math.min(Math.max(0, t), n - 1);
  return { lr: timeline.lr.map((column) => column[i]), frozen: timeline.frozen.map((column) => column[i]) };
}

/** The first step of each phase, and the step after the last, from planGroups' `phases` ({ steps }). */
export function phaseStarts(phases) {
  const starts = [0];
  for (const phase of phases) starts.push(starts.at(-1) + phase.steps);
  return starts;
}

/**
 * uPlot's data for the rate chart: x = steps, then per group its rate where it trains, then per
 * group its rate where it is frozen (null elsewhere, a gap; also where a log axis cannot show the
 * value). The frozen lines come last, drawn over the others: a frozen group's rate often equals
 * another's (a multiplier of 1). A frozen stretch takes in the steps either side of it, so the
 * line has no hole where the group changes state. `series` says which column is which:
 * `{ group, frozen }`.
 */
export function rateChartData(timeline) {
  const n = timelineSteps(timeline);
  const x = Array.from({ length: n }, (_, t) => t);
  const shown = (lrs, t) => (lrs[t] > 0 && Number.isFinite(lrs[t]) ? lrs[t] : null);
  const training = timeline.lr.map((lrs, g) => x.map((t) => (timeline.frozen[g][t] ? null : shown(lrs, t))));
  const frozen = timeline.lr.map((lrs, g) => {
    const f = timeline.frozen[g];
    return x.map((t) => (f[t] || f[t - 1] || f[t + 1] ? shown(lrs, t) : null));
  });
  const series = [...training.map((_, g) => ({ group: g, frozen: false })), ...frozen.map((_, g) => ({ group: g, frozen: true }))];
  return { data: [x, ...training, ...frozen], series };
}

/**
 * Where `value` sits on a log scale from `lo` to `hi`, in [0, 1]: the length of a rate bar. Zero
 * (a frozen group's rate), negative and non-finite values give 0.
 */
export function logFraction(value, lo, hi) {
  if (!(value > 0) || !Number.isFinite(value)) return 0;
  const f = (Math.log10(value) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
  return Math.min(1, Math.max(0, f));
}

/**
 * A sparkline's SVG `points` ("x,y x,y ...") for `values` in a `width` × `height` box, on a log
 * scale from `lo` (bottom) to `hi` (top), clamped to the box. Values a log scale cannot show
 * (zero, negative, NaN) break the line: the answer is a list of such runs of points.
 */
export function sparkLines(values, { width, height, lo, hi }) {
  const n = values.length;
  const lines = [];
  let current = [];
  values.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) {
      if (current.length) lines.push(current.join(' '));
      current = [];
      return;
    }
    const x = n === 1 ? width : (i / (n - 1)) * width;
    const y = height * (1 - logFraction(v, lo, hi));
    current.push(`${round(x)},${round(y)}`);
  });
  if (current.length) lines.push(current.join(' '));
  return lines;
}

/** The y of `value` in a sparkline's box (for the band it marks). */
export function sparkY(value, { height, lo, hi }) {
  return round(height * (1 - logFraction(value, lo, hi)));
}

function round(v) {
  return Math.round(v * 10) / 10;
}

/** A log scale of whole decades that takes in the positive `values` (at least one decade; 1e-3..1 when there are none). */
export function decadesAround(values) {
  const logs = values.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10);
  if (!logs.length) return [1e-3, 1];
  const lo = Math.floor(Math.min(...logs));
  const hi = Math.max(lo + 1, Math.ceil(Math.max(...logs)));
  return [10 ** lo, 10 ** hi];
}

/**
 * A log axis's tick labels: whole decades only, at most five of them (every other one, or fewer,
 * in a short chart); null where a tick goes unlabelled.
 */
export function sparseDecades(ticks) {
  const decade = (v) => v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  const every = Math.max(1, Math.ceil(ticks.filter(decade).length / 5));
  return ticks.map((v) => (decade(v) && Math.round(Math.log10(v)) % every === 0 ? v : null));
}
