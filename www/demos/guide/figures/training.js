// Small trainings the guide's figures run: several arms, each over several seeds, as runs of one
// session on the same batches (arms differ only in what the figure compares), with each arm's
// median loss per step. The session is destroyed however the figure ends.
import { trainInChunks } from '../../../session-driver.js';

/** The guide's network and data: two moons, which this network learns within a few hundred batches. */
export const NETWORK = {
  backend: 'auto',
  layers: [2, 16, 16, 2],
  activation: 'tanh',
  loss: 'cross_entropy',
  optimizer: { kind: 'SGD', momentum: 0.9 },
  data: { kind: 'moons', n: 400, noise: 0.1, validation_fraction: 0.2, seed: 1 },
  batch_size: 16,
  shuffle: true,
};

/**
 * Trains `arms` ([{ schedule }]) × `seeds` for `steps` steps; `onChunk(done, losses)` after each
 * chunk, with the losses so far (per arm, per seed, as below).
 * Resolves to { losses: per arm, per seed, Float64Array(steps) (NaN past divergence), states: per
 * arm the engine's run states } or null when `signal` aborted.
 */
export async function trainArms(engine, { arms, seeds, steps, chunk = 100, signal, onChunk = () => {} }) {
  const runs = arms.flatMap(({ schedule }) => Array.from({ length: seeds }, (_, seed) => ({ seed, schedule })));
  const { id } = await engine.session.create({ ...NETWORK, runs });
  try {
    const losses = runs.map(() => new Float64Array(steps).fill(NaN));
    const perArm = (list) => arms.map((_, a) => list.slice(a * seeds, (a + 1) * seeds));
    const trained = await trainInChunks(engine, id, {
      steps,
      chunk,
      current: () => !signal.aborted,
      onChunk: (curves, done) => {
        curves.forEach((curve, r) => losses[r].set(curve, done - curve.length));
        onChunk(done, perArm(losses));
      },
    });
    if (!trained) return null;
    const report = await engine.session.evaluate(id);
    return { losses: perArm(losses), states: perArm(report.map((r) => r.state)) };
  } finally {
    engine.session.destroy(id).catch(() => {});
  }
}
