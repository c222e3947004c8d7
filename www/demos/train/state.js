// The Train demo's part of the page state (state.js): data, network, optimizer, training length,
// the runs and the run shown. Engine options are checked for their type only: the engine judges
// their values, and its message shows next to the control. Key names are those of existing links.
import { isList, isObject, isSpecShaped } from '../../shapes.js';
import { DEFAULT_OPTIMIZER, DEFAULT_RUNS, MAX_RUNS, TRAINSTEPS } from './options.js';

export const STATE = [
  { key: 'data', type: 'name', default: 'spiral' },
  { key: 'noise', type: 'float', default: 0.1 },
  { key: 'points', type: 'int', default: 400 },
  { key: 'hidden', type: 'ints', default: [16, 16] },
  { key: 'activation', type: 'name', default: 'relu' },
  { key: 'batch', type: 'int', default: 16 },
  { key: 'trainsteps', type: 'int', min: TRAINSTEPS.min, max: TRAINSTEPS.max, default: TRAINSTEPS.default },
  { key: 'optimizer', type: 'json', default: DEFAULT_OPTIMIZER, valid: isSpecShaped, expected: 'an optimizer {kind, ...}' },
  { key: 'runs', type: 'json', default: DEFAULT_RUNS, valid: (v) => isList(v, MAX_RUNS, isRunShaped), expected: `1 to ${MAX_RUNS} runs {schedule, seed}` },
  { key: 'selected', type: 'int', min: 0, max: MAX_RUNS - 1, default: 0 },
  // Trains on the user's own CSV data, kept in this browser only (www/data-input/).
  { key: 'own', type: 'bool', default: false },
];

// A run: a schedule and an optional seed, nothing else.
function isRunShaped(run) {
  return (
    isObject(run) &&
    isSpecShaped(run.schedule) &&
    Object.keys(run).every((key) => key === 'schedule' || key === 'seed') &&
    (run.seed === undefined || (Number.isInteger(run.seed) && run.seed >= 0))
  );
}
