// The Layers demo as the page registers it: its title, its part of the URL state, where its
// regions go, and its code, loaded when first shown.
import { STATE } from './state.js';

export default {
  id: 'layers',
  title: 'Layers',
  state: STATE,
  // The regions demo.js builds, in order. An embed leads with the picture (the layers, their
  // rates) and folds the controls away (demo.js).
  layout: {
    page: ['intro', 'pretrain', 'toolbar', 'status', 'network', 'curves', 'compare', 'recipe'],
    embed: ['network', 'curves', 'status', 'toolbar', 'pretrain', 'compare', 'recipe'],
  },
  load: () => import('./demo.js'),
};
