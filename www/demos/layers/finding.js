// What task B's session shows, seed by seed: the fine-tuning arm against the arm trained from
// scratch on the same seeds (same head, same batches), as numbers per arm and one sentence from
// the data that says who is ahead and how sure that is (experiment/finding.js).
import { finalFinding, median } from '../../experiment/index.js';
import { FINE_TUNE, SCRATCH, seedValues } from './options.js';

const ARMS = [
  { arm: FINE_TUNE, name: 'fine-tuning' },
  { arm: SCRATCH, name: 'training from scratch' },
];

/** Each arm's seeds' `key` (validation_loss, validation_accuracy) in an evaluation's report, seed by seed (null where a run has none). */
export function armValues(report, key) {
  return ARMS.map(({ arm }) => seedValues(report, key, arm));
}

/**
 * The two arms compared on validation loss in `report` (one evaluation of every run): null
 * without one. Otherwise { fineTune, scratch: { loss, accuracy } (medians over seeds), seeds,
 * sentence, winner: 'fine-tuning' | 'training from scratch' | null (within seed noise), better:
 * true or false when fine-tuning won or lost, null without a winner }. `verb`: how the sentence
 * says where the runs are ("ended with" once trained, "has" on the way).
 */
export function transferFinding(report, { verb = 'ended with' } = {}) {
  if (!report?.length) return null;
  const [losses, accuracies] = ['validation_loss', 'validation_accuracy'].map((key) => armValues(report, key));
  if (losses.some((values) => values.every((v) => v === null))) return null;
  const [a, b] = ARMS.map(({ name }, i) => ({ name, values: losses[i] }));
  const finding = finalFinding({ a, b, quantity: 'validation loss', verb });
  const arm = (i) => ({ loss: median(losses[i]), accuracy: median(accuracies[i]) });
  return {
    fineTune: arm(0),
    scratch: arm(1),
    seeds: finding.n,
    sentence: finding.sentence,
    winner: finding.winner === null ? null : finding.winner === 'a' ? a.name : b.name,
    better: finding.winner === null ? null : finding.winner === 'a',
  };
}
