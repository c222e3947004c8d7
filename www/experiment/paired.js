// Two arms run on the same seeds (same initial weights, same batch order), compared seed by seed:
// when each first reached a target, and how often one did better than the other. Pairing by seed
// takes the seed's own luck out of the comparison.
import { median } from './summary.js';

/**
 * The first x at which `values` reach `target` (`goal` 'below': at or under it, as a loss;
 * 'above': at or over it, as an accuracy), or null if they never do. `xs[i]` is where `values[i]`
 * was measured (steps of the evaluations); non-finite values never count as reaching it.
 */
export function timeToTarget(xs, values, target, { goal = 'below' } = {}) {
  if (goal !== 'below' && goal !== 'above') throw new RangeError(`timeToTarget: goal must be 'below' or 'above', got ${goal}`);
  const n = Math.min(xs.length, values.length);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isFinite(v) && (goal === 'below' ? v <= target : v >= target)) return xs[i];
  }
  return null;
}

/**
 * Seed by seed, whether `a[i]` beats `b[i]`: `lowerIsBetter` for times and losses. A missing
 * value (null, NaN: never reached, diverged) loses to any value and ties with another missing one.
 * Returns { wins, losses, ties, n }: wins for a, losses for a.
 */
export function pairedCount(a, b, { lowerIsBetter = true } = {}) {
  if (a.length !== b.length) throw new RangeError(`pairedCount: the arms have ${a.length} and ${b.length} seeds`);
  const counts = { wins: 0, losses: 0, ties: 0, n: a.length };
  for (let i = 0; i < a.length; i++) {
    const order = compare(a[i], b[i], lowerIsBetter);
    if (order > 0) counts.wins += 1;
    else if (order < 0) counts.losses += 1;
    else counts.ties += 1;
  }
  return counts;
}

// > 0 when x is better than y, < 0 when worse, 0 for a tie.
function compare(x, y, lowerIsBetter) {
  const hasX = Number.isFinite(x);
  const hasY = Number.isFinite(y);
  if (!hasX || !hasY) return Number(hasX) - Number(hasY);
  return lowerIsBetter ? y - x : x - y;
}

/**
 * The two-sided sign test's p-value for `wins` against `losses` (ties left out): how likely a split
 * at least this uneven is when neither arm is better. 1 when there is nothing to compare.
 */
export function signTestP(wins, losses) {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  let tail = 0;
  let term = 0.5 ** n; // C(n, 0) / 2^n
  for (let i = 0; i <= k; i++) {
    tail += term;
    term *= (n - i) / (i + 1);
  }
  return Math.min(1, 2 * tail);
}

/**
 * The median over seeds of `b[i] / a[i]`, where both are finite and positive (how many times
 * longer b took than a, seed by seed); null when no seed has both.
 */
export function medianRatio(a, b) {
  const ratios = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] > 0 && b[i] > 0 && Number.isFinite(a[i] / b[i])) ratios.push(b[i] / a[i]);
  return median(ratios);
}
