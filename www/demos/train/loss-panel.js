// The Train demo's loss panel: each arm's training loss smoothed (TensorBoard's debiased EMA, the
// raw batch losses faint beneath), its band over seeds, its validation loss at each evaluation,
// and under it each arm's learning rate on a track with the same x axis; a legend that shows each
// arm's latest values without hovering, and a smoothing slider. Before training starts the rate
// track already shows every arm's schedule.
import uPlot from 'uplot';
import { h } from '../../dom.js';
import { formatRate, formatTick } from '../../format.js';
import { logSplits } from '../../log-axis.js';
import { FittedChart, logRange } from '../../plot.js';
import { LossPanelData } from './loss-data.js';

const SYNC = 'train-steps';
// Per arm, in this order: raw (faint), band's upper and lower edge, smoothed, validation.
const PER_ARM = 5;

export class LossPanel {
  /** `onSmoothing(weight)` when the slider moves; `compact`: shorter charts (an embed's small frame). */
  constructor({ smoothing, onSmoothing, compact = false }) {
    this.smoothing = smoothing;
    const value = h('output', { class: 'smoothing-value' }, String(smoothing));
    const slider = h('input', {
      type: 'range',
      min: 0,
      max: 0.99,
      step: 0.01,
      value: smoothing,
      'data-testid': 'train-smoothing',
      'aria-label': 'Smoothing of the training loss',
      oninput: () => {
        this.smoothing = Number(slider.value);
        value.textContent = slider.value;
        slider.setAttribute('aria-valuetext', `smoothing ${slider.value}`);
        onSmoothing(this.smoothing);
      },
    });
    this.lossBox = h('div', { class: 'plot loss-chart', 'data-testid': 'loss-plot' });
    this.rateBox = h('div', { class: 'plot rate-track', 'data-testid': 'rate-track' });
    this.legend = h('table', { class: 'readout loss-legend', 'data-testid': 'loss-legend' });
    this.element = h(
      'div',
      { class: 'loss-panel' },
      h('div', { class: 'loss-panel-head' }, h('label', { class: 'smoothing' }, 'Smoothing ', slider, value)),
      this.lossBox,
      this.rateBox,
      this.legend,
    );
    this.loss = new FittedChart(this.lossBox, compact ? 140 : 220);
    // Tall enough for three labelled decades of rate between the step axis and the top.
    this.rate = new FittedChart(this.rateBox, compact ? 130 : 170);
    this.panelData = new LossPanelData();
    this.data = null;
  }

  /**
   * `arms`: [{ label, color, losses, evaluations, rates }] (loss-data.js); `steps`: the budget.
   * `session`: whose curves they are (loss-data.js keeps the arrays while it trains on).
   */
  update(arms, steps, session) {
    const panel = this.panelData.update(arms, steps, this.smoothing, session);
    this.data = panel;
    const shape = JSON.stringify([steps, arms.map((a) => [a.label, a.color])]);
    const x = { time: false, range: [0, Math.max(1, steps - 1)] };
    const cursor = { sync: { key: SYNC } };
    const yAxis = (label, format) => ({ label, size: 64, splits: (u, _, min, max) => logSplits(min, max, u.bbox.height / uPlot.pxRatio / 22), filter: (_, s) => s, values: (_, ticks) => ticks.map(format) });
    // Before any loss is in, the loss axis shows the decades a loss usually starts in.
    const logScale = { distr: 3, range: (_, min, max) => (min > 0 && Number.isFinite(max) ? logRange(min, max) : [0.1, 10]) };
    this.loss.render(
      shape,
      [panel.x, ...panel.arms.flatMap((a) => [a.raw, a.hi, a.lo, a.smooth, a.validation])],
      () => ({
        scales: { x, y: logScale },
        cursor,
        legend: { show: false },
        // The step axis is the rate track's, under both: here only its grid.
        axes: [{ size: 6, values: (_, ticks) => ticks.map(() => '') }, yAxis('loss', formatTick)],
        series: [{ label: 'step' }, ...arms.flatMap(armSeries)],
        bands: arms.map((_, i) => ({ series: [1 + i * PER_ARM + 1, 1 + i * PER_ARM + 2], fill: `${arms[i].color}33` })),
      }),
    );
    this.rate.render(shape, [panel.x, ...panel.arms.map((a) => a.rate)], () => ({
      scales: { x, y: logScale },
      cursor,
      legend: { show: false },
      // A slim step axis (uPlot's default takes 80 px of the track for its ticks and name).
      axes: [{ label: 'step', size: 26, labelSize: 16, ticks: { size: 4 } }, yAxis('rate', formatRate)],
      series: [{}, ...arms.map(({ label, color }) => ({ label: `${label} rate`, stroke: color, width: 1.5 }))],
    }));
    this.showLegend(arms, panel);
  }

  showLegend(arms, panel) {
    const head = h('tr', {}, ['Run', 'Smoothed loss', 'Validation loss', 'Rate'].map((t) => h('th', {}, t)));
    const rows = arms.map((arm, i) => {
      const { smooth, validation, rate } = panel.arms[i].latest;
      return h(
        'tr',
        { style: `--series-color: ${arm.color}` },
        h('td', {}, h('span', { class: 'swatch', 'aria-hidden': 'true' }), ` ${arm.label}`),
        h('td', {}, smooth === null ? '–' : formatTick(smooth)),
        h('td', {}, validation === null ? '–' : formatTick(validation)),
        h('td', {}, rate === null ? '–' : formatRate(rate)),
      );
    });
    this.legend.replaceChildren(h('thead', {}, head), h('tbody', {}, rows));
  }

  destroy() {
    this.loss.destroy();
    this.rate.destroy();
  }
}

function armSeries({ label, color }) {
  return [
    { label: `${label} (batch)`, stroke: `${color}40`, width: 1 },
    { label: `${label} upper quartile`, stroke: 'transparent', width: 0, points: { show: false } },
    { label: `${label} lower quartile`, stroke: 'transparent', width: 0, points: { show: false } },
    { label: `${label} (smoothed)`, stroke: color, width: 2 },
    { label: `${label} validation`, stroke: color, width: 1, spanGaps: true, dash: [4, 4], points: { show: true, size: 5, fill: color } },
  ];
}
