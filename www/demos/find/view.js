// What the finder plot shows, from a range test in progress, a finished one, or a pasted curve:
// the curves per run, the engine's seed band when there are several runs, and the suggestion
// markers.
import { METHODS } from './options.js';

/**
 * `progress`: { lrs, losses, smoothed: [per run] } while a test runs; `result`: LrFinder.run's
 * answer (or a pasted curve's, shaped alike) once there is one, which wins. `pick`: the
 * suggestion picked.
 */
export function plotView({ progress, result }, pick) {
  const runs = result ? result.runs.map((r) => ({ raw: r.losses, smoothed: r.smoothed })) : progress.losses.map((raw, k) => ({ raw, smoothed: progress.smoothed[k] }));
  const lrs = result ? result.lrs : recordedRates(progress.lrs);
  const curves = runs.map((run, k) => ({ label: runs.length > 1 ? `seed ${k + 1}` : 'loss', ...run }));
  // The band and the suggestions come with the answer: the median curve is the band's.
  const band = result?.band ?? null;
  const reference = band ? band.median : curves[0]?.smoothed;
  const markers = result ? suggestionMarkers(result.suggestions, lrs, reference, pick) : [];
  const lowest = markers.some((m) => m.name === 'minimum') ? lowestPoint(lrs, reference) : null;
  return { lrs, curves, band, markers, lowest };
}

/**
 * Where the curve is lowest: { lr, loss }, or null for a curve without a finite value. fastai's
 * "minimum" suggestion is a tenth of this rate; the plot shows both, each named for what it is.
 */
export function lowestPoint(lrs, curve) {
  let best = -1;
  for (let i = 0; i < Math.min(lrs.length, curve?.length ?? 0); i++) if (Number.isFinite(curve[i]) && (best < 0 || curve[i] < curve[best])) best = i;
  return best < 0 ? null : { lr: lrs[best], loss: curve[best] };
}

/**
 * The suggestions that have a rate, each with the loss the curve has at the batch nearest that
 * rate (not at its `index`: fastai's minimum is a tenth of the rate there).
 */
export function suggestionMarkers(suggestions, lrs, curve, pick) {
  return METHODS.filter((name) => Number.isFinite(suggestions?.[name]?.lr)).map((name) => {
    const { lr } = suggestions[name];
    return { name, lr, loss: curve?.[nearestIndex(lrs, lr)], picked: name === pick };
  });
}

// The batch whose rate is nearest `lr` on the log axis.
function nearestIndex(lrs, lr) {
  let best = 0;
  for (let i = 1; i < lrs.length; i++) if (Math.abs(Math.log(lrs[i] / lr)) < Math.abs(Math.log(lrs[best] / lr))) best = i;
  return best;
}

// The rates of the batches recorded so far, up to the first not yet arrived (uPlot wants x whole).
function recordedRates(lrs) {
  const end = lrs.findIndex((lr) => lr === undefined);
  return end === -1 ? lrs : lrs.slice(0, end);
}
