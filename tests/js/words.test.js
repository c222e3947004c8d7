import { expect, test } from 'vitest';
import { articleFor, listed } from '../../www/words.js';

test('a number in digits takes the article it is read with', () => {
  expect([3, 8, 11, 18, 80, 800, 1, 100, 110].map(articleFor)).toEqual(['a', 'an', 'an', 'an', 'an', 'an', 'a', 'a', 'a']);
});

test('items are listed with commas and a last "and"', () => {
  expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(listed)).toEqual(['', 'a', 'a and b', 'a, b and c']);
});
