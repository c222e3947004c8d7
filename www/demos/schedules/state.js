// The Schedules demo's part of the page state (state.js): the plotted steps, the log axis and the
// compared specs. Key names are those of existing links.
import { isList, isSpecShaped } from '../../shapes.js';
import { PRESETS } from './presets.js';

export const STEPS = { min: 1, max: 100_000 };
export const MAX_SCHEDULES = 8;

export const STATE = [
  { key: 'steps', type: 'int', ...STEPS, default: PRESETS[0].steps },
  { key: 'logy', type: 'bool', default: false },
  {
    key: 'schedules',
    type: 'json',
    default: PRESETS[0].schedules,
    valid: (v) => isList(v, MAX_SCHEDULES, isSpecShaped),
    expected: `1 to ${MAX_SCHEDULES} schedule specs`,
  },
];
