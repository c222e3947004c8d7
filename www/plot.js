// A line chart over steps (uPlot). A new chart when the series or the axis change; new values
// alone (a training run growing) go into the chart already there.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One colour per series slot (as many as a demo allows), stable while others are removed. */
export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export class LinePlot {
  constructor(container, { height, yLabel }) {
    this.container = container;
    this.height = height;
    this.yLabel = yLabel;
    this.chart = null;
    this.shape = null;
    // Follow the container's width (window resizes, an embedding iframe).
    this.resize = new ResizeObserver(() => this.chart?.setSize({ width: this.width(), height: this.height }));
    this.resize.observe(container);
  }

  /** `series`: [{ label, color, values: ArrayLike<number> | null }]; `steps`: the x extent. */
  draw({ steps, series, log = false }) {
    const x = Array.from({ length: steps }, (_, t) => t);
    // uPlot draws null as a gap: use it past a schedule's end, and for values a log axis cannot show.
    const ys = series.map(({ values }) => x.map((t) => plottable(values?.[t], log)));
    const shape = JSON.stringify([log, series.map(({ label, color }) => [label, color])]);
    if (shape === this.shape) {
      this.chart.setData([x, ...ys]);
      return;
    }
    this.shape = shape;
    this.chart?.destroy();
    this.chart = new uPlot(
      {
        width: this.width(),
        height: this.height,
        scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
        axes: [
          { label: 'step' },
          { label: this.yLabel, size: 64, values: (_, ticks) => ticks.map(formatTick) },
        ],
        series: [{ label: 'step' }, ...series.map(({ label, color }) => ({ label, stroke: color, width: 2, value: (_, v) => formatTick(v) }))],
        legend: { live: true },
      },
      [x, ...ys],
      this.container,
    );
  }

  destroy() {
    this.resize.disconnect();
    this.chart?.destroy();
    this.chart = null;
    this.shape = null;
  }

  width() {
    return Math.max(200, this.container.clientWidth);
  }
}

function plottable(v, log) {
  return Number.isFinite(v) && (!log || v > 0) ? v : null;
}

function formatTick(v) {
  return v == null ? '' : String(Number(v.toPrecision(3)));
}
