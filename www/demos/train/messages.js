// The engine's refusals in the words of the Train page: its messages begin with the path of the
// value at fault inside the options the page sent ("runs[4].schedule.lr (Constant): ...",
// "data.noise: ..."), which means nothing to a reader. The path gives way to the name of the
// control a reader sees, and a session run becomes the run (arm) the page lists.
import { pathInWords } from '../../messages.js';
import { armOf } from './arms.js';

// The Session options the settings panel holds, by the name its control shows.
const SETTING_NAMES = {
  batch_size: 'batch',
  'data.kind': 'data',
  'data.noise': 'noise',
  'data.n': 'points',
  layers: 'hidden',
  activation: 'activation',
};

/**
 * `error` (an engine Error with `field`, a path into the session options) for a reader: the
 * path in its message replaced by the control's name, and `field` made a path into the page's
 * runs (session run r of `seeds` per arm is arm ⌊r / seeds⌋). Errors without a field are kept.
 */
export function readableError(error, seeds) {
  if (typeof error?.field !== 'string') return error;
  const field = error.field.replace(/^runs\[(\d+)\]/, (_, r) => `runs[${armOf(Number(r), seeds)}]`);
  const rest = error.message.startsWith(error.field) ? error.message.slice(error.field.length).replace(/^ \(\w+\)/, '') : `: ${error.message}`;
  return Object.assign(new Error(`${controlName(field)}${rest}`), { field });
}

/** The name a reader sees for the option at `field`: "batch", "run 2's max_lr", "optimizer momentum". */
export function controlName(field) {
  if (Object.hasOwn(SETTING_NAMES, field)) return SETTING_NAMES[field];
  const run = /^runs\[(\d+)\](?:\.schedule)?\.?(.*)$/.exec(field);
  if (run) return run[2] ? `run ${Number(run[1]) + 1}'s ${pathInWords(run[2], false)}` : `run ${Number(run[1]) + 1}`;
  const layer = /^layers\[(\d+)\]$/.exec(field);
  if (layer) return `layer ${Number(layer[1]) + 1}'s width`;
  return pathInWords(field, false);
}
