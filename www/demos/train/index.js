// The Train demo as the page registers it: its title, its part of the URL state, where its regions
// go, and its code, loaded when first shown.
import { STATE } from './state.js';

export default {
  id: 'train',
  title: 'Train',
  state: STATE,
  // The regions demo.js builds, in order (train.css sets settings and views side by side on a wide
  // page). An embed leads with the plots and readouts and leaves out the intro.
  layout: {
    page: ['intro', 'toolbar', 'status', 'settings', 'views', 'runs'],
    embed: ['status', 'views', 'toolbar', 'settings', 'runs'],
  },
  load: () => import('./demo.js'),
};
