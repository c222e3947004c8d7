// The Train demo as the page registers it: its title, its part of the URL state, where its regions
// go, and its code, loaded when first shown.
import { STATE } from './state.js';

export default {
  id: 'train',
  title: 'Train',
  state: STATE,
  // The regions demo.js builds, in order: the plots right after the buttons that drive them (a
  // wide page sets the settings beside plots and tables, train.css). An embed leads with the plots
  // and leaves out the intro; the experiments' links and findings follow the buttons.
  layout: {
    page: ['intro', 'presets', 'toolbar', 'status', 'plots', 'findings', 'tables', 'settings', 'runs'],
    embed: ['plots', 'status', 'toolbar', 'findings', 'presets', 'tables', 'settings', 'runs'],
  },
  load: () => import('./demo.js'),
};
