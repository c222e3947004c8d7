// Small trainings the guide's figures run: several arms, each over several seeds, as runs of one
// session on the same batches (arms differ only in what the figure compares), with each arm's
// median loss per step. The session is destroyed however the figure ends.

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
    for (let done = 0; done < steps; done += chunk) {
      if (signal.aborted) return null;
      const n = Math.min(chunk, steps - done);
      const { losses: block } = await engine.session.step(id, n);
      for (let t = 0; t < n; t += 1) {
        for (let r = 0; r < runs.length; r += 1) losses[r][done + t] = block[t * runs.length + r];
      }
      onChunk(done + n, perArm(losses));
    }
    const report = await engine.session.evaluate(id);
    return { losses: perArm(losses), states: perArm(report.map((r) => r.state)) };
  } finally {
    engine.session.destroy(id).catch(() => {});
  }
}
