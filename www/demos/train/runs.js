// The Train demo's runs: one card per run, each a schedule editor (schedule-editor.js) with the
// run's seed under its fields, plus adding and removing runs.
import { h } from '../../dom.js';
import { fieldControl } from '../../controls.js';
import { controlPlace, placeError } from '../../field-errors.js';
import { COLORS } from '../../plot.js';
import { scheduleEditor } from '../../schedule-editor.js';
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
  const list = h('div', { class: 'schedule-list', 'data-testid': 'run-list' });
  const addButton = h('button', { type: 'button', class: 'add', 'data-testid': 'add-run', onclick: () => changed([...runs, structuredClone(runs.at(-1))], true) }, '+ Add a run');
  const places = new Map();

  function build() {
    places.clear();
    list.replaceChildren(
      ...runs.map((run, index) => {
        const replace = (next, rebuild = false) => changed(runs.map((r, i) => (i === index ? next : r)), rebuild);
        const seed = fieldControl(
          SEED,
          run.seed,
          (value) => {
            const { seed: _, ...rest } = runs[index];
            replace(value === undefined ? rest : { ...rest, seed: value });
          },
          `run-${index}-seed`,
        );
        const editor = scheduleEditor({
          index,
          spec: run.schedule,
          kinds,
          color: COLORS[index],
          canRemove: runs.length > 1,
          onRemove: () => changed(runs.filter((_, i) => i !== index), true),
          onSpec: (schedule, { rebuild }) => replace({ ...runs[index], schedule }, rebuild),
          extra: [seed.element],
        });
        places.set(`runs[${index}].schedule`, editor.showError);
        places.set(`runs[${index}].seed`, controlPlace(seed));
        return editor.element;
      }),
    );
    addButton.disabled = runs.length >= MAX_RUNS;
  }

  function changed(next, rebuild = false) {
    runs = next;
    if (rebuild) build();
    onRuns(runs);
  }

  build();
  return {
    element: h('div', {}, list, addButton),
    showError: (error) => placeError(places, error),
    clearErrors: () => placeError(places, null),
  };
}
