// The Find demo as the page registers it: its title, its part of the URL state, where its regions
// go, and its code, loaded when first shown.
import { STATE } from './state.js';

export default {
  id: 'find',
  title: 'Find',
  state: STATE,
  // The regions demo.js builds, in order. An embed leads with the plot and what it suggests; the
  // controls follow, folded (demo.js).
  layout: {
    page: ['intro', 'toolbar', 'status', 'plot', 'suggestions', 'settings', 'paste'],
    embed: ['plot', 'status', 'toolbar', 'suggestions', 'settings', 'paste'],
  },
  load: () => import('./demo.js'),
};
