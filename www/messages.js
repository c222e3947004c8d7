// Messages as people read them. The engine names the option at fault by its path in what the page
// sent ("runs[0].schedule.lr (Constant): must be …"); a message in the page says it in words
// ("Run 1 schedule lr (Constant): must be …") and writes numbers for reading (1.93e+18, not
// 1930000000000000000).
import { formatNumber } from './format.js';

// A path into a list at the start of the text or after ": " ("runs[0].schedule.lr"), with the kind
// it is of, then ": ". Dotted names without an index ("data.noise", "optimizer.momentum") read as
// the libraries' own option names and stay.
const PATH = /(^|: )([A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*)( \(\w+\))?: /g;
// Numbers too long to read: thirteen or more digits before the point (a range's bound such as
// 4294967295 stays exact), or seven or more after it.
const LONG_NUMBER = /-?\d{13,}(?:\.\d+)?(?:e[+-]?\d+)?|-?\d+\.\d{7,}(?:e[+-]?\d+)?/g;

// A quotation of what the user sent ("…" in JSON's quotes): shown exactly as it was.
const QUOTED = /("(?:[^"\\]|\\.)*")/;

/** `text` with option paths in words and long numbers shortened, quotations left as they are. */
export function readable(text) {
  if (typeof text !== 'string') return text;
  return text
    .split(QUOTED)
    .map((part, i) => (i % 2 ? part : part.replace(PATH, (_, before, path, kind = '') => `${before}${pathInWords(path, before === '')}${kind}: `).replace(LONG_NUMBER, (n) => formatNumber(Number(n)))))
    .join('');
}

/** "runs[0].schedule.step_size_up" -> "Run 1 schedule step_size_up" (`first`: it begins a sentence); "batch_size" stays. */
export function pathInWords(path, first = true) {
  // Without an index it is an option's own name, as the libraries spell it.
  if (!path.includes('[')) return path;
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
