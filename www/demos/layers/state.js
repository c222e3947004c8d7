// The Layers demo's part of the page state (state.js): the transfer task, the seed, the preset
// plan and its length, and the recipe's settings. Every value is checked here in full: none of
// them reaches the engine unchecked by its own rules as well.
import { PRESETS, TASKS } from './options.js';
import { RECIPE_SETTINGS } from './recipe.js';

const setting = (key, name, type) => ({ key, type, min: RECIPE_SETTINGS[name].min, max: RECIPE_SETTINGS[name].max, default: RECIPE_SETTINGS[name].default });

export const STATE = [
  { key: 'task', type: 'enum', values: Object.keys(TASKS), default: 'spiral' },
  { key: 'seed', type: 'int', min: 0, max: 2 ** 32 - 8, default: 0 },
  { key: 'preset', type: 'enum', values: Object.keys(PRESETS), default: 'fine_tune' },
  { key: 'epochs', type: 'int', min: 2, max: 30, default: 6 },
  setting('factor', 'factor', 'float'),
  setting('headepochs', 'headEpochs', 'int'),
  setting('headcycles', 'headCycles', 'int'),
  setting('cycles', 'maxCycles', 'int'),
  // Trains on the user's own CSV data, kept in this browser only (own-task.js, www/data-input/).
  { key: 'own', type: 'bool', default: false },
];

/** The recipe's settings from a Layers state. */
export function recipeSettings(state) {
  return Object.fromEntries(Object.entries(RECIPE_KEYS).map(([name, key]) => [name, state[key]]));
}

/** Each recipe setting's state key. */
export const RECIPE_KEYS = { factor: 'factor', headEpochs: 'headepochs', headCycles: 'headcycles', maxCycles: 'cycles' };
