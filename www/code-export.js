// "Copy as code": a disclosure under a schedule card or a Train run with a library picker, the
// Python the engine writes for it (exportCode / exportRunCode) and a button that copies it. The
// engine is the judge of what a library can express: its refusal is shown instead of the code.
import { h } from './dom.js';
import { errorText } from './messages.js';

/** The libraries the engine writes code for, as the engine names them, with their names for people. */
export const TARGETS = [
  { value: 'pytorch', label: 'PyTorch' },
  { value: 'transformers', label: 'transformers' },
  { value: 'timm', label: 'timm' },
  { value: 'optax', label: 'optax' },
  { value: 'keras', label: 'Keras' },
  { value: 'fastai', label: 'fastai' },
];

/** The target a schedule kind's library (Schedule.kinds()'s `library`) defaults to: its own, else PyTorch. */
export function targetOf(library) {
  return TARGETS.some((t) => t.value === library) ? library : 'pytorch';
}

/** How long the copy button says "Copied". */
export const COPIED_MS = 2000;

/**
 * `load(target) -> Promise<string>`: the code for `target`. `targets`: the values offered (in
 * TARGETS' order); `defaultTarget()`: the one picked until the user picks another. `id`: a unique
 * prefix for the element ids and test ids; `what`: what the code is for, for screen readers
 * ("schedule 1"). `clipboard`: where Copy writes (navigator.clipboard).
 *
 * Returns { element, refresh() }: `refresh` reloads the code if the disclosure is open (call it
 * when what the code stands for changes); it loads when opened and when the library changes.
 */
export function codeExport({ load, targets = TARGETS.map((t) => t.value), defaultTarget = () => targets[0], id, what, clipboard = globalThis.navigator?.clipboard }) {
  let picked = null;
  let loads = 0;
  let copiedTimer = null;
  const select = h(
    'select',
    { id: `${id}-target`, 'data-testid': `${id}-target` },
    TARGETS.filter((t) => targets.includes(t.value)).map((t) => h('option', { value: t.value }, t.label)),
  );
  const code = h('code', {});
  const pre = h('pre', { class: 'code-export-code', tabindex: 0, role: 'region', 'aria-label': `Python code for ${what}`, 'data-testid': `${id}-code` }, code);
  const refusal = h('p', { class: 'code-export-refusal', role: 'status', 'data-testid': `${id}-refusal`, hidden: true });
  const copyButton = h('button', { type: 'button', 'data-testid': `${id}-copy`, onclick: copy }, 'Copy');
  // Read out when a copy succeeds or fails; the button's own label changes for sighted users.
  const announce = h('span', { class: 'visually-hidden', 'aria-live': 'polite', 'data-testid': `${id}-announce` });
  const details = h(
    'details',
    { class: 'code-export', 'data-testid': id },
    h('summary', {}, 'Copy as code'),
    h('div', { class: 'code-export-bar' }, h('label', { for: select.id }, 'Library '), select, copyButton, announce),
    refusal,
    pre,
  );
  details.addEventListener('toggle', () => details.open && refresh());
  select.addEventListener('change', () => {
    picked = select.value;
    refresh();
  });

  async function refresh() {
    if (!details.open) return;
    if (picked === null) select.value = defaultTarget();
    const ticket = ++loads;
    let text = null;
    let error = null;
    try {
      text = await load(select.value);
    } catch (err) {
      error = err;
    }
    // Only the newest answer shows: an older one may come back after a quicker, newer one.
    if (ticket !== loads) return;
    code.textContent = text ?? '';
    pre.hidden = text === null;
    refusal.hidden = text !== null;
    refusal.textContent = error ? errorText(error) : '';
    copyButton.disabled = text === null;
    setCopied(null);
  }

  async function copy() {
    try {
      await clipboard.writeText(code.textContent);
      setCopied('Copied', 'Copied the code to the clipboard');
    } catch {
      setCopied('Copy failed', 'Could not copy: select the code and copy it yourself');
    }
  }

  function setCopied(label, message = '') {
    clearTimeout(copiedTimer);
    copyButton.textContent = label ?? 'Copy';
    copyButton.classList.toggle('copied', label === 'Copied');
    announce.textContent = message;
    if (label) copiedTimer = setTimeout(() => setCopied(null), COPIED_MS);
  }

  return { element: details, refresh };
}
