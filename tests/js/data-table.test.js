import { describe, expect, test } from 'vitest';
import { LIMITS, MAX_INTEGER_CLASSES, TableError, parseTable, readCsv, tableData } from '../../www/data-input/table.js';

// The TableError `parse(text)` throws, as { message, line, column }.
function refusal(text, options) {
  try {
    parseTable(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(TableError);
    return { message: err.message, line: err.line, column: err.column };
  }
  throw new Error('the table was accepted');
}

describe('CSV tables', () => {
  test('a header, numeric features standardised, a text target as classes with their names', () => {
    const table = parseTable('width,height,kind\n1,10,cat\n3,10,dog\n2,40,cat\n');
    expect(table).toMatchObject({ header: true, names: ['width', 'height', 'kind'], task: 'classes', features: 2, rows: 3, target: 2 });
    expect(table.classes).toEqual(['cat', 'dog']);
    expect(table.counts).toEqual([2, 1]);
    expect(table.y).toEqual([0, 1, 0]);
    expect(table.stats[0]).toMatchObject({ name: 'width', mean: 2, min: 1, max: 3 });
    expect(table.stats[0].std).toBeCloseTo(Math.sqrt(2 / 3), 12);
    // (1 - 2) / std, (10 - 20) / std of height.
    expect(table.x[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 5);
    expect(table.x[1]).toBeCloseTo(-10 / Math.sqrt(200), 5);
    expect(table.preview).toEqual([['1', '10', 'cat'], ['3', '10', 'dog'], ['2', '40', 'cat']]);
  });

  test('no header is detected when the first row is data; columns are named by number', () => {
    const table = parseTable('0.5,1\n0.25,0\n1,1\n');
    expect(table).toMatchObject({ header: false, names: ['column 1', 'column 2'], rows: 3, classes: ['0', '1'], counts: [1, 2] });
    expect(parseTable('0.5,1\n0.25,0\n1,1\n', { header: true })).toMatchObject({ rows: 2, names: ['0.5', '1'] });
  });

  test('the target column can be chosen; a constant feature becomes zeros', () => {
    const table = parseTable('a,b,c\n1,x,5\n1,y,6\n', { target: 1 });
    expect(table).toMatchObject({ target: 1, classes: ['x', 'y'], features: 2 });
    expect(Array.from(table.x.subarray(0, 2))).toEqual([0, -1]);
  });

  test('an integer target with few values is classes, with many values or fractions regression', () => {
    const digits = Array.from({ length: 30 }, (_, i) => `${i},${i % 10}`).join('\n');
    expect(parseTable(digits)).toMatchObject({ task: 'classes', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    const many = Array.from({ length: 30 }, (_, i) => `${i},${i}`).join('\n');
    expect(MAX_INTEGER_CLASSES).toBeLessThan(30);
    const regression = parseTable(many);
    expect(regression.task).toBe('regression');
    expect(regression.targetStats.mean).toBe(14.5);
    expect(regression.y[0]).toBeCloseTo(-14.5 / regression.targetStats.std, 6);
    expect(parseTable('x,y\n1,0.5\n2,1.5\n').task).toBe('regression');
  });

  test('quoted values with delimiters and line breaks, semicolons, and blank lines keep line numbers', () => {
    const table = parseTable('a;b;label\n1;2;"x; y"\n\n3;4;"two\nlines"\n');
    expect(table.classes).toEqual(['two\nlines', 'x; y']);
    expect(refusal('a,label\n1,"x\ny"\n\nq,z\n')).toEqual({
      message: 'Line 5, column 1 ("a"): "q" is not a number; every column but the target must be numbers.',
      line: 5,
      column: 1,
    });
  });

  test('spaces around values are not part of them', () => {
    const table = parseTable(' a , label \n 1 , x \n3,  y\n');
    expect(table).toMatchObject({ header: true, names: ['a', 'label'], classes: ['x', 'y'], preview: [['1', 'x'], ['3', 'y']] });
    expect(Array.from(table.x)).toEqual([-1, 1]);
  });

  test('the Session data option holds the standardised rows and labels', () => {
    const data = tableData(parseTable('a,label\n1,x\n3,y\n'));
    expect(data).toEqual({ x: [-1, 1], y: [0, 1], features: 1, validation_fraction: 0.2, seed: 0 });
  });
});

describe('CSV refusals name the line and column', () => {
  test('an empty file, or a header without rows', () => {
    expect(refusal('')).toEqual({ message: 'The file is empty: it has no rows of values.', line: 1, column: undefined });
    expect(refusal(' \n\n')).toMatchObject({ line: 1 });
    expect(refusal('a,b\n', { header: true })).toEqual({ message: 'The file has a header but no rows of values.', line: 2, column: undefined });
  });

  test('a ragged row', () => {
    expect(refusal('a,b,c\n1,2,x\n3,4\n')).toEqual({ message: 'Line 3, column 3: the row has 2 values, the first row 3.', line: 3, column: 3 });
    expect(refusal('a,b\n1,x\n3,4,y\n')).toEqual({ message: 'Line 3, column 3: the row has 3 values, the first row 2.', line: 3, column: 3 });
  });

  test('text or nothing in a number column', () => {
    expect(refusal('a,b,c\n1,2,x\n1,two,y\n')).toEqual({
      message: 'Line 3, column 2 ("b"): "two" is not a number; every column but the target must be numbers.',
      line: 3,
      column: 2,
    });
    expect(refusal('a,b,c\n1,2,x\n1,,y\n')).toEqual({ message: 'Line 3, column 2 ("b"): the value is empty; every feature must be a number.', line: 3, column: 2 });
    expect(refusal('a,c\n1,x\n1,\n')).toEqual({ message: 'Line 3, column 2 ("c"): the target is empty.', line: 3, column: 2 });
  });

  test('non-finite numbers, as other tools write them or beyond float32', () => {
    for (const bad of ['NaN', 'inf', '-Infinity', '1e39']) {
      expect(refusal(`a,c\n1,x\n${bad},y\n`)).toEqual({ message: `Line 3, column 1 ("a"): "${bad}" is not a finite number.`, line: 3, column: 1 });
    }
    expect(refusal('a,c\n1,0.5\n2,nan\n')).toMatchObject({ line: 3, column: 2, message: 'Line 3, column 2 ("c"): "nan" is not a finite number.' });
  });

  test('hexadecimal, binary and octal spellings and over-long numbers are text, as in every other number field', () => {
    for (const bad of ['0x10', '0B1', '0o7']) {
      expect(refusal(`a,c\n1,x\n${bad},y\n`)).toMatchObject({ line: 3, column: 1, message: `Line 3, column 1 ("a"): "${bad}" is not a number; every column but the target must be numbers.` });
    }
    expect(refusal(`a,c\n1,x\n${'1'.repeat(65)},y\n`)).toMatchObject({ line: 3, column: 1 });
    expect(parseTable('a,c\n+1.5,x\n-.5,y\n2.,x\n1e-3,y\n').stats[0]).toMatchObject({ min: -0.5, max: 2 });
  });

  test('lines of only spaces and delimiters are skipped, and later lines keep their numbers', () => {
    expect(parseTable('a,c\n1,x\n , \n,,\n2,y\n').rows).toBe(2);
    expect(refusal('a,c\n1,x\n , \n\n2,"y\n')).toMatchObject({ line: 5, message: 'Line 5: a quoted value is never closed.' });
    expect(refusal('a,c\n1,x\n ,\n2,y,z\n')).toEqual({ message: 'Line 4, column 3: the row has 3 values, the first row 2.', line: 4, column: 3 });
  });

  test('one class only', () => {
    expect(refusal('a,c\n1,x\n2,x\n')).toEqual({ message: 'Column 2 ("c") has one class only ("x"): a classifier needs at least two.', line: 2, column: 2 });
  });

  test('an unclosed quote', () => {
    expect(refusal('a,c\n1,x\n2,"y\n')).toMatchObject({ line: 3 });
  });
});

describe('CSV limits', () => {
  test(`at most ${LIMITS.rows.toLocaleString('en')} rows`, () => {
    const rows = (n) => `a,c\n${'1,x\n2,y\n'.repeat(n / 2)}`;
    expect(readCsv(rows(LIMITS.rows)).rows.length).toBe(LIMITS.rows);
    expect(refusal(rows(LIMITS.rows + 2))).toEqual({ message: 'Line 100002: the file has 100,002 rows; the most is 100,000.', line: 100_002, column: undefined });
  });

  test(`at most ${LIMITS.features} features`, () => {
    const file = (features) => `${Array.from({ length: features }, () => '1').join(',')},x\n${Array.from({ length: features }, () => '2').join(',')},y\n`;
    expect(parseTable(file(LIMITS.features)).features).toBe(LIMITS.features);
    expect(refusal(file(LIMITS.features + 1))).toEqual({ message: 'Line 1: the file has 258 columns, so 257 features; the most is 256.', line: 1, column: 258 });
  });

  test('at most 5 MB', () => {
    const big = `a,c\n${'1.000000000,x\n'.repeat(Math.ceil(LIMITS.bytes / 14) + 1)}`;
    expect(refusal(big).message).toBe('The file is 5.0 MB; the most is 5.0 MB.');
    expect(new TextEncoder().encode(big).length).toBeGreaterThan(LIMITS.bytes);
  });

  test('one column is refused: a feature and a target are needed', () => {
    expect(refusal('a\n1\n2\n')).toEqual({ message: 'Line 1: the file has one column; it needs at least one feature and a target.', line: 1, column: undefined });
  });
});
