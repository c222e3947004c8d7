import { describe, expect, test } from 'vitest';
import { canvasPosition, pixels, pointShade, shades } from '../../www/demos/train/heatmap.js';

// A two-entry colour map: 0 -> black, 1 -> white.
const GREY = new Uint8ClampedArray([0, 0, 0, 255, 255, 255]);

describe('heatmap', () => {
  test('classification: the softmax probability of class 1, NaN where the outputs are NaN', () => {
    const values = new Float32Array([0, 0, 0, Math.log(3), 5, -5, NaN, NaN]);
    const out = shades({ values, n: 2, outputs: 2 });
    expect(out[0]).toBeCloseTo(0.5, 6);
    expect(out[1]).toBeCloseTo(0.75, 6);
    expect(out[2]).toBeCloseTo(1 / (1 + Math.exp(10)), 6);
    expect(out[3]).toBeNaN();
  });

  test('classification stays finite for huge logits', () => {
    expect(shades({ values: new Float32Array([1000, 1001, 0, 0, 0, 0, 0, 0]), n: 2, outputs: 2 })[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
  });

  test('regression: the value mapped from [-1, 1] and clamped', () => {
    const out = shades({ values: new Float32Array([-1, 0, 0.5, 7]), n: 2, outputs: 1 });
    expect(Array.from(out)).toEqual([0, 0.5, 0.75, 1]);
  });

  test('points: the square [lo, hi]² fills the canvas, y = hi at the top', () => {
    expect(canvasPosition(-2, -2, -2, 2, 320)).toEqual([0, 320]);
    expect(canvasPosition(2, 2, -2, 2, 320)).toEqual([320, 0]);
    expect(canvasPosition(0, 1, -2, 2, 320)).toEqual([160, 80]);
  });

  test('points take the colour of their class, or of their target as the heatmap maps values', () => {
    expect([pointShade(0, 2), pointShade(1, 2)]).toEqual([0, 1]);
    expect([pointShade(-1, 1), pointShade(0.5, 1), pointShade(3, 1)]).toEqual([0, 0.75, 1]);
  });

  test('pixels: the grid row at y = lo is the bottom of the image; NaN is grey', () => {
    // Grid rows from y = lo: [0, 1] at the bottom, [1, NaN] at the top.
    const rgba = pixels(new Float32Array([0, 1, 1, NaN]), 2, GREY);
    expect(Array.from(rgba)).toEqual([255, 255, 255, 255, 150, 150, 150, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
  });
});
