// What the loss panel draws, as data: per arm, over its seeds, the raw batch loss, the smoothed
// loss with its band, the validation loss at each evaluation and the learning rate, on one x axis
// of steps. Long runs are thinned to at most MAX_POINTS steps (every k-th) so a frame stays cheap.
import { median, seedBand } from '../../experiment/index.js';
import { debiasedEma } from '../../smoothing.js';

export const MAX_POINTS = 2000;

/**
 * `arms`: [{ losses: [per seed ArrayLike<number>], evaluations: [{ step, values: [per seed] }],
 * rates: ArrayLike<number> }]; `steps`: the x extent (the budget); `smoothing`: the EMA weight.
 * Returns { x, arms: [{ raw, smooth, lo, hi, validation, rate }] }, each an array along x with null
 * where there is nothing to draw, and `latest` per arm: { smooth, validation, rate, step } at the
 * last step trained.
 */
export function lossPanelData(arms, steps, smoothing) {
  const stride = Math.max(1, Math.ceil(steps / MAX_POINTS));
  const x = [];
  for (let t = 0; t < steps; t += stride) x.push(t);
  return {
    x,
    arms: arms.map((arm) => {
      const smoothed = arm.losses.map((curve) => debiasedEma(curve, smoothing));
      const band = seedBand(smoothed);
      const raw = seedBand(arm.losses, { lo: 0.5, hi: 0.5 }).median;
      const validation = new Map(arm.evaluations.map((e) => [e.step, median(e.values)]));
      const trained = Math.max(0, ...arm.losses.map((c) => c.length));
      const at = (list) => x.map((t) => finite(list[t]));
      return {
        raw: at(raw),
        smooth: at(band.median),
        lo: at(band.lo),
        hi: at(band.hi),
        // A validation point sits at the thinned step nearest to the evaluation's.
        validation: x.map((t) => nearestEvaluation(validation, t, stride)),
        rate: at(arm.rates ?? []),
        latest: {
          step: trained,
          smooth: finite(band.median[trained - 1]),
          validation: finite(median(arm.evaluations.at(-1)?.values ?? [])),
          rate: finite(arm.rates?.[Math.min(trained, (arm.rates?.length ?? 0) - 1)]),
        },
      };
    }),
  };
}

function nearestEvaluation(validation, t, stride) {
  for (let s = t; s < t + stride; s++) if (validation.has(s + 1)) return finite(validation.get(s + 1));
  return null;
}

function finite(v) {
  return Number.isFinite(v) ? v : null;
}
