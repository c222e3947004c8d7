// The Schedules demo as the page registers it: its title, its part of the URL state, where its
// regions go, and its code, loaded when first shown.
import { STATE } from './state.js';

export default {
  id: 'schedules',
  title: 'Schedules',
  state: STATE,
  // The regions demo.js builds, in order. An embed leads with the plots and leaves out the intro.
  layout: {
    page: ['intro', 'toolbar', 'status', 'plots', 'editors'],
    embed: ['status', 'plots', 'toolbar', 'editors'],
  },
  load: () => import('./demo.js'),
};
