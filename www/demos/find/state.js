// The Find demo's part of the page state (state.js): the range test's convention and fields, the
// network, data and optimizer it runs on, the seeds, and the suggestion picked. The engine judges
// the values; a link is only checked for their type here. Keys are short words (a link's); the
// finder fields' engine names are in options.js.
import { isSpecShaped } from '../../shapes.js';
import { CONVENTIONS, MAX_SEEDS, METHODS, STEP_MODES } from './options.js';
import { BACKEND_ENTRY } from '../../state.js';

export const STATE = [
  { key: 'convention', type: 'enum', values: CONVENTIONS, default: 'fastai' },
  { key: 'start', type: 'float', default: 1e-7 },
  { key: 'end', type: 'float', default: 10 },
  { key: 'iters', type: 'int', default: 100 },
  { key: 'stopdiv', type: 'bool', default: true },
  { key: 'stepmode', type: 'enum', values: STEP_MODES, default: 'exp' },
  { key: 'smooth', type: 'float', default: 0.05 },
  { key: 'diverge', type: 'float', default: 5 },
  // Two moons: the network learns within a hundred batches, so the curve falls before it blows up.
  { key: 'data', type: 'name', default: 'moons' },
  { key: 'hidden', type: 'ints', default: [16, 16] },
  { key: 'optimizer', type: 'json', default: { kind: 'sgd', momentum: 0.9 }, valid: isSpecShaped, expected: 'an optimizer {kind, ...}' },
  { key: 'batch', type: 'int', default: 16 },
  { key: 'seeds', type: 'int', min: 1, max: MAX_SEEDS, default: 8 },
  { key: 'orders', type: 'bool', default: false },
  { key: 'pick', type: 'enum', values: METHODS, default: 'valley' },
  // Runs on the user's own CSV data, kept in this browser only (www/data-input/).
  { key: 'own', type: 'bool', default: false },
  // Where the range test trains (a link can insist on WebGPU or the CPU path).
  BACKEND_ENTRY,
];
