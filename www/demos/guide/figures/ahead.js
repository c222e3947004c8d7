// What a guide figure draws before the engine answers: its chart's axes over the steps it will
// show, its series named in their colours, no values yet. The reader sees at once what the figure
// plots while its status line says what is being computed; the figure then draws into the same chart.
import { COLORS, LinePlot } from '../../../plot.js';

/** A LinePlot in `box` over `steps` steps with a series per label and no values. */
export function emptyPlot(box, { height, yLabel, steps, labels, colors = COLORS }) {
  const plot = new LinePlot(box, { height, yLabel });
  plot.draw({ steps, series: labels.map((label, i) => ({ label, color: colors[i], values: null })) });
  return plot;
}
