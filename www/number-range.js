// A number input's range in words, its numbers written for reading: the browser's own message for
// a value out of range prints a bound as 4294967288; these say "a whole number from 0 to
// 4,294,967,288", in the input's tooltip and in its validation message.
import { formatNumber } from './format.js';

/** A range's bound for reading: an integer exactly, with digit groups; anything else as formatNumber writes it. */
export function formatBound(x) {
  return Number.isSafeInteger(x) ? x.toLocaleString('en') : formatNumber(x);
}

/** "a whole number from 0 to 4,294,967,288", "a number of at least 0.001", "a number". */
export function rangeInWords({ min, max, integer = false }) {
  const kind = integer ? 'a whole number' : 'a number';
  const has = (x) => typeof x === 'number' && Number.isFinite(x);
  if (has(min) && has(max)) return `${kind} from ${formatBound(min)} to ${formatBound(max)}`;
  if (has(min)) return `${kind} of at least ${formatBound(min)}`;
  if (has(max)) return `${kind} of at most ${formatBound(max)}`;
  return kind;
}

/**
 * While `input` holds something the browser finds invalid (out of its min/max, not a number, off
 * its step), its validation message is `message` instead of the browser's.
 */
export function keepValidityReadable(input, message) {
  const check = () => {
    input.setCustomValidity('');
    if (!input.validity.valid) input.setCustomValidity(message);
  };
  input.addEventListener('input', check);
  check();
}
