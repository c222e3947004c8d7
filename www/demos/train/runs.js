// The Train demo's runs: one card per run (schedule-list.js), each a schedule editor with the
// run's seed under its fields, plus adding and removing runs.
import { codeExport } from '../../code-export.js';
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

// Shown for ReduceLROnPlateau runs, whose rate follows the validation loss.
const EVAL_EVERY = {
  name: 'eval_every',
  type: 'int',
  min: 1,
  max: 1e9,
  default: 100,
  required: false,
  description: 'Steps between the validation-loss evaluations that step ReduceLROnPlateau',
};

/**
 * `runs`: [{ schedule, seed?, eval_every? }]. `onRuns(runs)` reports every edit. `runCode(index, target)`:
 * the Python for run `index` (a Promise), under each card's "Copy as code". Returns { element,
 * showError(error) -> whether a run took it, clearErrors(), refreshCode() }: an engine Error whose
 * `field` is "runs[i].schedule.<field>" goes to that field of run i's editor, "runs[i].seed" to
 * its seed; `refreshCode` reloads the open code previews after the options change.
 */
export function runList(runs, kinds, onRuns, runCode) {
  const codeExports = [];
  const list = scheduleList(runs, {
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
      const places = new Map([[`runs[${index}].seed`, controlPlace(seed)]]);
      codeExports[index] = codeExport({ id: `run-${index}-code`, what: `run ${index + 1}`, targets: ['pytorch'], load: (target) => runCode(index, target) });
      const code = codeExports[index].element;
      if (run.schedule.kind !== 'ReduceLROnPlateau') return { elements: [seed.element, code], places };
      const every = fieldControl(EVAL_EVERY, run.eval_every, (value) => edit(({ eval_every: _, ...rest }) => (value === undefined ? rest : { ...rest, eval_every: value })), `run-${index}-eval-every`);
      places.set(`runs[${index}].eval_every`, controlPlace(every));
      return { elements: [seed.element, every.element, code], places };
    },
    onItems: (next) => {
      codeExports.length = next.length;
      onRuns(next);
    },
  });
  return { ...list, refreshCode: () => codeExports.forEach((code) => code.refresh()) };
}
