// A vertical line at the animation's step on a LinePlot (plot.js): an element laid over uPlot's
// plotting area, moved every frame. The chart can be made anew (new paths) or resized, so the
// line is put back into the chart there is and placed again on each of those.

export class StepCursor {
  constructor(plot, testid) {
    this.plot = plot;
    this.step = 0;
    this.element = Object.assign(document.createElement('div'), { className: 'step-cursor' });
    this.element.dataset.testid = testid;
    this.resize = new ResizeObserver(() => this.show(this.step));
    this.resize.observe(plot.container);
  }

  /** The line at `step` (an x value of the chart), in the chart drawn now. */
  show(step) {
    this.step = step;
    const chart = this.plot.chart;
    if (!chart) return;
    if (this.element.parentElement !== chart.over) chart.over.append(this.element);
    const left = chart.valToPos(step, 'x');
    this.element.hidden = !Number.isFinite(left);
    this.element.style.transform = `translateX(${left}px)`;
    this.element.dataset.step = String(step);
  }

  destroy() {
    this.resize.disconnect();
    this.element.remove();
  }
}
