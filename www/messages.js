// Messages as people read them. The engine names the option at fault by its path in what the page
// sent ("runs[0].schedule.lr (Constant): must be …", "data.noise: must be …"); a message in the page
// says it in words ("Run 1 schedule lr (Constant): must be …", "Data noise: must be …") and writes
// numbers for reading (1.93e18, not 1930000000000000000). Every message the page shows from the
// engine goes through here (notice.js, controls.js, errorText).
import { formatNumber } from './format.js';

// A path into a list at the start of the text, after ": " or "(" ("runs[0].schedule.lr"), with
// the kind it is of, then ": ". A name without an index stays: it may be a file's ("bad.csv"); an
// engine Error's own dotted path ("data.noise") is put in words by errorText, which knows it.
const PATH = /(^|: |\()([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*)( \(\w+\))?: /g;
// Numbers too long to read: thirteen or more digits before the point (a range's bound such as
// 4294967295 stays exact), or seven or more after it.
const LONG_NUMBER = /-?\d{13,}(?:\.\d+)?(?:e[+-]?\d+)?|-?\d+\.\d{7,}(?:e[+-]?\d+)?/g;

// A quotation of what the user sent ("…" in JSON's quotes): shown exactly as it was.
const QUOTED = /("(?:[^"\\]|\\.)*")/;

/**
 * An engine Error (or anything thrown) as a sentence for the page: the path its `field` names, at
 * the start of its message, in words ("data.noise: …" -> "Data noise: …"), then readable().
 */
export function errorText(error) {
  const message = typeof error?.message === 'string' ? error.message : String(error);
  const field = error?.field;
  const named = typeof field === 'string' && field && message.startsWith(field) && /^[ :]/.test(message.slice(field.length));
  return readable(named ? pathInWords(field) + message.slice(field.length) : message);
}

/** `text` with option paths in words and long numbers shortened, quotations left as they are. */
export function readable(text) {
  if (typeof text !== 'string') return text;
  return text
    .split(QUOTED)
    .map((part, i) => (i % 2 ? part : part.replace(PATH, (whole, before, path, kind = '') => (path.includes('[') ? `${before}${pathInWords(path, before === '')}${kind}: ` : whole)).replace(LONG_NUMBER, (n) => formatNumber(Number(n)))))
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
