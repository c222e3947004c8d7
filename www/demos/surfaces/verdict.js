// A path's name as the page shows it. A preset may name paths by what it expects ("too small",
// "good", "too large"); on another surface, or at other rates, that can be false ("good" that
// diverges). Such a name is kept only where the outcome bears it out; otherwise the path is named
// by its rate and what it did.
import { formatRate } from '../../format.js';

const EXPECTED = { 'too small': 'creeps', good: 'settles', 'too large': 'diverges' };

/**
 * `paths`: [{ label, loss, lr, state, steps }] as computed. Returns each path's shown name: its
 * label, or for an expectation the outcome contradicts, "lr 0.1: diverges at step 37".
 */
export function shownLabels(paths) {
  const finalLosses = paths.filter((p) => p.state !== 'diverged').map((p) => p.loss?.at(-1)).filter(Number.isFinite);
  const best = finalLosses.length ? Math.min(...finalLosses) : NaN;
  return paths.map((path) => {
    if (!Object.hasOwn(EXPECTED, path.label)) return path.label;
    const outcome = outcomeOf(path, best);
    if (outcome === EXPECTED[path.label]) return path.label;
    const lr = formatRate(path.lr?.[0]);
    return `lr ${lr}: ${outcome === 'diverges' ? `diverges at step ${path.steps}` : outcome}`;
  });
}

// 'diverges', 'settles' (within a thousandth of its start's distance to the best end any path
// reached), or 'creeps'.
function outcomeOf(path, best) {
  if (path.state === 'diverged') return 'diverges';
  const first = path.loss?.[0];
  const last = path.loss?.at(-1);
  if (!Number.isFinite(first) || !Number.isFinite(last) || !Number.isFinite(best)) return 'creeps';
  return Math.abs(last - best) <= 1e-3 * Math.abs(first - best) + 1e-12 ? 'settles' : 'creeps';
}
