// What the loss panel draws, as data: per arm, over its seeds, the raw batch loss, the smoothed
// loss (TensorBoard's debiased EMA, smoothing.js) with its band, the validation loss at each
// evaluation and the learning rate, on one x axis of steps over the whole budget. Long budgets are
// thinned to at most MAX_POINTS steps (every k-th) so a frame stays cheap. While a session trains,
// its curves only grow: the arrays already drawn are kept and only the new steps are filled in.
import { median, quantile } from '../../experiment/index.js';
import { DebiasedEma } from '../../smoothing.js';

export const MAX_POINTS = 2000;

/** The band over seeds: the middle half. */
const BAND = [0.25, 0.75];

export class LossPanelData {
  constructor() {
    this.key = null;
  }

  /**
   * `arms`: [{ losses: [per seed ArrayLike<number>], evaluations: [{ step, values: [per seed] }],
   * rates: ArrayLike<number> | null, stops: [per seed: the step it diverged at, or null] }]: a
   * seed's losses past its stop are not drawn (a stopped run's loss only repeats); `steps`: the x extent (the budget); `smoothing`: the EMA
   * weight in [0, 1); `session`: whose curves these are (another one starts the arrays anew).
   * Returns { x, arms: [{ raw, smooth, lo, hi, validation, rate, latest }] }: arrays along x, null
   * where there is nothing to draw; `latest` { step, smooth, validation, rate } at the last step trained.
   */
  update(arms, steps, smoothing, session = null) {
    const key = JSON.stringify([steps, smoothing, arms.map((a) => a.losses.length)]);
    if (key !== this.key || session !== this.session || arms.some((arm, i) => trainedOf(arm) < this.trained[i])) this.reset(arms, steps, smoothing, key, session);
    arms.forEach((arm, i) => this.extend(arm, i));
    return this.data;
  }

  reset(arms, steps, weight, key, session) {
    Object.assign(this, { key, session, weight, stride: Math.max(1, Math.ceil(steps / MAX_POINTS)) });
    const x = [];
    for (let t = 0; t < steps; t += this.stride) x.push(t);
    const column = () => x.map(() => null);
    this.trained = arms.map(() => 0);
    this.evaluated = arms.map(() => 0);
    this.ema = arms.map((arm) => arm.losses.map(() => new DebiasedEma(this.weight)));
    this.rates = arms.map(() => undefined);
    this.data = { x, arms: arms.map(() => ({ raw: column(), smooth: column(), lo: column(), hi: column(), validation: column(), rate: column(), latest: null })) };
  }

  // Arm i's steps since the last update, its new evaluations, and its rates if they changed.
  extend(arm, i) {
    const out = this.data.arms[i];
    const trained = trainedOf(arm);
    const emas = this.ema[i];
    for (let t = this.trained[i]; t < trained; t++) {
      const values = arm.losses.map((curve, k) => (t > (arm.stops?.[k] ?? Infinity) ? NaN : curve[t]));
      const smoothed = values.map((v, k) => emas[k].push(v));
      if (t % this.stride !== 0) continue;
      const at = t / this.stride;
      out.raw[at] = quantile(values, 0.5);
      [out.smooth[at], out.lo[at], out.hi[at]] = summary(smoothed);
    }
    this.trained[i] = trained;
    // An evaluation after n steps sits on step n's loss, at the thinned step that holds it.
    for (const { step: s, values } of arm.evaluations.slice(this.evaluated[i])) {
      const at = Math.floor((s - 1) / this.stride);
      if (s >= 1 && at < out.validation.length) out.validation[at] = finite(median(values));
    }
    this.evaluated[i] = arm.evaluations.length;
    if (arm.rates !== this.rates[i]) {
      this.rates[i] = arm.rates;
      out.rate = this.data.x.map((t) => finite(arm.rates?.[t]));
    }
    const last = Math.max(0, trained - 1);
    out.latest = {
      step: trained,
      smooth: summary(emas.map((e, k) => (last > (arm.stops?.[k] ?? Infinity) ? NaN : e.value)))[0],
      validation: finite(median(arm.evaluations.at(-1)?.values ?? [])),
      rate: finite(arm.rates?.[Math.min(last + 1, (arm.rates?.length ?? 0) - 1)]),
    };
  }
}

/** The panel's data for `arms` at once (LossPanelData's, without keeping arrays). */
export function lossPanelData(arms, steps, smoothing) {
  return new LossPanelData().update(arms, steps, smoothing);
}

function trainedOf(arm) {
  return Math.max(0, ...arm.losses.map((c) => c.length));
}

// The median and band of the seeds' values, all null where fewer than half have one.
function summary(values) {
  const present = values.filter(Number.isFinite);
  if (present.length === 0 || 2 * present.length < values.length) return [null, null, null];
  return [quantile(present, 0.5), quantile(present, BAND[0]), quantile(present, BAND[1])];
}

function finite(v) {
  return Number.isFinite(v) ? v : null;
}
