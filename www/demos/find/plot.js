// The finder plot (uPlot): loss against a log-scale learning rate. Raw batch losses as dots, each
// run's smoothed curve as a line; with several seeds their median, interquartile and min–max band;
// a marker per suggestion at its rate, labelled with its name and value; and, once the test is
// checked by training, each candidate rate's validation loss on a second axis (× at the top: diverged).
import uPlot from 'uplot';
import { formatRate, formatTick } from '../../format.js';
import { clampToLogAxis, logSplits } from '../../log-axis.js';
import { COLORS, FittedChart, logRange } from '../../plot.js';
import { LABEL_ROW_PX, laneHeight, laneLayout } from './marker-labels.js';

const BAND = { iqr: 'rgba(42, 91, 215, 0.28)', range: 'rgba(42, 91, 215, 0.12)' };
const MARKER = { check: '#0b7a53' };
// The suggestion labels' type size and the room either side of their text, in CSS pixels.
const LABEL_FONT_PX = 11;
const LABEL_PAD_PX = 2;

// The picked suggestion in the error colour, the lowest point in ink, the others muted.
function markerColour(colours, picked, lowest) {
  if (picked) return colours.error;
  return lowest ? colours.ink : colours.muted;
}

export class FinderPlot extends FittedChart {
  /** `onDrawn(chart)` after every draw of the chart (uPlot's). */
  constructor(container, { height, onDrawn }) {
    super(container, height);
    this.onDrawn = onDrawn;
    this.markers = [];
    this.laneRows = 0;
    this.yRange = [0, 1];
    this.check = null;
    this.checkRange = [0, 1];
    this.xRange = [1e-7, 10];
  }

  /**
   * `lrs`: the rate of each batch (ascending); `curves`: [{ label, raw, smoothed }] per run, each as
   * long as it recorded; `band`: the engine's band over the smoothed curves ({ median, q25, q75,
   * min, max }), or null; `markers`: [{ name, lr, loss, picked }]; `lowest`: the curve's lowest
   * point { lr, loss } (drawn as "minimum" where fastai's minimum ÷ 10 is a marker), or null;
   * `check`: checkView()'s { steps, points: [{ lr, loss, diverged, best }] }, or null.
   */
  draw({ lrs, curves, band, markers, lowest = null, check }) {
    const n = lrs.length;
    const column = (values) => Array.from({ length: n }, (_, i) => (Number.isFinite(values?.[i]) ? values[i] : null));
    const series = curves.flatMap((c) => [column(c.raw), column(c.smoothed)]);
    const bandColumns = band ? [band.max, band.min, band.q75, band.q25, band.median].map(column) : [];
    this.markers = markers;
    this.lowest = lowest;
    this.yRange = yLimits(curves);
    this.check = check;
    // The check's axis needs a series on its scale: one with no values.
    const checkColumns = check ? [column(null)] : [];
    if (check) {
      this.checkRange = padded(check.points.filter((p) => !p.diverged).map((p) => p.loss));
      // The curve's rates, widened to take in the checked ones.
      const rates = [lrs[0], lrs[n - 1], ...check.points.map((p) => p.lr)].filter((lr) => lr > 0);
      this.xRange = [Math.min(...rates), Math.max(...rates)];
    }
    const data = [Array.from(lrs), ...series, ...bandColumns, ...checkColumns];
    this.render(JSON.stringify([curves.map((c) => c.label), Boolean(band), check?.steps]), data, () => this.options(curves, Boolean(band), check?.steps));
  }

  options(curves, withBand, checkSteps) {
    // With several seeds the band tells the story: each run's own dots and line stay faint.
    const alpha = withBand ? { dots: '40', line: '55' } : { dots: '99', line: '' };
    const runSeries = curves.flatMap((c, k) => [
      { label: `${c.label} raw`, stroke: COLORS[k] + alpha.dots, paths: () => null, points: { show: true, size: 4, fill: COLORS[k] + alpha.dots } },
      { label: `${c.label} smoothed`, stroke: COLORS[k] + alpha.line, width: withBand ? 1 : 2, points: { show: false } },
    ]);
    // The band's edges are drawn as its fills (bands, below), the median as a line.
    const edge = (label) => ({ label, stroke: 'transparent', points: { show: false } });
    const bandSeries = withBand ? [edge('max'), edge('min'), edge('q75'), edge('q25'), { label: 'median', stroke: this.colours.ink, width: 2.5, points: { show: false } }] : [];
    const first = 1 + runSeries.length;
    const checked = checkSteps !== undefined;
    return {
      // Room above the plot for the suggestions' labels (drawMarkers counts their rows).
      padding: [() => laneHeight(this.laneRows), null, null, null],
      // A pasted curve may hold any positive rates: the log axis keeps to what uPlot can tick.
      scales: { x: { time: false, distr: 3, range: checked ? () => this.xRange.map(clampToLogAxis) : (_, min, max) => logRange(min, max) }, y: { range: () => this.yRange }, check: { range: () => this.checkRange } },
      axes: [
        // Decades only, and every other one (or fewer) where they would crowd a narrow plot.
        { label: 'learning rate (log scale)', splits: (_, __, min, max) => logSplits(min, max), filter: decadeTicks, grid: { filter: decadeTicks }, ticks: { filter: decadeTicks }, values: (_, ticks) => ticks.map(formatRate) },
        { label: 'loss', size: 56, values: (_, ticks) => ticks.map(formatTick) },
        ...(checked ? [{ scale: 'check', side: 1, label: `validation loss after ${checkSteps} steps`, size: 56, stroke: MARKER.check, grid: { show: false }, values: (_, ticks) => ticks.map(formatTick) }] : []),
      ],
      series: [{ label: 'lr' }, ...runSeries, ...bandSeries, ...(checked ? [{ label: 'check', scale: 'check', paths: () => null, points: { show: false } }] : [])],
      bands: withBand
        ? [
            { series: [first, first + 1], fill: BAND.range },
            { series: [first + 2, first + 3], fill: BAND.iqr },
          ]
        : [],
      legend: { show: false },
      hooks: { draw: [(u) => this.drawMarkers(u), (u) => this.drawCheck(u), (u) => this.onDrawn(u)] },
    };
  }

  // A square per checked rate at its validation loss (ringed: the best), an × at the top for one
  // that diverged.
  drawCheck(u) {
    if (!this.check) return;
    const { ctx } = u;
    const dpr = uPlot.pxRatio;
    const size = 5 * dpr;
    ctx.save();
    ctx.strokeStyle = MARKER.check;
    ctx.fillStyle = MARKER.check;
    ctx.lineWidth = 2 * dpr;
    ctx.setLineDash([]);
    for (const { x, y, diverged, best } of this.checkPoints(u, true)) {
      ctx.beginPath();
      if (diverged) {
        ctx.moveTo(x - size, y - size);
        ctx.lineTo(x + size, y + size);
        ctx.moveTo(x - size, y + size);
        ctx.lineTo(x + size, y - size);
        ctx.stroke();
        continue;
      }
      ctx.fillRect(x - size, y - size, 2 * size, 2 * size);
      if (best) {
        ctx.arc(x, y, 2.2 * size, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    ctx.restore();
  }

  // Where each checked rate is drawn, in canvas pixels (`canvas`) or CSS pixels inside the plot.
  checkPoints(u, canvas) {
    const top = canvas ? u.bbox.top + 8 * uPlot.pxRatio : 8;
    return (this.check?.points ?? []).map(({ lr, loss, diverged, best }) => ({
      lr,
      diverged,
      best,
      x: u.valToPos(lr, 'x', canvas),
      y: diverged ? top : u.valToPos(loss, 'check', canvas),
    }));
  }

  // A dashed line at each suggestion's rate and a dot where it meets the curve; its name and value
  // in the label lane above the plot (marker-labels.js), the line running up to it.
  drawMarkers(u) {
    const { ctx } = u;
    const dpr = uPlot.pxRatio;
    const { top, height } = u.bbox;
    const labels = this.labelBoxes(u);
    const rows = Math.max(0, ...labels.map((l) => l.row + 1));
    // The lane is laid out with the chart: a new number of rows lays it out again, then draws.
    if (rows !== this.laneRows) {
      this.laneRows = rows;
      queueMicrotask(() => this.chart === u && u.setSize({ width: u.width, height: u.height }));
    }
    ctx.save();
    ctx.font = `${LABEL_FONT_PX * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    for (const { lr, loss, picked, lowest, x, labelTop } of labels) {
      ctx.strokeStyle = ctx.fillStyle = markerColour(this.colours, picked, lowest);
      ctx.lineWidth = (picked ? 2 : 1) * dpr;
      ctx.setLineDash(lowest ? [] : [4 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x * dpr, (labelTop + LABEL_ROW_PX / 2) * dpr);
      ctx.lineTo(x * dpr, top + height);
      ctx.stroke();
      if (Number.isFinite(loss)) {
        ctx.beginPath();
        ctx.arc(x * dpr, u.valToPos(loss, 'y', true), (picked ? 5 : 4) * dpr, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    // Labels over the leaders of others, on the page's background.
    for (const { text, picked, lowest, left, width, labelTop } of labels) {
      ctx.fillStyle = this.colours.paper;
      ctx.fillRect(left * dpr, labelTop * dpr, width * dpr, LABEL_ROW_PX * dpr);
      ctx.fillStyle = markerColour(this.colours, picked, lowest);
      ctx.fillText(text, (left + LABEL_PAD_PX) * dpr, (labelTop + LABEL_ROW_PX / 2) * dpr);
    }
    ctx.restore();
  }

  /**
   * Each suggestion's label as it is drawn, in CSS pixels on the canvas: { name, lr, loss, picked,
   * lowest, text, x (its line), left, width, labelTop, row }, left to right.
   */
  labelBoxes(u) {
    const dpr = uPlot.pxRatio;
    // fastai's "minimum" is a tenth of the rate at the lowest loss: it says so, and the lowest
    // point itself is marked "minimum", solid, in the ink colour.
    const lowest = this.lowest ? [{ name: 'minimum', lr: this.lowest.lr, loss: this.lowest.loss, lowest: true }] : [];
    const rows = [...this.markers.map((m) => (m.name === 'minimum' ? { ...m, name: 'minimum ÷ 10' } : m)), ...lowest].sort((a, b) => a.lr - b.lr);
    u.ctx.save();
    u.ctx.font = `${LABEL_FONT_PX * dpr}px system-ui, sans-serif`;
    const sized = rows.map((m) => {
      const text = `${m.name} ${formatRate(m.lr)}`;
      return { ...m, text, x: u.valToPos(m.lr, 'x', true) / dpr, width: u.ctx.measureText(text).width / dpr + 2 * LABEL_PAD_PX };
    });
    u.ctx.restore();
    const plotTop = u.bbox.top / dpr;
    const placed = laneLayout(sized, 0, (u.bbox.left + u.bbox.width) / dpr);
    return sized.map((m, i) => ({ ...m, ...placed[i], labelTop: plotTop - (placed[i].row + 1) * LABEL_ROW_PX - 2 }));
  }

  /** The marker positions on `chart` in CSS pixels inside the plot, for tests: { name: x }. */
  markerPositions(chart) {
    return Object.fromEntries(this.markers.map(({ name, lr }) => [name, chart.valToPos(lr, 'x')]));
  }

  /** The checked rates' markers on `chart` in CSS pixels inside the plot, for tests: [{ lr, x, y, diverged, best }]. */
  checkPositions(chart) {
    return this.checkPoints(chart, false);
  }

}

/** Points at the end of each curve the y axis leaves out, as fastai's plot_lr_find skips them (skip_end=5). */
const SKIP_END = 5;

// Losses grow without bound at the end of a test: the y axis spans the smoothed curves but their
// last few points, so the part left of the blow-up, where the choice is made, fills the plot.
function yLimits(curves) {
  const values = curves.flatMap((c) => Array.from(c.smoothed ?? []).slice(0, Math.max(1, (c.smoothed?.length ?? 0) - SKIP_END))).filter(Number.isFinite);
  return padded(values);
}

// The range of `values` with a little room either side; [0, 1] for none. A loop, not
// Math.min(...values): a long test's curves hold more values than a call takes arguments.
function padded(values) {
  if (values.length === 0) return [0, 1];
  let [lo, hi] = [Infinity, -Infinity];
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.06;
  return [lo - pad, hi + pad];
}

/** Room a decade label needs, in CSS pixels. */
const DECADE_PX = 44;

// The x splits to label and grid: whole decades, thinned to every k-th so labels never overlap.
function decadeTicks(u, splits) {
  const { min, max } = u.scales.x;
  const perDecade = u.bbox.width / uPlot.pxRatio / Math.max(1, Math.log10(max / min));
  const every = Math.max(1, Math.ceil(DECADE_PX / perDecade));
  return splits.map((v) => {
    const decade = Math.log10(v);
    return Math.abs(decade - Math.round(decade)) < 1e-9 && Math.round(decade) % every === 0 ? v : null;
  });
}
