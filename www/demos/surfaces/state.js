// The Surfaces demo's part of the page state (state.js): the figure picked, the surface and where
// the paths start, the part of the plane in view, the animation's speed, and the paths themselves.
// A link is checked for shapes here; the engine judges the values (a surface name it does not
// know, an optimizer field out of range) and says so at the control.
import { isList, isObject, isSpecShaped } from '../../shapes.js';
import { PRESET_IDS, PRESETS } from './presets.js';
import { BACKEND_ENTRY } from '../../state.js';

export const MAX_PATHS = 8;
export const STEPS = { min: 1, max: 5000 };
/** The plateau race's seeds per schedule and its length (the engine's own bounds). */
export const RACE_SEEDS = { min: 1, max: 16 };
export const RACE_STEPS = { min: 100, max: 20_000 };
/** Steps of the paths shown per second of animation. */
export const SPEED = { min: 1, max: 2000 };

const FIRST = PRESETS[0];

export const STATE = [
  { key: 'preset', type: 'enum', values: PRESET_IDS, default: FIRST.id },
  { key: 'surface', type: 'name', default: FIRST.surface },
  { key: 'kappa', type: 'float', min: 0.001, max: 10000, default: FIRST.kappa },
  // null: the surface's own start and view.
  { key: 'start', type: 'json', default: null, valid: (v) => v === null || isPoint(v), expected: 'null or a point [x, y]' },
  { key: 'view', type: 'json', default: null, valid: (v) => v === null || isView(v), expected: 'null or a view {x: [lo, hi], y: [lo, hi]}' },
  { key: 'speed', type: 'float', ...SPEED, default: 50 },
  { key: 'steps', type: 'int', ...STEPS, default: FIRST.steps },
  { key: 'paths', type: 'json', default: FIRST.paths, valid: (v) => isList(v, MAX_PATHS, isPathShaped), expected: `1 to ${MAX_PATHS} paths {optimizer, schedule, label?}` },
  { key: 'three', type: 'bool', default: false },
  { key: 'seeds', type: 'int', ...RACE_SEEDS, default: 5 },
  { key: 'racesteps', type: 'int', ...RACE_STEPS, default: 1500 },
  // Where the landscape's network trains (a link can insist on WebGPU or the CPU path).
  BACKEND_ENTRY,
];

/** Two finite numbers. */
export function isPoint(value) {
  return Array.isArray(value) && value.length === 2 && value.every(Number.isFinite);
}

/** { x: [lo, hi], y: [lo, hi] }, each lo < hi. */
export function isView(value) {
  const range = (r) => isPoint(r) && r[0] < r[1];
  return isObject(value) && Object.keys(value).length === 2 && range(value.x) && range(value.y);
}

// A path: an optimizer and a schedule spec, and an optional label of up to 40 characters.
function isPathShaped(path) {
  return (
    isObject(path) &&
    isSpecShaped(path.optimizer) &&
    isSpecShaped(path.schedule) &&
    Object.keys(path).every((key) => ['optimizer', 'schedule', 'label'].includes(key)) &&
    (path.label === undefined || (typeof path.label === 'string' && path.label.length <= 40))
  );
}
