import { describe, expect, test } from 'vitest';
import { BASELINE, DISCRIMINATIVE, comparisonView } from '../../www/demos/layers/compare.js';
import { PRESETS } from '../../www/demos/layers/options.js';

// An arm of the comparison as comparePlans gives it: validation losses seed by seed, accuracy 1 - loss.
const arm = (id, losses, steps = 72) => ({ id, label: PRESETS[id]?.label ?? 'from scratch', steps, losses, accuracies: losses.map((l) => (Number.isFinite(l) ? 1 - l : null)) });

describe("the Layers demo's plans compared", () => {
  test('each arm is held against one rate for all seed by seed, and the discriminative claim is said from the data', () => {
    const view = comparisonView({
      arms: [
        arm('fine_tune', [0.8, 0.9, 0.7, 1.5, 0.85], 84),
        arm(DISCRIMINATIVE, [0.25, 0.44, 0.13, 0.32, 0.22]),
        arm('ulmfit', [0.2, 0.4, 0.11, 0.28, 0.2]),
        arm(BASELINE, [0.2, 0.4, 0.12, 0.43, 0.19]),
        arm('scratch', [1.07, 1.1, 1.08, 1.12, 1.07], 84),
      ],
    });
    expect(view.rows.map((r) => r.id)).toEqual(['fine_tune', 'slice', 'ulmfit', 'one_rate', 'scratch']);
    const [fineTune, slice, ulmfit, baseline, scratch] = view.rows;
    expect(fineTune).toMatchObject({ steps: 84, loss: 0.85, lossRange: [0.7, 1.5], accuracy: 0.15000000000000002 });
    expect(fineTune.against).toMatchObject({ winner: 'b', counts: { wins: 0, losses: 5 } });
    // slice is lower than one rate in 1 of 5 seeds; ulmfit in 2, with 2 ties: neither decides.
    expect(slice.against).toMatchObject({ winner: null, counts: { wins: 1, losses: 4 } });
    expect(ulmfit.against).toMatchObject({ winner: null, counts: { wins: 2, losses: 1, ties: 2 } });
    expect(baseline.against).toBeNull();
    expect(scratch.against).toMatchObject({ winner: 'b' });
    expect(view.sentence).toBe('No difference in validation loss beyond seed noise: one rate for all ended with a lower validation loss than discriminative rates (slice) in 4 of 5 seeds (median 0.2 against 0.25).');
  });

  test('a diverged seed counts against its plan and is left out of its median and range', () => {
    const view = comparisonView({ arms: [arm(DISCRIMINATIVE, [0.1, 0.1, NaN, 0.1, 0.1]), arm(BASELINE, [0.2, 0.2, 0.2, 0.2, 0.2])] });
    expect(view.rows[0]).toMatchObject({ loss: 0.1, lossRange: [0.1, 0.1], against: { counts: { wins: 4, losses: 1 } } });
    expect(view.sentence).toMatch(/^No difference in validation loss beyond seed noise: discriminative rates \(slice\) ended with a lower validation loss than one rate for all in 4 of 5 seeds/);
  });
});
