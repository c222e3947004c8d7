// The Train demo's runs: one card per run (schedule-list.js), each a schedule editor with the
// run's seed under its fields, plus adding and removing runs.
import { fieldControl } from '../../controls.js';
import { controlPlace } from '../../field-errors.js';
import { scheduleList } from '../../schedule-list.js';
import { MAX_RUNS } from './options.js';

const SEED = {
  name: 'seed',
  type: 'int',
  min: 0,
  max: 2 ** 32 - 1,
  default: 0,
  required: false,
  description: "Seeds this run's initial weights: runs with the same seed start from the same weights",
};

/**
 * `runs`: [{ schedule, seed? }]. `onRuns(runs)` reports every edit. Returns { element,
 * showError(error) -> whether a run took it, clearErrors() }: an engine Error whose `field` is
 * "runs[i].schedule.<field>" goes to that field of run i's editor, "runs[i].seed" to its seed.
 */
export function runList(runs, kinds, onRuns) {
  return scheduleList(runs, {
    itemName: 'run',
    kinds,
    max: MAX_RUNS,
    testids: { list: 'run-list', add: 'add-run' },
    addLabel: '+ Add a run',
    scheduleKey: 'schedule',
    schedulePath: (index) => `runs[${index}].schedule`,
    extras: (run, index, edit) => {
      const seed = fieldControl(
        SEED,
        run.seed,
        (value) =>
          edit(({ seed: _, ...rest }) => (value === undefined ? rest : { ...rest, seed: value })),
        `run-${index}-seed`,
      );
      return { elements: [seed.element], places: new Map([[`runs[${index}].seed`, controlPlace(seed)]]) };
    },
    onItems: onRuns,
  });
}
