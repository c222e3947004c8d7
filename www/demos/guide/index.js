// The guide as the page registers it: the post's four questions in order, a live figure for each
// claim. It is the first tab and what the bare address opens.
import { STATE } from './state.js';

export default {
  id: 'guide',
  title: 'Guide',
  state: STATE,
  // The toolbar holds what every demo gets (share, download); an embed leads with the figures.
  layout: {
    page: ['intro', 'toolbar', 'figures'],
    embed: ['figures', 'toolbar'],
  },
  load: () => import('./demo.js'),
};
