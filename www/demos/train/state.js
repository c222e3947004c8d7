// The Train demo's part of the page state (state.js): data, network, optimizer, training length,
// the runs and the run shown. Engine options are checked for their type only: the engine judges
// their values, and its message shows next to the control. Key names are those of existing links.
import { isList, isObject, isSpecShaped } from '../../shapes.js';
import { DEFAULT_OPTIMIZER, DEFAULT_RUNS, MAX_RUNS, SEEDS, TRAINSTEPS, defaultHidden } from './options.js';
import { SPEEDS, speedKey } from './pace.js';
import { PRESETS } from './presets.js';
import { BACKEND_ENTRY } from '../../state.js';

export const STATE = [
  { key: 'data', type: 'name', default: 'spiral' },
  { key: 'noise', type: 'float', default: 0.1 },
  { key: 'points', type: 'int', default: 400 },
  // A link to the digits that names no network gets the digits' own (as picking them does).
  { key: 'hidden', type: 'ints', default: [16, 16], defaultFor: ({ data }) => defaultHidden(data) },
  { key: 'activation', type: 'name', default: 'relu' },
  { key: 'batch', type: 'int', default: 16 },
  { key: 'trainsteps', type: 'int', min: TRAINSTEPS.min, max: TRAINSTEPS.max, default: TRAINSTEPS.default },
  { key: 'optimizer', type: 'json', default: DEFAULT_OPTIMIZER, valid: isSpecShaped, expected: 'an optimizer {kind, ...}' },
  { key: 'runs', type: 'json', default: DEFAULT_RUNS, valid: (v) => isList(v, MAX_RUNS, isRunShaped), expected: `1 to ${MAX_RUNS} runs {schedule, seed, eval_every}` },
  { key: 'selected', type: 'int', min: 0, max: MAX_RUNS - 1, default: 0 },
  // Added later; links without them open the same runs (one seed each).
  { key: 'seeds', type: 'int', min: SEEDS.min, max: SEEDS.max, default: SEEDS.default },
  { key: 'speed', type: 'enum', values: SPEEDS.map(speedKey), default: '300' },
  { key: 'smoothing', type: 'float', min: 0, max: 0.99, default: 0.6 },
  { key: 'preset', type: 'enum', values: ['none', ...PRESETS.map((p) => p.id)], default: 'none' },
  // Trains on the user's own CSV data, kept in this browser only (www/data-input/).
  { key: 'own', type: 'bool', default: false },
  // Where the sessions train (a link can insist on WebGPU or the CPU path).
  BACKEND_ENTRY,
];

// A run: a schedule, an optional seed and (for ReduceLROnPlateau) eval_every, nothing else.
function isRunShaped(run) {
  const count = (n) => n === undefined || (Number.isInteger(n) && n >= 0);
  return (
    isObject(run) &&
    isSpecShaped(run.schedule) &&
    Object.keys(run).every((key) => key === 'schedule' || key === 'seed' || key === 'eval_every') &&
    count(run.seed) &&
    count(run.eval_every)
  );
}
