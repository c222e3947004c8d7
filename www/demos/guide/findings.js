// The guide's sentences: what each live figure found, computed from its numbers and worded for a
// reader of the post, including when the post's claim does not hold here. Plain data in, text out.
import { median } from '../../experiment/index.js';
import { formatRate, formatTick } from '../../format.js';
import { listed } from '../../words.js';

/** The first step whose value is at most `target` (null: never). */
export function firstBelow(values, target) {
  const i = Array.from(values).findIndex((v) => v <= target);
  return i < 0 ? null : i;
}

/**
 * Descent on one surface at several rates: `paths` [{ lr, loss, state }] (loss per step). Says
 * which rate got to 1/1000 of the starting loss soonest, how much slower the small one was, and
 * which overstepped (its loss grew).
 */
export function descentFinding(paths) {
  const target = (paths[0]?.loss[0] ?? 0) / 1000;
  const reached = paths.map((p) => ({ ...p, at: firstBelow(p.loss, target) }));
  const grew = reached.filter((p) => p.state === 'diverged' || p.loss.at(-1) > p.loss[0]);
  const arrived = reached.filter((p) => p.at !== null).sort((a, b) => a.at - b.at);
  const parts = [];
  if (arrived.length === 0) parts.push('No rate brought the loss down to a thousandth of its start.');
  else {
    const [best] = arrived;
    parts.push(`lr ${formatRate(best.lr)} brought the loss to a thousandth of its start in ${best.at} steps`);
    const slower = reached.filter((p) => p !== best && !grew.includes(p));
    for (const p of slower) {
      parts[parts.length - 1] += p.at === null ? `; lr ${formatRate(p.lr)} had not got there after ${p.loss.length - 1}` : `; lr ${formatRate(p.lr)} took ${p.at}`;
    }
    parts[parts.length - 1] += '.';
  }
  for (const p of grew) parts.push(`lr ${formatRate(p.lr)} overstepped: its loss grew from ${lossText(p.loss[0])} to ${lossText(p.loss.at(-1))}.`);
  return parts.join(' ');
}

/**
 * Arms trained over several seeds: `arms` [{ label, lr, final (median final loss), diverged (seeds
 * that diverged), seeds, early (median loss a fifth of the way in) }], in the order very high,
 * high, good, low. Checks cs231n's picture claim by claim and says which held.
 */
export function fourRatesFinding([veryHigh, high, good, low]) {
  const held = [];
  const failed = [];
  const say = (ok, text) => (ok ? held : failed).push(text);
  const blewUp = veryHigh.diverged ? `${veryHigh.diverged} of ${veryHigh.seeds} seeds diverged` : `its loss ended at ${lossText(veryHigh.final)}, above the ${lossText(veryHigh.start)} it started from`;
  say(veryHigh.diverged > veryHigh.seeds / 2 || veryHigh.final > veryHigh.start, `the very high rate (${formatRate(veryHigh.lr)}) blew up (${blewUp})`);
  say(high.early < good.early && high.final > good.final, `the high rate (${formatRate(high.lr)}) fell faster at first (${lossText(high.early)} against ${lossText(good.early)}) and then stalled above the good one (${lossText(high.final)} against ${lossText(good.final)})`);
  say(low.final > good.final && low.early > good.early, `the low rate (${formatRate(low.lr)}) crept down (${lossText(low.final)} at the end)`);
  const lead = held.length ? `As in cs231n's figure, ${listed(held)}.` : '';
  const but = failed.length ? ` Not as in the figure: it is not true here that ${listed(failed)}.` : '';
  return `${lead}${but} Medians over ${good.seeds} seeds.`.trim();
}

// A loss for a sentence: three digits, an exponent once it is large (5.43e6, not 5430000).
function lossNumber(loss) {
  return Math.abs(loss) >= 1e5 ? loss.toExponential(2).replace(/\.?0*e\+?/, 'e') : formatTick(loss);
}

// A median loss, or what became of a run whose loss is no number any more.
function lossText(loss) {
  return Number.isFinite(loss) ? lossNumber(loss) : 'diverged';
}

/** A cyclic schedule's peaks, one per cycle, from its sampled rates (local maxima, plateaus once). */
export function cyclePeaks(lr) {
  const peaks = [];
  for (let t = 1; t < lr.length - 1; t += 1) {
    if (lr[t] > lr[t - 1] && lr[t] >= lr[t + 1]) peaks.push(lr[t]);
  }
  return peaks;
}

/** triangular vs triangular2: `triangular` and `triangular2` are sampled rates. */
export function cyclicFinding({ triangular, triangular2 }) {
  const fixed = cyclePeaks(triangular);
  const halving = cyclePeaks(triangular2);
  const shown = halving.slice(0, 4).map(formatRate).join(', ');
  return `triangular returns to the same peak every cycle (${fixed.length} peaks at ${formatRate(fixed[0])}); triangular2 halves the amplitude each cycle (peaks ${shown}${halving.length > 4 ? ', …' : ''}), so it settles while still exploring early.`;
}

/**
 * Fixed rates against warm restarts on a surface with several minima, over seeds: `arms` [{ label,
 * basins: distinct minima visited per seed, diverged: seeds that left the surface }].
 */
export function basinsFinding(arms, seeds) {
  const described = arms.map((a) => {
    const m = median(a.basins);
    const lost = a.diverged ? `, ${a.diverged} of ${seeds} diverged` : '';
    return `${a.label} visited ${m === null ? 'no' : formatTick(m)} ${m === 1 ? 'basin' : 'basins'} (median${lost})`;
  });
  const [small, , restarts] = arms;
  const hopped = median(restarts.basins) > median(small.basins);
  const verdict = hopped
    ? 'The restarts carried the path out of its basin more often than the small fixed rate.'
    : 'Here the restarts did not visit more basins than the small fixed rate: on this surface the gradient noise, not the schedule, moves the path between minima.';
  return `Over ${seeds} seeds, ${listed(described)}. ${verdict}`;
}

/** Three layer groups' peak rates from a plan: `peaks` per group, lowest group first. */
export function discriminativeFinding(peaks) {
  const ratios = peaks.slice(1).map((p, i) => p / peaks[i]);
  const each = ratios.every((r) => Math.abs(r - ratios[0]) < 1e-9 * r) ? `${formatTick(ratios[0])}× per group` : ratios.map((r) => `${formatTick(r)}×`).join(', then ');
  return `The first group (general features) peaks at ${formatRate(peaks[0])}, the head at ${formatRate(peaks.at(-1))}: rates rise ${each}, as fastai's slice(${formatRate(peaks[0])}, ${formatRate(peaks.at(-1))}) spreads them.`;
}

/** fine_tune's plan: `frozenSteps` before unfreezing, `headPeak` while frozen, `peaks` after. */
export function recipeFinding({ frozenSteps, headPeak, peaks }) {
  return `For the first ${frozenSteps} steps only the head trains (peak ${formatRate(headPeak)}); then every group trains, from ${formatRate(peaks[0])} for the first group to ${formatRate(peaks.at(-1))} for the head.`;
}
