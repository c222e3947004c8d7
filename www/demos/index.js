// The registered demos, in tab order. Each is a folder with an index.js that declares it
// ({ id, title, state, layout, load }); adding a demo is one folder and one line here.
import guide from './guide/index.js';
import schedules from './schedules/index.js';
import train from './train/index.js';
import find from './find/index.js';
import surfaces from './surfaces/index.js';
import layers from './layers/index.js';

export const DEMOS = [guide, schedules, train, find, surfaces, layers];

/**
 * pageSchema's options: the bare address opens the guide; a link that names no demo (or one that
 * is no more) opens Schedules, as such links did before the guide was the first tab.
 */
export const LINKS = { start: 'guide', linkDefault: 'schedules' };
