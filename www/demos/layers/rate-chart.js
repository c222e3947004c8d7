// The per-group rate curves of the fine-tuning run (uPlot, log y): one line per group, dashed and
// faint where the group is frozen, and a cursor line at the step about to be taken.
import { h } from '../../dom.js';
import { formatRate } from '../../format.js';
import { logSplits } from '../../log-axis.js';
import { COLORS, FittedChart, logRange } from '../../plot.js';
import { rateChartData, sparseDecades } from './timeline.js';

export class RateChart extends FittedChart {
  constructor(container, { height, names }) {
    super(container, height);
    this.names = names;
    this.step = 0;
  }

  /** `timeline` (timeline.js) and `step`: the steps trained so far. */
  draw(timeline, step) {
    const { data, series } = rateChartData(timeline);
    this.step = step;
    this.data = data;
    const shape = JSON.stringify(series);
    if (shape === this.shape) {
      // The same curves: only new data (a stage added, a click) or the cursor moved.
      this.chart.setData(data);
      return;
    }
    this.render(shape, data, () => ({
      // Six decades under the highest rate: a schedule that anneals to ~0 would squash the rest.
      scales: { x: { time: false }, y: { distr: 3, range: (_, min, max) => logRange(Math.max(min, max * 1e-6), max) } },
      axes: [
        { label: 'step' },
        { label: 'learning rate', size: 64, splits: (_, __, min, max) => logSplits(min, max), values: (_, ticks) => sparseDecades(ticks).map((v) => (v === null ? '' : formatRate(v))) },
      ],
      series: [
        { label: 'step' },
        ...series.map(({ group, frozen }) => ({
          label: `${this.names[group]}${frozen ? ' (frozen)' : ''}`,
          stroke: frozen ? `${COLORS[group]}cc` : COLORS[group],
          width: 2,
          dash: frozen ? [5, 4] : undefined,
          value: (_, v) => formatRate(v),
        })),
      ],
      // The legend is the page's own (rateLegend): one entry per group, not per line.
      legend: { show: false },
      hooks: { draw: [(u) => this.drawCursor(u)] },
    }));
  }

  drawCursor(u) {
    const x = u.valToPos(this.step, 'x', true);
    if (!Number.isFinite(x)) return;
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = this.colours.ink;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.restore();
  }
}

/** The rate chart's legend: a swatch per group, and what a dashed line means. */
export function rateLegend(names) {
  return h(
    'p',
    { class: 'rate-legend' },
    names.map((name, g) => h('span', { class: 'rate-key', style: `--group-color: ${COLORS[g]}` }, name)),
    h('span', { class: 'rate-key frozen-key' }, 'dashed: frozen'),
  );
}

