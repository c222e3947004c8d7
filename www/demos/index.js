// Every demo, in tab order. Each is one self-contained module, loaded when first shown, whose
// default export is `mount(root, ctx) -> unmount()` (see main.js for ctx).
export const DEMOS = [
  { id: 'schedules', title: 'Schedules', load: () => import('./schedules.js') },
  { id: 'train', title: 'Train', load: () => import('./train.js') },
];
