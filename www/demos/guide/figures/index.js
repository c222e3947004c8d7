// The guide's figures in the post's order: each a live piece of a demo with its claim, what the
// page found, and a link to the demo where it can be explored.
import clr from './clr.js';
import discriminative from './discriminative.js';
import fourRates from './four-rates.js';
import rangeTest from './range-test.js';
import recipe from './recipe.js';
import saddle from './saddle.js';
import sgdr from './sgdr.js';
import smallVsLarge from './small-vs-large.js';

export const FIGURES = [smallVsLarge, fourRates, rangeTest, saddle, clr, sgdr, recipe, discriminative];

/** The post's four questions, by number. */
export const QUESTIONS = {
  1: 'What is the learning rate, and why does it matter?',
  2: 'How does one find a good rate systematically?',
  3: 'Why change the rate during training?',
  4: 'How do we treat rates with a pretrained model?',
};
