// A number input for one of the demo's own settings, checked against its range before it is used:
// a value out of range is reported at the input (the browser's own message) and never sent.
import { h } from '../../dom.js';

/**
 * `{ label, min, max, integer, step, value, testid, title }`; `onValue(value)` after each
 * accepted change. Returns { element (the label around the input), input, set(value) }.
 */
export function numberInput({ label, min, max, integer = true, step = integer ? 1 : 'any', value, testid, title, onValue }) {
  const input = h('input', { type: 'number', min, max, step, 'data-testid': testid, title });
  input.value = value;
  input.addEventListener('change', () => {
    const x = Number(input.value);
    const ok = input.value.trim() !== '' && Number.isFinite(x) && x >= min && x <= max && (!integer || Number.isInteger(x));
    input.setCustomValidity(ok ? '' : `${label}: ${integer ? 'an integer' : 'a number'} in [${min}, ${max}]`);
    input.reportValidity();
    if (ok) onValue(x);
  });
  return {
    element: h('label', { class: 'number-setting' }, `${label} `, input),
    input,
    set(x) {
      input.value = x;
      input.setCustomValidity('');
    },
  };
}
