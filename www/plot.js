// A line chart over steps (uPlot), redrawn whole on every update: the data changes shape
// (series added, log axis toggled) as often as it changes values, and a redraw costs milliseconds.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export class LinePlot {
  constructor(container, { height, yLabel }) {
    this.container = container;
    this.height = height;
    this.yLabel = yLabel;
    this.chart = null;
    // Follow the container's width (window resizes, an embedding iframe).
    this.resize = new ResizeObserver(() => this.chart?.setSize({ width: this.width(), height: this.height }));
    this.resize.observe(container);
  }

  /** `series`: [{ label, color, values: ArrayLike<number> | null }]; `steps`: the x extent. */
  draw({ steps, series, log = false }) {
    this.chart?.destroy();
    const x = Array.from({ length: steps }, (_, t) => t);
    // uPlot draws null as a gap: use it past a schedule's end, and for values a log axis cannot show.
    const ys = series.map(({ values }) => x.map((t) => plottable(values?.[t], log)));
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
