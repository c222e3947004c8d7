// The Surfaces demo as the page registers it: its title, its part of the URL state, where its
// regions go, and its code, loaded when first shown.
import { STATE } from './state.js';

export default {
  id: 'surfaces',
  title: 'Surfaces',
  state: STATE,
  // The regions demo.js builds, in order. An embed leads with the picture and its charts; the
  // controls follow, folded (demo.js).
  layout: {
    page: ['intro', 'toolbar', 'status', 'picture', 'results', 'paths'],
    embed: ['picture', 'toolbar', 'status', 'results', 'paths'],
  },
  load: () => import('./demo.js'),
};
