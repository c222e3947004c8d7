// "The network's landscape": the reference network (2-16-16-2 on the spiral, SGD with momentum,
// batch 32, 512 points) trains a few hundred steps while its parameters are taken every few steps;
// then the loss is evaluated around the final parameters along two random filter-normalised
// directions (Li et al. 2018, Session.landscape), and the path the parameters took is projected
// on the plane of its two principal components (Session.projectTrajectory). No DOM here.
import { freeSession, openSession } from '../../sessions.js';
import { backendOption } from '../../state.js';

export const NETWORK = {
  layers: [2, 16, 16, 2],
  activation: 'relu',
  loss: 'cross_entropy',
  optimizer: { kind: 'sgd', momentum: 0.9 },
  data: { kind: 'spiral', n: 512 },
  batch_size: 32,
  runs: [{ schedule: { kind: 'Constant', lr: 0.05 }, seed: 1 }],
};

/** Training length, and a snapshot of the parameters every SNAPSHOT_EVERY steps. */
export const TRAIN_STEPS = 300;
export const SNAPSHOT_EVERY = 10;
/** Cells per side of both loss grids, and the random plane's half-width (in direction units). */
export const GRID = 41;
export const SPAN = 1;

/**
 * Trains and measures; resolves to { losses: number[], landscape, projection, snapshots } or to
 * null once `current()` turns false (the session is freed either way). `backend`: Session.create's
 * (default "auto"). `onProgress(steps)` after each chunk. The engine's refusals are thrown.
 */
export async function exploreLandscape(engine, { backend = 'auto', current, onProgress = () => {} }) {
  const created = await openSession(engine, { ...NETWORK, ...backendOption({ backend }) }, current);
  if (!created) return null;
  const { id } = created;
  try {
    const snapshots = [await engine.session.params(id, 0)];
    const losses = [];
    for (let done = 0; done < TRAIN_STEPS; done += SNAPSHOT_EVERY) {
      const { losses: chunk } = await engine.session.step(id, SNAPSHOT_EVERY);
      losses.push(...chunk);
      snapshots.push(await engine.session.params(id, 0));
      if (!current()) return null;
      onProgress(done + SNAPSHOT_EVERY);
    }
    const landscape = await engine.session.landscape(id, { run: 0, grid: GRID, span: SPAN, seed: 7 });
    if (!current()) return null;
    const projection = await engine.session.projectTrajectory(id, snapshots, { grid: GRID, margin: 0.2 });
    return current() ? { losses, landscape, projection, snapshots: snapshots.length } : null;
  } finally {
    freeSession(engine, id);
  }
}
