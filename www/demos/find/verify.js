// Proof by training: short real trainings (LrFinder.verify) at rates around the picked suggestion,
// one-cycle up to each, and what their validation losses say about the pick. No DOM here.
import { median } from '../../experiment/index.js';
import { formatTick as formatLoss, formatRate } from '../../format.js';

/** 12 rates over two decades (about ×1.5 apart), 60 steps each, on every seed of the test. */
export const CHECK = { count: 12, decades: 2, steps: 60 };

/** Where the centre rate sits among the candidates: the middle one, or left of the middle for an even count. */
export const centreIndex = (count) => Math.floor((count - 1) / 2);

/**
 * `count` rates log-spaced over `decades` decades around `centre`, ascending, with `centre` itself
 * (exactly) at centreIndex(count).
 */
export function candidateRates(centre, { count, decades } = CHECK) {
  const step = decades / Math.max(1, count - 1);
  const middle = centreIndex(count);
  return Array.from({ length: count }, (_, i) => (i === middle ? centre : centre * 10 ** ((i - middle) * step)));
}

/** LrFinder.verify's options for checking `centre` (the engine's defaults for the rest: one-cycle, run 0). */
export function verifyOptions(centre, { steps, ...spacing } = CHECK) {
  return { candidates: candidateRates(centre, spacing), steps };
}

/**
 * LrFinder.verify's answers for several seeds (one per run of the test's session) as one: per
 * candidate the median validation loss over the seeds that did not diverge, diverged where most
 * seeds did; `seeds`, and `wins`: per candidate, on how many seeds it did best.
 */
export function combineSeeds(results) {
  const [first] = results;
  const seeds = results.length;
  const perCandidate = Array.from(first.candidates, (_, i) => results.map((r) => (r.diverged[i] ? NaN : r.validation_loss[i])));
  const wins = Array.from(first.candidates, () => 0);
  for (const r of results) {
    const finite = Array.from(r.validation_loss, (loss, i) => (r.diverged[i] || !Number.isFinite(loss) ? Infinity : loss));
    const best = finite.indexOf(Math.min(...finite));
    if (Number.isFinite(finite[best])) wins[best] += 1;
  }
  return {
    candidates: first.candidates,
    validation_loss: perCandidate.map((losses) => median(losses) ?? NaN),
    diverged: perCandidate.map((losses) => losses.filter(Number.isNaN).length > seeds / 2),
    seeds,
    wins,
  };
}

/**
 * What the plot and the text show of LrFinder.verify's `result` (or combineSeeds' answer), checked around suggestion
 * `about` ({ name, lr }) in `steps` steps: { steps, points: [{ lr, loss, diverged, best }], text }.
 * A candidate without a finite validation loss counts as diverged.
 */
export function checkView(result, about, steps) {
  const points = Array.from(result.candidates, (lr, i) => {
    const loss = result.validation_loss[i];
    return { lr, loss, diverged: result.diverged[i] || !Number.isFinite(loss), best: false };
  });
  const finite = points.filter((p) => !p.diverged);
  if (finite.length === 0) return { steps, points, text: `All ${points.length} rates diverged within ${steps} steps of one-cycle.` };
  const best = finite.reduce((a, b) => (b.loss < a.loss ? b : a));
  best.best = true;
  const own = points.find((p) => p.lr === about.lr);
  const lead = `After ${steps} steps of one-cycle`;
  const seeds = seedText(result, points.indexOf(best));
  if (own === best) return { steps, points, text: `${lead}, the ${about.name} suggestion ${formatRate(about.lr)} does best of the ${points.length} rates (validation loss ${formatLoss(best.loss)}).${seeds}` };
  const ratio = best.lr / about.lr;
  const how = ratio > 1 ? `${formatFactor(ratio)}× above` : `${formatFactor(1 / ratio)}× below`;
  const ownText = own.diverged ? 'which diverged' : `validation loss ${formatLoss(own.loss)}`;
  return { steps, points, text: `${lead}, ${formatRate(best.lr)} does best (validation loss ${formatLoss(best.loss)}), ${how} the ${about.name} suggestion ${formatRate(about.lr)} (${ownText}).${seeds}` };
}

// How sure: over several seeds, the losses are medians, and the best rate won on some of them.
function seedText({ seeds = 1, wins }, best) {
  if (seeds < 2) return '';
  const sure = wins[best] === seeds ? 'on every seed' : `on ${wins[best]} of ${seeds} seeds`;
  return ` Medians over ${seeds} seeds; that rate did best ${sure}.`;
}

const formatFactor = (v) => String(Number(v.toPrecision(2)));
