// A number input for one of the demo's own settings, checked against its range before it is used:
// a value out of range is reported at the input, its range in words, and never sent.
import { h } from '../../dom.js';
import { rangeInWords } from '../../number-range.js';

/**
 * `{ label, min, max, integer, step, value, testid, title }`; `onValue(value)` after each
 * accepted change. Returns { element (the label around the input), input, set(value) }.
 */
export function numberInput({ label, min, max, integer = true, step = integer ? 1 : 'any', value, testid, title, onValue }) {
  const range = rangeInWords({ min, max, integer });
  const input = h('input', { type: 'number', min, max, step, 'data-testid': testid, title: `${title} (${range})` });
  input.value = value;
  // The value if it is in range, else null; the input's message (its tooltip too) says the range.
  const accepted = () => {
    const x = Number(input.value);
    const ok = input.value.trim() !== '' && Number.isFinite(x) && x >= min && x <= max && (!integer || Number.isInteger(x));
    input.setCustomValidity(ok ? '' : `${label}: ${range}`);
    return ok ? x : null;
  };
  input.addEventListener('input', accepted);
  input.addEventListener('change', () => {
    const x = accepted();
    input.reportValidity();
    if (x !== null) onValue(x);
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
