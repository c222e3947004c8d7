import { describe, expect, test } from 'vitest';
import { armValues, transferFinding } from '../../www/demos/layers/finding.js';

// A report of task B's session: pairs [fine-tune, scratch] of validation losses, seed by seed
// (options.js: runOf), each with accuracy 1 - loss.
const report = (pairs) => pairs.flat().map((loss) => ({ validation_loss: loss, validation_accuracy: Number.isFinite(loss) ? 1 - loss : null }));

describe("the Layers demo's finding over seeds", () => {
  test('the arms are read seed by seed from their alternating runs', () => {
    const r = report([
      [0.1, 0.5],
      [0.2, 0.6],
    ]);
    expect(armValues(r, 'validation_loss')).toEqual([
      [0.1, 0.2],
      [0.5, 0.6],
    ]);
    expect(armValues(null, 'validation_loss')).toEqual([[], []]);
  });

  test('fine-tuning ahead in every one of five seeds is named the winner, with the medians', () => {
    const f = transferFinding(report([[0.1, 0.5], [0.2, 0.4], [0.15, 0.6], [0.3, 0.35], [0.25, 0.5]]));
    expect(f).toMatchObject({ winner: 'fine-tuning', better: true, seeds: 5, fineTune: { loss: 0.2, accuracy: 0.8 }, scratch: { loss: 0.5, accuracy: 0.5 } });
    expect(f.sentence).toBe('Fine-tuning ended with a lower validation loss than training from scratch in 5 of 5 seeds (median 0.2 against 0.5).');
  });

  test('three seeds of five is within seed noise: no winner, though the sentence says who is ahead', () => {
    const f = transferFinding(report([[0.1, 0.5], [0.2, 0.4], [0.6, 0.3], [0.3, 0.35], [0.7, 0.5]]), { verb: 'has' });
    expect(f).toMatchObject({ winner: null, better: null });
    expect(f.sentence).toBe('No difference in validation loss beyond seed noise: fine-tuning has a lower validation loss than training from scratch in 3 of 5 seeds (median 0.3 against 0.4).');
  });

  test('training from scratch ahead is said as plainly, and a diverged seed counts against its arm', () => {
    const f = transferFinding(report([[0.5, 0.1], [NaN, 0.2], [0.6, 0.3], [0.4, 0.35], [0.7, 0.5]]));
    expect(f).toMatchObject({ winner: 'training from scratch', better: false });
    expect(f.fineTune.loss).toBe(0.55);
    expect(f.sentence).toMatch(/^Training from scratch ended with a lower validation loss than fine-tuning in 5 of 5 seeds/);
  });

  test('one seed is too few to tell, and without both arms there is no finding', () => {
    expect(transferFinding(report([[0.1, 0.5]])).sentence).toBe('Too few seeds to tell (1 seed): fine-tuning ended with a lower validation loss than training from scratch in 1 of 1 seed (median 0.1 against 0.5).');
    expect(transferFinding(null)).toBeNull();
    expect(transferFinding([])).toBeNull();
    expect(transferFinding([{ validation_loss: 0.1 }, {}])).toBeNull();
  });
});
