// A comparison of two arms over the same seeds, as one sentence that states the finding and how
// sure it is: "one-cycle reached 95 % validation accuracy 1.8× sooner than the best constant rate
// in 7 of 8 seeds", or "no difference beyond seed noise". How sure is the sign test over the
// seeds (paired.js): a split this uneven by chance alone must be unlikely (p ≤ SURE_P) for the
// sentence to name a winner; with too few seeds for even a clean sweep to pass, it says so.
import { formatTick } from '../format.js';
import { medianRatio, pairedCount, signTestP } from './paired.js';
import { median } from './summary.js';

/** The largest sign-test p-value at which a finding names a winner. */
export const SURE_P = 0.1;

/** "1.8×", "12×": how many times, to two significant digits. */
export function formatTimes(ratio) {
  return `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`;
}

/**
 * Who did better seed by seed, and how sure that is. `a`, `b`: per-seed values of the same
 * seeds (null or NaN: none). Returns { winner: 'a' | 'b' | null, counts (pairedCount's, for a),
 * p, decisive (whether n seeds can ever show a difference), better, n }: `better` the seeds in
 * which the winner (or, without one, the arm ahead) did better.
 */
export function pairedVerdict(a, b, { lowerIsBetter = true } = {}) {
  const counts = pairedCount(a, b, { lowerIsBetter });
  const p = signTestP(counts.wins, counts.losses);
  const decisive = signTestP(counts.n, 0) <= SURE_P;
  const ahead = counts.wins >= counts.losses ? 'a' : 'b';
  const winner = p <= SURE_P && counts.wins !== counts.losses ? ahead : null;
  return { winner, ahead, counts, p, decisive, better: ahead === 'a' ? counts.wins : counts.losses, n: counts.n };
}

/**
 * When each arm first reached a target, compared: `a`, `b` { name, times } with `times[i]` the
 * step at which seed i reached `target` (null: never, within `steps`). `target` is said in words
 * ("95 % validation accuracy"). Returns { sentence, ...pairedVerdict, ratio } where `ratio` is the
 * median over seeds of the loser's time over the winner's (null where it cannot be told).
 */
export function timeFinding({ a, b, target, steps }) {
  const verdict = pairedVerdict(a.times, b.times, { lowerIsBetter: true });
  const reached = (arm) => arm.times.filter(Number.isFinite).length;
  const n = verdict.n;
  const seeds = `${n} seed${n === 1 ? '' : 's'}`;
  if (reached(a) === 0 && reached(b) === 0) {
    return { ...verdict, ratio: null, sentence: `Neither ${a.name} nor ${b.name} reached ${target} within ${steps} steps (${seeds}).` };
  }
  const [first, second] = verdict.ahead === 'a' ? [a, b] : [b, a];
  const ratio = medianRatio(first.times, second.times);
  // A ratio that rounds to 1.0× says nothing: only "sooner".
  const sooner = ratio !== null && ratio >= 1.05 ? `${formatTimes(ratio)} sooner` : 'sooner';
  const missed = n - reached(second);
  const missing = missed > 0 ? ` (${second.name} did not reach it in ${missed} of ${seeds} within ${steps} steps)` : '';
  const inSeeds = `in ${verdict.better} of ${seeds}`;
  if (verdict.winner === null) {
    const caveat = verdict.decisive ? 'No difference beyond seed noise' : `Too few seeds to tell (${seeds})`;
    return { ...verdict, ratio, sentence: `${caveat}: ${first.name} reached ${target} ${sooner} than ${second.name} ${inSeeds}${missing}.` };
  }
  return { ...verdict, ratio, sentence: `${capitalise(first.name)} reached ${target} ${sooner} than ${second.name} ${inSeeds}${missing}.` };
}

/**
 * The arms' values at the end compared: `a`, `b` { name, values } per seed; `quantity` in words
 * ("validation loss"); `lowerIsBetter` for losses; `verb` for values not at the end ("had" at
 * step 200). Returns { sentence, ...pairedVerdict }.
 */
export function finalFinding({ a, b, quantity, lowerIsBetter = true, format = formatTick, verb = 'ended with' }) {
  const verdict = pairedVerdict(a.values, b.values, { lowerIsBetter });
  const [first, second] = verdict.ahead === 'a' ? [a, b] : [b, a];
  const seeds = `${verdict.n} seed${verdict.n === 1 ? '' : 's'}`;
  const medians = `median ${formatMedian(first.values, format)} against ${formatMedian(second.values, format)}`;
  const how = `${first.name} ${verb} ${lowerIsBetter ? 'a lower' : 'a higher'} ${quantity} than ${second.name} in ${verdict.better} of ${seeds} (${medians})`;
  if (verdict.winner !== null) return { ...verdict, sentence: `${capitalise(how)}.` };
  const caveat = verdict.decisive ? `No difference in ${quantity} beyond seed noise` : `Too few seeds to tell (${seeds})`;
  return { ...verdict, sentence: `${caveat}: ${how}.` };
}

function formatMedian(values, format) {
  const m = median(values);
  return m === null ? 'none (diverged or missing)' : format(m);
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
