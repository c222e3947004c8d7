// Messages as people read them. The engine names the option at fault by its path in what the page
// sent ("runs[0].schedule.lr (Constant): must be …", "data.noise: must be …"); a message in the page
// says it in words ("Run 1 schedule lr (Constant): must be …", "Data noise: must be …") and writes
// numbers for reading (1.93e18, not 1930000000000000000). Every message the page shows from the
// engine goes through here (notice.js, controls.js, errorText).
import { formatNumber } from './format.js';

// A path at the start of the text, after ": " or "(" ("runs[0].schedule.lr", "data.noise"), with
// the kind it is of, then ": ". A single name ("batch_size", "lr") is the option's own name, as
// the libraries spell it and the controls are labelled, and stays.
const PATH = /(^|: |\()([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*)( \(\w+\))?: /g;
// Numbers too long to read: thirteen or more digits before the point (a range's bound such as
// 4294967295 stays exact), or seven or more after it.
const LONG_NUMBER = /-?\d{13,}(?:\.\d+)?(?:e[+-]?\d+)?|-?\d+\.\d{7,}(?:e[+-]?\d+)?/g;

// A quotation of what the user sent ("…" in JSON's quotes): shown exactly as it was.
const QUOTED = /("(?:[^"\\]|\\.)*")/;

/** An engine Error (or anything thrown) as a sentence for the page: readable(its message). */
export function errorText(error) {
  return readable(typeof error?.message === 'string' ? error.message : String(error));
}

/** `text` with option paths in words and long numbers shortened, quotations left as they are. */
export function readable(text) {
  if (typeof text !== 'string') return text;
  return text
    .split(QUOTED)
    .map((part, i) => (i % 2 ? part : part.replace(PATH, (_, before, path, kind = '') => `${before}${pathInWords(path, before === '')}${kind}: `).replace(LONG_NUMBER, (n) => formatNumber(Number(n)))))
    .join('');
}

/**
 * "runs[0].schedule.step_size_up" -> "Run 1 schedule step_size_up", "data.noise" -> "Data noise"
 * (`first`: it begins a sentence); a single name ("batch_size") stays.
 */
export function pathInWords(path, first = true) {
  if (!/[.[]/.test(path)) return path;
  const words = path.split('.').map((part) => {
    const [, name, indices] = /^(\w+)((?:\[\d+\])*)$/.exec(part) ?? [null, part, ''];
    const numbers = [...indices.matchAll(/\[(\d+)\]/g)].map(([, i]) => Number(i) + 1);
    const noun = numbers.length ? singular(name) : name;
    return [noun, ...numbers].join(' ');
  });
  const text = words.join(' ');
  return first ? text[0].toUpperCase() + text.slice(1) : text;
}

function singular(name) {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  return name.endsWith('s') ? name.slice(0, -1) : name;
}
