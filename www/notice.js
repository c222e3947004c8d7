// A demo's general notice: an engine message no control holds (or the engine failing to start),
// with a button to try again where trying again can help.
import { h } from './dom.js';
import { readable } from './messages.js';

/** Returns { element, show(message | null, retry?) }; the button calls `retry()` once, after clearing. */
export function demoNotice(testid) {
  const message = h('span', { 'data-testid': `${testid}-message` });
  const button = h('button', { type: 'button', class: 'retry', 'data-testid': `${testid}-retry` }, 'Try again');
  const element = h('div', { class: 'demo-error', role: 'alert', 'data-testid': testid, hidden: true }, message, button);
  let retry = null;
  const show = (text, again = null) => {
    message.textContent = readable(text) ?? '';
    element.hidden = !text;
    retry = again;
    button.hidden = !again;
  };
  button.addEventListener('click', () => {
    const again = retry;
    show(null);
    again?.();
  });
  return { element, show };
}

/** A message under one control (the kind fieldControl shows). Returns { element, show(message | null) }. */
export function fieldNotice(testid) {
  const element = h('div', { class: 'field-error', role: 'alert', 'data-testid': testid, hidden: true });
  const show = (message) => {
    element.textContent = readable(message) ?? '';
    element.hidden = !message;
  };
  return { element, show };
}
