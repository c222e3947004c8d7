// What the engine is asked for the analytic surfaces, built from the page state: the surface (a
// name, or `{ kind, kappa }` for one with a parameter), one trajectory request per path, and the
// saddle a path's escape is measured from. No DOM here.

/** The surface spec for `surfaces()` entry `info` with the page's κ where it takes one. */
export function surfaceSpec(info, kappa) {
  return hasKappa(info) ? { kind: info.name, kappa } : info.name;
}

/** Whether the surface has a κ parameter (the quadratic bowl's condition number). */
export function hasKappa(info) {
  return Boolean(info?.params?.some((field) => field.name === 'kappa'));
}

/** `trajectories()`'s argument: every path from `start`, `steps` steps each. */
export function trajectoryRequests({ surface, start, steps, paths }) {
  return paths.map(({ optimizer, schedule }) => ({ surface, start, optimizer, schedule, steps }));
}

/** The saddle nearest `start` (the one a path started beside has to leave), or null when there is none. */
export function nearestSaddle(saddles, start) {
  let best = null;
  for (const saddle of saddles) {
    if (best === null || Math.hypot(saddle[0] - start[0], saddle[1] - start[1]) < Math.hypot(best[0] - start[0], best[1] - start[1])) best = saddle;
  }
  return best;
}

/** A legend label: the path's own, else its optimizer and schedule kinds. */
export function pathLabel(path) {
  return path.label || `${path.optimizer.kind} · ${path.schedule.kind}`;
}
