// Paste your own curve: lines of "lr, loss" from a range test run elsewhere, smoothed (or taken
// as recorded) and given the same five suggestions by the engine's pure functions.
import { h } from '../../dom.js';
import { fieldNotice } from '../../notice.js';
import { MIN_POINTS, parseCurve } from './csv.js';
import { METHODS } from './options.js';
import { errorText } from '../../messages.js';

const SMOOTHING = [
  ['none', 'as recorded (already smoothed)'],
  ['fastai', "smooth as fastai does"],
  ['torch_lr_finder', 'smooth as torch-lr-finder does'],
];

const EXAMPLE = '# lr, loss (e.g. zip(learn.recorder.lrs, learn.recorder.losses))\n';

/**
 * The engine's view of a pasted curve, shaped like LrFinder.run's answer with one run: { lrs,
 * runs: [{ losses, smoothed, suggestions }], suggestions }. A method the engine refuses (too few
 * points) gets { lr: null, reason } like the range test's.
 */
export async function suggestCurve(engine, { lrs, losses }, smoothing) {
  const smoothed = smoothing === 'none' ? losses : await engine.smoothLosses(losses, { style: smoothing });
  const answers = await Promise.all(METHODS.map((method) => engine.suggestLr(lrs, smoothed, { method }).catch((err) => ({ lr: null, reason: errorText(err) }))));
  const suggestions = Object.fromEntries(METHODS.map((method, i) => [method, answers[i]]));
  return { lrs, runs: [{ losses, smoothed, suggestions }], suggestions };
}

/**
 * `onCurve(curve)` gets { lrs, losses } of the pasted lines when there are enough; `smoothing()`
 * is read then. Returns { element, smoothing(), showError(message | null) }.
 */
export function pastePanel(onCurve) {
  const text = h('textarea', { rows: 8, spellcheck: 'false', 'data-testid': 'paste-text', 'aria-label': 'Your curve: one "lr, loss" per line', placeholder: `${EXAMPLE}1e-7, 2.31\n1.2e-7, 2.30\n…` });
  const select = h('select', { 'data-testid': 'paste-smoothing', 'aria-label': 'Smoothing' }, SMOOTHING.map(([value, label]) => h('option', { value }, label)));
  const report = fieldNotice('paste-error');
  const showError = report.show;
  const submit = () => {
    const curve = parseCurve(text.value);
    const skipped = skippedLines(curve.skipped);
    if (curve.lrs.length < MIN_POINTS) return showError([`Needs at least ${MIN_POINTS} lines of "lr, loss".`, ...skipped].join(' '));
    showError(skipped.length ? `Left out ${skipped.join('; ')}` : null);
    onCurve(curve);
  };
  const button = h('button', { type: 'button', 'data-testid': 'paste-run', onclick: submit }, 'Suggest');
  const element = h(
    'details',
    { class: 'find-paste', 'data-testid': 'paste' },
    h('summary', {}, 'Paste your own curve'),
    h('p', { class: 'hint' }, 'One "lr, loss" per line (commas, tabs or spaces); a header and # comments are skipped. Or fastai\'s learn.recorder.lrs and learn.recorder.losses as Python prints them, one list after the other.'),
    text,
    h('div', { class: 'toolbar' }, select, button),
    report.element,
  );
  return { element, smoothing: () => select.value, showError };
}

// The first few lines left out, and how many more: a pasted file of junk gets a short message.
const SKIPPED_SHOWN = 5;
function skippedLines(skipped) {
  const shown = skipped.slice(0, SKIPPED_SHOWN).map(({ line, reason }) => `line ${line}: ${reason}`);
  const more = skipped.length - shown.length;
  return more > 0 ? [...shown, `${more.toLocaleString('en')} more line${more === 1 ? '' : 's'}`] : shown;
}
