// Charts (uPlot) that follow their container's width, and the line chart over steps. A new chart
// when the series or the axis change; new values go into the chart already there: all of them
// (draw), or only those added at the end (extend).
import uPlot from 'uplot';
import { chartSummary } from './chart-summary.js';
import { formatRate, formatTick } from './format.js';
import { LOG_CEIL, clampToLogAxis, logSplits } from './log-axis.js';
import { appendData, plotData } from './plot-data.js';
import { chartColours, onThemeChange } from './theme.js';

// Every chart on screen, for the figure's downloads (figure-export.js): found by where they are.
const LIVE = new Set();

/** The uPlot charts drawn inside `element`, in document order. */
export function chartsIn(element) {
  return [...LIVE].filter((c) => c.chart && element.contains(c.container)).map((c) => c.chart);
}

/** A log axis's range for data in [min, max] (either may be null: no data), in whole decades within the bounds. */
export function logRange(min, max) {
  const lo = clampToLogAxis(min);
  return uPlot.rangeLog(lo, Math.max(lo, clampToLogAxis(max ?? LOG_CEIL)), 10, true);
}

/** Room a log axis's tick label needs, in CSS pixels of height. */
const LOG_TICK_PX = 22;

/** One colour per series slot (as many as a demo allows), stable while others are removed. */
export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/**
 * A uPlot chart in `container`, as wide as the container (window resizes, an embedding iframe),
 * made anew only when what it shows changes shape.
 */
export class FittedChart {
  // Private: subclasses have their own `options` and the like.
  #options = null;
  #stopRestyling = null;

  constructor(container, height) {
    this.container = container;
    this.height = height;
    this.chart = null;
    this.shape = null;
    /** The theme's colours when the chart was made (theme.js), for what a subclass draws itself. */
    this.colours = null;
    this.resize = new ResizeObserver(() => this.chart?.setSize({ width: this.width(), height: this.height }));
    this.resize.observe(container);
    this.#stopRestyling = onThemeChange(() => this.#restyle());
    LIVE.add(this);
  }

  /** Draws `data` in the chart there is while `shape` (a string) is the same, else in a new one with `options()`. */
  render(shape, data, options) {
    if (shape === this.shape) {
      this.chart.setData(data);
    } else {
      this.shape = shape;
      this.#options = options;
      this.#make(data);
    }
    this.chart.ctx.canvas.setAttribute('aria-label', chartSummary(this.chart));
  }

  // A new uPlot in the theme's colours now (the colours are read when the chart is made).
  #make(data) {
    this.chart?.destroy();
    this.colours = chartColours(this.container);
    this.chart = new uPlot({ width: this.width(), height: this.height, ...themed(this.#options(), this.colours) }, data, this.container);
    // A canvas says nothing to a screen reader: its text alternative is what it shows, kept current.
    this.chart.ctx.canvas.setAttribute('role', 'img');
  }

  // After a theme change: the same chart made anew in the new colours, if they differ.
  #restyle() {
    if (!this.chart || !this.container.isConnected || JSON.stringify(chartColours(this.container)) === JSON.stringify(this.colours)) return;
    const label = this.chart.ctx.canvas.getAttribute('aria-label');
    this.#make(this.chart.data);
    this.chart.ctx.canvas.setAttribute('aria-label', label);
  }

  destroy() {
    LIVE.delete(this);
    this.#stopRestyling();
    this.resize.disconnect();
    this.chart?.destroy();
    this.chart = null;
    this.shape = null;
  }

  width() {
    return Math.max(200, this.container.clientWidth);
  }
}

export class LinePlot extends FittedChart {
  constructor(container, { height, yLabel }) {
    super(container, height);
    this.yLabel = yLabel;
    this.data = null;
  }

  /**
   * Every point anew. `series`: [{ label, color, values: ArrayLike<number> | null, band? }]; `steps`:
   * the x extent. A series' `band` { lo, hi } (values along the same steps, as a median's quantiles
   * over seeds) is shaded in its colour, its edges left out of the legend and the text alternative.
   */
  draw({ steps, series, log = false }) {
    const lines = withBandEdges(series);
    this.data = plotData(steps, lines.map((s) => s.values), log);
    this.show(lines, log);
  }

  /**
   * Series that grew at the end since the last call (losses while training): only their new
   * points are appended to the chart's data, then drawn once. `restart`: they begin again from
   * step 0 (a new training session).
   */
  extend({ series, log = false, restart = false }) {
    const columns = series.map((s) => s.values);
    const reset = restart || shapeOf(series, log) !== this.shape;
    if (reset) this.data = plotData(0, columns, log);
    if (appendData(this.data, columns, log) > 0 || reset) this.show(series, log);
  }

  // Draws this.data: in the chart there is, or in a new one when the series or the axis changed.
  show(series, log) {
    this.render(shapeOf(series, log), this.data, () => ({
      scales: { x: { time: false }, y: log ? { distr: 3, range: (_, min, max) => logRange(min, max) } : {} },
      axes: [
        { label: 'step' },
        log
          ? // Every tick labelled (uPlot's log filter would blank all but a few), in exponent form where long.
            { label: this.yLabel, size: 64, splits: (u, _, min, max) => logSplits(min, max, u.bbox.height / uPlot.pxRatio / LOG_TICK_PX), filter: (_, splits) => splits, values: (_, ticks) => ticks.map(formatRate) }
          : { label: this.yLabel, size: 64, values: (_, ticks) => ticks.map(formatTick) },
      ],
      series: [{ label: 'step' }, ...series.map(({ label, color, edge }) => (edge ? { label: '', stroke: `${color}55`, width: 1 } : { label, stroke: color, width: 2, value: (_, v) => formatTick(v) }))],
      bands: bandsOf(series),
      legend: { live: true },
      hooks: { ready: [(u) => hideEdgesInLegend(u, series)] },
    }));
  }
}

// The series with each band's upper and lower edge after them, as lines of their own that
// `bandsOf` shades between.
function withBandEdges(series) {
  const edges = series.flatMap(({ band, color }) => (band ? [{ color, values: band.hi, edge: 'hi' }, { color, values: band.lo, edge: 'lo' }] : []));
  return [...series.map(({ band: _, ...line }) => line), ...edges];
}

// uPlot's bands (series indices count the x series as 0): from each upper edge down to its lower.
function bandsOf(lines) {
  return lines.flatMap((line, i) => (line.edge === 'hi' ? [{ series: [i + 1, i + 2], fill: `${line.color}33` }] : []));
}

// A band's edges are part of its shading, not series to read off: their legend rows are hidden.
function hideEdgesInLegend(u, lines) {
  const rows = u.root.querySelectorAll('.u-legend tr.u-series');
  lines.forEach((line, i) => {
    if (line.edge && rows[i + 1]) rows[i + 1].hidden = true;
  });
}

// Axes, ticks and grid in the theme's colours (readable on a dark page too).
function themed(options, { ink, grid }) {
  const axes = (options.axes ?? [{}, {}]).map((axis) => ({ stroke: ink, ...axis, grid: { stroke: grid, ...axis.grid }, ticks: { stroke: grid, ...axis.ticks } }));
  return { ...options, axes };
}

function shapeOf(series, log) {
  return JSON.stringify([log, series.map(({ label, color, edge }) => [label, color, edge])]);
}
