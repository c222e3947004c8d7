// A preview of the smoothed curve while a range test runs, from the raw losses that have arrived:
// the engine's own smoothed values replace it when the test ends. Each library's rule in one line
// (fastai's AvgSmoothLoss, debiased; torch-lr-finder's running average from the first loss).

/** The smoothed curve of `losses` (may have holes: batches not arrived yet) under `options`. */
export function previewSmoothing(losses, { convention, smooth_f }) {
  const out = new Float64Array(losses.length).fill(NaN);
  let average = 0;
  for (let i = 0; i < losses.length && losses[i] !== undefined; i++) {
    if (convention === 'fastai') {
      average = 0.98 * average + 0.02 * losses[i];
      out[i] = average / (1 - 0.98 ** (i + 1));
    } else {
      average = i === 0 ? losses[0] : smooth_f * losses[i] + (1 - smooth_f) * average;
      out[i] = average;
    }
  }
  return out;
}
