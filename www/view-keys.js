// Keys of a link that choose how the page looks, not what a demo computes: `theme`
// (light | dark | auto) and TF Playground's `<key>_hide=1` (or `true`), which hides the control of
// a demo's URL-state key in a classroom link. They ride along in the hash beside the demo's state
// (state.js reads only its own keys) and are written back as they came.

import { themeOf } from './theme.js';

const HIDE = /^(\w{1,40})_hide$/;
const YES = new Set(['1', 'true']);

/** `{ theme, hidden }` from a hash or query text: the theme, and the keys whose controls to hide. */
export function readViewKeys(text) {
  const params = new URLSearchParams(text.replace(/^[#?]/, ''));
  const hidden = [];
  for (const [key, value] of params) {
    const match = HIDE.exec(key);
    if (match && YES.has(value)) hidden.push(match[1]);
  }
  return { theme: themeOf(params.get('theme')), hidden };
}

/** The view keys as hash text (empty when there is nothing to say), to append to a demo's state. */
export function writeViewKeys({ theme, hidden }) {
  const params = new URLSearchParams();
  if (themeOf(theme) !== 'auto') params.set('theme', theme);
  for (const key of hidden) params.set(`${key}_hide`, '1');
  return params.toString();
}

/**
 * Hides, in `root`, the control of each key in `hidden`: the field (`.field`) around the input a
 * demo names `<demo>-<key>` (its test id) or marks `data-key="<key>"`, else that element itself.
 */
export function hideControls(root, hidden, demo) {
  for (const key of hidden) {
    const selector = `[data-key="${CSS.escape(key)}"], [data-testid="${CSS.escape(`${demo}-${key}`)}"]`;
    for (const control of root.querySelectorAll(selector)) {
      const field = control.closest('.field') ?? control;
      if (!field.hidden) field.hidden = true;
    }
  }
}
