// Every bad setting at once. The engine stops at the first value it refuses; to find the others,
// the options are tried again with that value replaced by a good one (the default set-up's),
// until the engine accepts them or a refusal names no field it can mend. The engine stays the
// judge of every value; the sessions these tries make are freed at once.
import { freeSession } from '../../sessions.js';

/** At most this many tries after the first refusal. */
const MOST_TRIES = 8;

/**
 * The engine's refusals of `options` after `first` (which it already gave), each an engine
 * Error with `field`; `good`: options the engine accepts, whose values mend a refused one.
 * `current()` says whether the answer is still wanted: once it is not, the search stops.
 */
export async function laterErrors(engine, options, first, good, current) {
  const errors = [];
  let tried = mend(options, first.field, good);
  for (let i = 0; i < MOST_TRIES && tried && current(); i++) {
    try {
      const created = await engine.session.create(tried);
      freeSession(engine, created.id);
      return errors;
    } catch (err) {
      if (typeof err?.field !== 'string' || errors.some((e) => e.field === err.field)) return errors;
      errors.push(err);
      tried = mend(tried, err.field, good);
    }
  }
  return errors;
}

/**
 * `options` with the value at `field` taken from `good`: a run (and every run of the same schedule:
 * an arm's seeds) becomes good's first run, a data option comes from good's data, any other option
 * whole. Null where it cannot be mended.
 */
export function mend(options, field, good) {
  if (typeof field !== 'string') return null;
  const run = /^runs\[(\d+)\]/.exec(field);
  if (run) {
    const i = Number(run[1]);
    if (!(i < options.runs.length)) return null;
    if (field.endsWith('.seed')) return { ...options, runs: options.runs.map((r, j) => (j === i ? { ...r, seed: 0 } : r)) };
    const same = JSON.stringify(options.runs[i].schedule ?? options.runs[i].phases);
    return { ...options, runs: options.runs.map((r) => (JSON.stringify(r.schedule ?? r.phases) === same ? { ...r, schedule: good.runs[0].schedule, phases: undefined } : r)) };
  }
  const [top, sub] = field.split(/[.[]/);
  if (!Object.hasOwn(good, top)) return null;
  if (top === 'data' && sub) return { ...options, data: { ...options.data, [sub]: good.data[sub] } };
  return { ...options, [top]: good[top] };
}
