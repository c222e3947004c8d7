// The registered demos, in tab order. Each is a folder with an index.js that declares it
// ({ id, title, state, layout, load }); adding a demo is one folder and one line here.
import schedules from './schedules/index.js';
import train from './train/index.js';
import find from './find/index.js';
import surfaces from './surfaces/index.js';
import layers from './layers/index.js';

export const DEMOS = [schedules, train, find, surfaces, layers];
