// A learning-rate curve pasted from elsewhere (fastai's recorder, torch-lr-finder's history): lines
// of "lr, loss". A header, blank lines and # comments are skipped; any other line that is not two
// numbers is reported by its number, so the user can see what was left out. Or two Python lists
// as Python prints them, `learn.recorder.lrs` then `learn.recorder.losses` (whose items print as
// `tensor(2.3104)`), optionally as `lrs = [...]`: they are read as the same lines, pair by pair.

import { readDecimal } from '../../decimal.js';

/** Fewer points and the suggestions have nothing to work on. */
export const MIN_POINTS = 2;

/**
 * `text` -> { lrs: Float64Array, losses: Float64Array, skipped: [{ line, reason }] }. Fields are
 * split by commas, semicolons, tabs or spaces. A loss may be NaN (a diverged batch: the
 * suggestions cut there); a rate must be positive, and larger than the one before.
 */
export function parseCurve(text) {
  const lists = pythonLists(text);
  if (lists) return parseCurve(lists[0].map((lr, i) => `${lr}, ${lists[1][i] ?? ''}`).join('\n'));
  const lrs = [];
  const losses = [];
  const skipped = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/[,;\t ]+/);
    const skip = (reason) => skipped.push({ line: i + 1, reason });
    if (lrs.length === 0 && skipped.length === 0 && isHeader(fields)) return;
    if (fields.length !== 2) return skip(`expected 2 values, got ${fields.length}`);
    const [lr, loss] = fields.map(readNumber);
    if (lr === undefined || loss === undefined) return skip('not a number');
    if (!(lr > 0) || !Number.isFinite(lr)) return skip(`the rate must be a positive number, got ${fields[0]}`);
    if (lrs.length > 0 && lr <= lrs.at(-1)) return skip(`the rate must grow, but ${fields[0]} is not above ${lrs.at(-1)}`);
    lrs.push(lr);
    losses.push(loss);
  });
  return { lrs: Float64Array.from(lrs), losses: Float64Array.from(losses), skipped };
}

// Two Python lists of the same length (`[1e-07, 1.2e-07, …]`, items maybe `tensor(2.31)` or
// `np.float64(2.31)`), the rates being the one that grows; null when the text is not that.
function pythonLists(text) {
  const lists = [...text.matchAll(/\[([^\[\]]*)\]/g)].map(([, inside]) =>
    inside
      .split(',')
      .map((item) => item.trim().replace(/^[\w.]+\((.*)\)$/, '$1').replace(/,.*$/, '').trim())
      .filter((item) => item !== ''),
  );
  if (lists.length !== 2 || lists[0].length !== lists[1].length) return null;
  const grows = (list) => list.every((x, i) => i === 0 || Number(x) > Number(list[i - 1]));
  return !grows(lists[0]) && grows(lists[1]) ? [lists[1], lists[0]] : lists;
}

// A first line naming the columns ("lr,loss", "learning rate; loss"): words, no numbers.
function isHeader(fields) {
  return fields.every((f) => readNumber(f) === undefined);
}

// A curve's numbers are decimal, NaN and inf included (as Python prints them).
function readNumber(text) {
  if (/^nan$/i.test(text)) return NaN;
  if (/^[-+]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return readDecimal(text);
}
