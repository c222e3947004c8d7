// What the finder plot shows, from a range test in progress, a finished one, or a pasted curve:
// the curves per run, the seed band when there are several runs, and the suggestion markers.
import { seedBand } from './band.js';
import { METHODS } from './options.js';
import { previewSmoothing } from './smoothing.js';

/**
 * `progress`: { lrs, losses: [per run raw losses] } while a test runs; `result`: LrFinder.run's
 * answer (or a pasted curve's, shaped alike) once there is one, which wins. `options`: the
 * finder options (for the preview smoothing); `pick`: the suggestion picked.
 */
export function plotView({ progress, result }, options, pick) {
  const runs = result ? result.runs.map((r) => ({ raw: r.losses, smoothed: r.smoothed })) : progress.losses.map((raw) => ({ raw, smoothed: previewSmoothing(raw, options) }));
  const lrs = result ? result.lrs : recordedRates(progress.lrs);
  const curves = runs.map((run, k) => ({ label: runs.length > 1 ? `seed ${k + 1}` : 'loss', ...run }));
  const band = curves.length > 1 ? seedBand(curves.map((c) => c.smoothed)) : null;
  const reference = band ? band.median : curves[0]?.smoothed;
  const markers = result ? suggestionMarkers(result.suggestions, reference, pick) : [];
  return { lrs, curves, band, markers };
}

/** The suggestions that have a rate, each with the loss the curve has there. */
export function suggestionMarkers(suggestions, curve, pick) {
  return METHODS.filter((name) => Number.isFinite(suggestions?.[name]?.lr)).map((name) => {
    const { lr, index } = suggestions[name];
    return { name, lr, loss: curve?.[index], picked: name === pick };
  });
}

// The rates of the batches recorded so far, up to the first not yet arrived (uPlot wants x whole).
function recordedRates(lrs) {
  const end = lrs.findIndex((lr) => lr === undefined);
  return end === -1 ? lrs : lrs.slice(0, end);
}
