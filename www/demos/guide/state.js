// The guide's part of the page state: which figure to show alone (an embed of one figure, a link
// to one claim), or all of them.
export const FIGURE_IDS = ['small-vs-large', 'four-rates', 'range-test', 'saddle', 'clr', 'sgdr', 'recipe', 'discriminative'];

export const STATE = [{ key: 'figure', type: 'enum', values: ['all', ...FIGURE_IDS], default: 'all' }];
