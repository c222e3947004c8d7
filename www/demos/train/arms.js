// Arms and seeds: each run the page lists is an arm, trained `seeds` times in one session, in
// lockstep. Seed k of an arm starts from weights seed + k and, past the first, draws its own batch
// order (data_seed k): arm i's seed k is the same seed in every arm, so arms compare seed by seed.
// The session's runs are arm-major: arm i's seed k is session run i * seeds + k.

/** The session's runs for the page's runs (arms) at `seeds` seeds each; one seed keeps each run as it is. */
export function sessionRuns(arms, seeds) {
  if (!(seeds > 1)) return arms;
  return arms.flatMap((run) => Array.from({ length: seeds }, (_, k) => ({ ...run, seed: (run.seed ?? 0) + k, ...(k > 0 ? { data_seed: k } : {}) })));
}

/** Arm `arm`'s entries of a per-session-run list (losses, reports, states), in seed order. */
export function armSlice(list, arm, seeds) {
  return list.slice(arm * seeds, (arm + 1) * seeds);
}

/** The arm (page run) that session run `run` belongs to. */
export function armOf(run, seeds) {
  return Math.floor(run / seeds);
}
