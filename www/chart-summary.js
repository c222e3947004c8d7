// A chart's text alternative: what it plots and the values it shows now, for a screen reader
// (a canvas has no text of its own).
import { formatTick } from './format.js';

const MOST_SERIES = 8;

/** "loss against step. 1 Constant: 0.512 at step 430; 2 OneCycleLR: no value yet." for a uPlot chart. */
export function chartSummary(u) {
  // A chart whose step axis is drawn by another (Train's loss over its rate track) names it by its x series.
  const xLabel = u.axes[0]?.label || u.series[0]?.label || 'x';
  const yLabel = u.axes[1]?.label || 'value';
  const xs = u.data[0] ?? [];
  const shown = u.series.slice(1).map((s, i) => [s, u.data[i + 1] ?? []]).filter(([s]) => s.show !== false && s.label);
  const parts = shown.slice(0, MOST_SERIES).map(([s, ys]) => {
    const i = lastFinite(ys);
    return i < 0 ? `${s.label}: no value yet` : `${s.label}: ${formatTick(ys[i])} at ${xLabel} ${formatTick(xs[i])}`;
  });
  if (shown.length > MOST_SERIES) parts.push(`and ${shown.length - MOST_SERIES} more`);
  return `Chart of ${yLabel} against ${xLabel}. ${parts.length ? `${parts.join('; ')}.` : 'Nothing plotted yet.'}`;
}

function lastFinite(values) {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return i;
  return -1;
}
